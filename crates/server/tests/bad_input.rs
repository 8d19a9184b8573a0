//! Bad input: each an AWS-shaped 4xx (status, `X-Amzn-ErrorType`, `{"__type", "message"}`),
//! never a 500 or a hang.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use serde_json::Value;

fn assert_aws_error(response: &(u16, Vec<(String, String)>, String), status: u16, code: &str) {
    let (got, headers, body) = response;
    assert_eq!(*got, status, "{body}");
    let header = headers
        .iter()
        .find(|(k, _)| k == "x-amzn-errortype")
        .map(|(_, v)| v.as_str());
    assert_eq!(header, Some(code), "{headers:?}");
    let body: Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("body `{body}` is not JSON: {e}"));
    assert_eq!(body["__type"], code);
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
}

const JSON11: &str = "application/x-amz-json-1.1";

/// A signed-looking `POST /` without `X-Amz-Target`.
fn send_no_target(
    addr: std::net::SocketAddr,
    ct: &str,
    body: &str,
) -> (u16, Vec<(String, String)>, String) {
    common::http(
        addr,
        format!("POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: {ct}\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes(),
    )
}

/// The query protocol's error shape: the status, `text/xml`, and `<ErrorResponse>` with the
/// type, code, a message and a request id.
fn assert_query_error(response: &(u16, Vec<(String, String)>, String), status: u16, code: &str) {
    let (got, headers, body) = response;
    assert_eq!(*got, status, "{body}");
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "content-type" && v == "text/xml"),
        "{headers:?}"
    );
    let expected = format!("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>");
    assert!(body.starts_with(&expected), "{body}");
    let message = &body[expected.len()..body.find("</Message>").unwrap()];
    assert!(!message.is_empty(), "{body}");
    assert!(
        body.contains("</Error><RequestId>") && body.ends_with("</RequestId></ErrorResponse>"),
        "{body}"
    );
}

