//! The internal `AWSZornControlPlaneService.ListUserSubscriptions` call: no SDK has it, so it is
//! signed here with SigV4 (service `user-subscriptions`, the Identity Center region) from the
//! same credentials as the SDK clients, and sent through the SDK's own HTTP connector (same
//! TLS, same proxies).

use std::time::SystemTime;

use aws_credential_types::provider::ProvideCredentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_smithy_runtime_api::client::http::{HttpConnector, HttpConnectorSettings};
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use serde_json::{Value, json};

use crate::aws::Access;

/// The target of the call.
pub const TARGET: &str = "AWSZornControlPlaneService.ListUserSubscriptions";
/// The SigV4 signing name.
pub const SERVICE: &str = "user-subscriptions";
/// Items per page (the API's maximum).
const PAGE: u32 = 1000;
/// Pages followed at most, so a server that repeats a token cannot loop forever.
const MAX_PAGES: usize = 10_000;

/// The endpoint: the override, or AWS's in the Identity Center region.
fn endpoint(access: &Access, region: &str) -> String {
    match &access.endpoint_url {
        Some(url) => url.clone(),
        None => format!("https://service.user-subscriptions.{region}.amazonaws.com/"),
    }
}

/// Every subscription item of `instance_arn` in `subscription_region`, following `nextToken`.
pub async fn list(
    access: &Access,
    instance_region: &str,
    instance_arn: &str,
    subscription_region: &str,
) -> Result<Vec<Value>, String> {
    let provider = access
        .config
        .credentials_provider()
        .ok_or_else(|| "no credentials".to_owned())?;
    let credentials = provider
        .provide_credentials()
        .await
        .map_err(|e| format!("no credentials: {e}"))?;
    let identity: Identity = credentials.into();
    let connector =
        aws_smithy_http_client::default_connector(&HttpConnectorSettings::default(), None)
            .ok_or_else(|| "no HTTP client is available".to_owned())?;
    let url = endpoint(access, instance_region);
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut body = json!({
            "instanceArn": instance_arn,
            "maxResults": PAGE,
            "subscriptionRegion": subscription_region,
        });
        if let (Some(t), Value::Object(map)) = (&token, &mut body) {
            map.insert("nextToken".to_owned(), json!(t));
        }
        let body = body.to_string();
        let headers = [
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-target", TARGET),
        ];
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(instance_region)
            .name(SERVICE)
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| format!("cannot sign: {e}"))?
            .into();
        let signable = SignableRequest::new(
            "POST",
            &url,
            headers.iter().copied(),
            SignableBody::Bytes(body.as_bytes()),
        )
        .map_err(|e| format!("cannot sign: {e}"))?;
        let (instructions, _) = sign(signable, &params)
            .map_err(|e| format!("cannot sign: {e}"))?
            .into_parts();
        let mut request = http::Request::builder().method("POST").uri(&url);
        for (k, v) in headers {
            request = request.header(k, v);
        }
        let mut request = request
            .body(SdkBody::from(body))
            .map_err(|e| format!("bad request: {e}"))?;
        instructions.apply_to_request_http1x(&mut request);
        let request = aws_smithy_runtime_api::http::Request::try_from(request)
            .map_err(|e| format!("bad request: {e}"))?;
        let response = connector
            .call(request)
            .await
            .map_err(|e| format!("{}", aws_sdk_ssoadmin::error::DisplayErrorContext(&e)))?;
        let status = response.status().as_u16();
        let bytes = ByteStream::new(response.into_body())
            .collect()
            .await
            .map_err(|e| format!("cannot read the answer: {e}"))?
            .into_bytes();
        let answer: Value = serde_json::from_slice(&bytes).map_err(|_| {
            format!(
                "HTTP {status} with a body that is not JSON ({} bytes)",
                bytes.len()
            )
        })?;
        if !(200..300).contains(&status) {
            let kind = answer
                .get("__type")
                .and_then(Value::as_str)
                .map(|t| t.rsplit('#').next().unwrap_or(t).to_owned())
                .unwrap_or_else(|| format!("HTTP {status}"));
            let message = answer
                .get("message")
                .or_else(|| answer.get("Message"))
                .and_then(Value::as_str)
                .unwrap_or("");
            return Err(if crate::calls::is_denied(&kind) {
                format!(
                    "{kind}: {message} ({})",
                    crate::calls::denied_help(crate::Call::ListUserSubscriptions)
                )
            } else {
                format!("{kind}: {message}")
            });
        }
        let page = answer
            .get("UserSubscriptions")
            .or_else(|| answer.get("userSubscriptions"))
            .or_else(|| answer.get("subscriptions"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        items.extend(page);
        token = answer
            .get("NextToken")
            .or_else(|| answer.get("nextToken"))
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        if token.is_none() {
            return Ok(items);
        }
    }
    Err(format!(
        "more than {MAX_PAGES} pages: the answer repeats its token"
    ))
}