const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_requests_get_the_query_protocols_errors() {
    let (server, _dir, _) = common::start().await;
    let addr = server.addr;
    tokio::task::spawn_blocking(move || {
        let ok = send_no_target(addr, FORM, "Action=GetCallerIdentity&Version=2011-06-15");
        assert_eq!(ok.0, 200, "{}", ok.2);
        assert!(ok.2.starts_with(r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:root</Arn>"#), "{}", ok.2);
        // The same in a GET's URL.
        let get = b"GET /?Action=GetCallerIdentity&Version=2011-06-15 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00\r\n\r\n";
        let r = common::http(addr, get);
        assert_eq!(r.0, 200, "{}", r.2);
        assert!(r.2.contains("<Account>123456789012</Account>"), "{}", r.2);
        let r = send_no_target(addr, FORM, "Action=AssumeRole&Version=2011-06-15&RoleArn=x");
        assert_query_error(&r, 400, "UnknownOperationException");
        assert!(r.2.contains("AssumeRole"), "{}", r.2);
        assert_query_error(&send_no_target(addr, FORM, "Action=GetCallerIdentity&Version=2099-01-01"), 400, "UnknownOperationException");
        assert_query_error(&send_no_target(addr, FORM, "Version=2011-06-15"), 400, "MissingAction");
        let unsigned = format!("POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: {FORM}\r\nContent-Length: 43\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15");
        assert_query_error(&common::http(addr, unsigned.as_bytes()), 403, "MissingAuthenticationTokenException");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_aws_shaped_errors() {
    let (server, _dir, _) = common::start().await;
    let addr = server.addr;
    tokio::task::spawn_blocking(move || {
        let send = |target: &str, ct: &str, body: &str| common::http(addr, &common::aws_request(target, ct, body));
        // Malformed JSON.
        assert_aws_error(&send("SWBExternalService.ListInstances", JSON11, "{not json"), 400, "SerializationException");
        assert_aws_error(&send("SWBExternalService.ListInstances", JSON11, "[1, 2]"), 400, "SerializationException");
        // Unknown targets.
        assert_aws_error(&send("SWBExternalService.DeleteEverything", JSON11, "{}"), 400, "UnknownOperationException");
        assert_aws_error(&send("swbexternalservice.listinstances", JSON11, "{}"), 400, "UnknownOperationException");
        // Wrong content type.
        assert_aws_error(&send("SWBExternalService.ListInstances", "text/plain", "{}"), 415, "UnsupportedMediaTypeException");
        // Unknown fields, wrong types, missing members.
        assert_aws_error(&send("SWBExternalService.ListInstances", JSON11, r#"{"Bogus": 1}"#), 400, "SerializationException");
        assert_aws_error(&send("SWBExternalService.ListInstances", JSON11, r#"{"MaxResults": "ten"}"#), 400, "SerializationException");
        assert_aws_error(&send("SWBExternalService.ListApplications", JSON11, "{}"), 400, "ValidationException");
        // Out-of-range page sizes and bad tokens.
        assert_aws_error(&send("SWBExternalService.ListInstances", JSON11, r#"{"MaxResults": 0}"#), 400, "ValidationException");
        assert_aws_error(&send("SWBExternalService.ListInstances", JSON11, r#"{"NextToken": "bm90LWEtdG9rZW4="}"#), 400, "ValidationException");
        assert_aws_error(&send("AWSOrganizationsV20161128.ListAccounts", JSON11, r#"{"NextToken": "garbage"}"#), 400, "InvalidInputException");
        assert_aws_error(&send("AWSOrganizationsV20161128.ListAccounts", JSON11, r#"{"MaxResults": 21}"#), 400, "InvalidInputException");
        // A token from another operation is refused too.
        let page = send("AWSOrganizationsV20161128.ListAccounts", JSON11, r#"{"MaxResults": 1}"#);
        assert_eq!(page.0, 200, "{}", page.2);
        let token = serde_json::from_str::<Value>(&page.2).unwrap()["NextToken"].as_str().unwrap().to_owned();
        let reused = send("AWSOrganizationsV20161128.ListPolicies", JSON11, &format!(r#"{{"Filter": "SERVICE_CONTROL_POLICY", "NextToken": "{token}"}}"#));
        assert_aws_error(&reused, 400, "InvalidInputException");
        // Oversized bodies: refused from Content-Length, and when streamed without one.
        let big = format!(r#"{{"Name": "{}"}}"#, "x".repeat(kiro_server::MAX_BODY + 10));
        assert_aws_error(&send("SWBExternalService.CreateInstance", JSON11, &big), 413, "RequestEntityTooLargeException");
        let mut chunked = b"POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Amz-Target: SWBExternalService.CreateInstance\r\nContent-Type: application/x-amz-json-1.1\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/sso/aws4_request, SignedHeaders=host, Signature=00\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        for _ in 0..20 {
            chunked.extend_from_slice(format!("{:x}\r\n", 100_000).as_bytes());
            chunked.extend(std::iter::repeat_n(b' ', 100_000));
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        assert_aws_error(&common::http(addr, &chunked), 413, "RequestEntityTooLargeException");
        // No signature at all, and a malformed one.
        let unsigned = b"POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Amz-Target: SWBExternalService.ListInstances\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\n\r\n{}";
        assert_aws_error(&common::http(addr, unsigned), 403, "MissingAuthenticationTokenException");
        let badsig = b"POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Amz-Target: SWBExternalService.ListInstances\r\nContent-Type: application/x-amz-json-1.1\r\nAuthorization: Basic Zm9vOmJhcg==\r\nContent-Length: 2\r\n\r\n{}";
        assert_aws_error(&common::http(addr, badsig), 403, "IncompleteSignatureException");
        // Unknown paths name the operation they would be, as any unknown operation does.
        let get = b"GET /nothing HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        let r = common::http(addr, get);
        assert_aws_error(&r, 400, "UnknownOperationException");
        assert!(r.2.contains("GET /nothing"), "{}", r.2);
        // No target and no query `Action`: no operation is named.
        assert_aws_error(&send_no_target(addr, JSON11, "{}"), 400, "UnknownOperationException");
        // The admin API: malformed items are ValidationExceptions with their index.
        let admin = |body: &str| {
            common::http(
                addr,
                format!("POST /admin/ops HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes(),
            )
        };
        let r = admin(r#"[{"op": "set-kiro-session-duration", "instance": "123456789012", "days": 30}, {"op": "no-such-op"}]"#);
        assert_aws_error(&r, 400, "ValidationException");
        assert_eq!(serde_json::from_str::<Value>(&r.2).unwrap()["index"], 1);
        assert_aws_error(&admin("{oops"), 400, "SerializationException");
        let r = admin(r#"{"op": "set-kiro-session-duration", "instance": "123456789012", "days": 91}"#);
        assert_aws_error(&r, 400, "ValidationException");
        // The server still answers after all that.
        let ok = send("SWBExternalService.ListInstances", JSON11, "{}");
        assert_eq!(ok.0, 200);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_api_applies_operations_with_the_engines_rules() {
    let (server, _dir, _) = common::start().await;
    let addr = server.addr;
    tokio::task::spawn_blocking(move || {
        let post = |body: &str| {
            common::http(
                addr,
                format!("POST /admin/ops HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes(),
            )
        };
        let r = post(r#"[{"op": "create-profile", "account": "555555555555", "region": "eu-central-1"}, {"op": "update-profile-settings", "account": "555555555555", "region": "eu-central-1", "overage": true}]"#);
        assert_eq!(r.0, 200, "{}", r.2);
        let r = post(r#"{"op": "create-profile", "account": "555555555555", "region": "eu-central-1"}"#);
        assert_aws_error(&r, 400, "ConflictException");
        let r = common::http(addr, b"GET /admin/estate HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assert_eq!(r.0, 200);
        let estate: Value = serde_json::from_str(&r.2).unwrap();
        let p = estate["profiles"].as_array().unwrap().iter().find(|p| p["account"] == "555555555555").unwrap();
        assert_eq!(p["settings"]["overage"], true);
        let r = common::http(addr, b"GET /openapi.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let doc: Value = serde_json::from_str(&r.2).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        assert!(doc["paths"]["/admin/ops"]["post"].is_object());
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_answers_once_an_operation_has_changed_the_state() {
    let (server, _dir, _) = common::start().await;
    let addr = server.addr;
    tokio::task::spawn_blocking(move || {
        let get = |path: &str| {
            common::http(
                addr,
                format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            )
        };
        let seq_of = |r: &(u16, Vec<(String, String)>, String)| {
            assert_eq!(r.0, 200, "{}", r.2);
            serde_json::from_str::<Value>(&r.2).unwrap()["seq"]
                .as_u64()
                .unwrap()
        };
        // A page that shows an older state is answered at once with the state's number.
        let now = seq_of(&get("/live?after=999999"));
        // The page shows the same number: `/live` waits for the next change.
        let waiting = std::thread::spawn(move || {
            let r = common::http(
                addr,
                format!("GET /live?after={now} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
            serde_json::from_str::<Value>(&r.2).unwrap()["seq"].as_u64().unwrap()
        });
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(!waiting.is_finished(), "`/live` answered before any change");
        let body = r#"{"op": "create-profile", "account": "555555555555", "region": "eu-central-1"}"#;
        let r = common::http(
            addr,
            format!("POST /admin/ops HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes(),
        );
        assert_eq!(r.0, 200, "{}", r.2);
        assert_eq!(waiting.join().unwrap(), now + 1);
        // The page's own number is in the report it was given.
        let page = get("/");
        assert!(
            page.2.contains(&format!("<meta name=\"kiro-org-seq\" content=\"{}\">", now + 1)),
            "{}",
            &page.2[..400]
        );
        assert_aws_error(&get("/live?after=soon"), 400, "ValidationException");
        assert_aws_error(&get("/live"), 400, "ValidationException");
    })
    .await
    .unwrap();
}
