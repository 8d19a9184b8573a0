//! SigV4: who is calling, in which region, for which service — and, optionally, proof of it.
//!
//! Every AWS client signs with `Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/
//! <region>/<service>/aws4_request, SignedHeaders=…, Signature=…`. The server always parses it:
//! the access key id names the calling account (see [`crate::caller_account`]) and the scope's
//! region is the region the call is made in (the region of a Kiro profile, of a new instance).
//!
//! Verification is off by default, as in moto and other local emulators, so any credentials
//! work. With `--verify-signatures`, every access key's secret access key is the one secret the
//! server was started with (`--secret-access-key`, default [`DEFAULT_SECRET`]): a test or a demo
//! sets `AWS_SECRET_ACCESS_KEY` to it and may use any access key id it likes, which is what
//! selects the account.

use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The secret access key every access key has when signatures are verified and no other
/// secret was configured.
pub const DEFAULT_SECRET: &str = "kiro-org-secret";

/// The parts of a SigV4 `Authorization` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    /// The access key id.
    pub access_key: String,
    /// The scope's date, `YYYYMMDD`.
    pub date: String,
    /// The scope's region.
    pub region: String,
    /// The scope's service (`sso`, `organizations`, `identitystore`, `q`, …).
    pub service: String,
    /// The signed header names, lowercase, in the order signed.
    pub signed_headers: Vec<String>,
    /// The hex signature.
    pub signature: String,
}

/// Parses the `Authorization` header. A missing header is `MissingAuthenticationTokenException`
/// and a malformed one `IncompleteSignatureException`, as AWS answers (HTTP 403).
pub fn parse(headers: &HeaderMap) -> Result<Authorization, ApiError> {
    let forbidden =
        |code: &str, message: &str| ApiError::new(axum::http::StatusCode::FORBIDDEN, code, message);
    let value = headers
        .get(axum::http::header::AUTHORIZATION)
        .ok_or_else(|| {
            forbidden(
                "MissingAuthenticationTokenException",
                "missing authentication token: sign the request with SigV4",
            )
        })?
        .to_str()
        .map_err(|_| {
            forbidden(
                "IncompleteSignatureException",
                "the authorization header is not ASCII",
            )
        })?;
    let incomplete = || {
        forbidden(
            "IncompleteSignatureException",
            "the authorization header must be `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`",
        )
    };
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256")
        .ok_or_else(incomplete)?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let (credential, signed, signature) = (
        credential.ok_or_else(incomplete)?,
        signed.ok_or_else(incomplete)?,
        signature.ok_or_else(incomplete)?,
    );
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key, date, region, service, terminator] = scope.as_slice() else {
        return Err(incomplete());
    };
    if access_key.is_empty() || *terminator != "aws4_request" {
        return Err(incomplete());
    }
    Ok(Authorization {
        access_key: (*access_key).to_owned(),
        date: (*date).to_owned(),
        region: (*region).to_owned(),
        service: (*service).to_owned(),
        signed_headers: signed.split(';').map(str::to_owned).collect(),
        signature: signature.to_owned(),
    })
}

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    match HmacSha256::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        // HMAC takes keys of any length; this arm is unreachable in practice.
        Err(_) => Vec::new(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    pairs.sort_unstable();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Checks the signature of a request against `secret`; `SignatureDoesNotMatch` (403) when it
/// does not match.
pub fn verify(
    auth: &Authorization,
    method: &str,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
    secret: &str,
) -> Result<(), ApiError> {
    let mismatch = |why: &str| {
        ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            format!(
                "the request signature we calculated does not match the signature you provided: {why}"
            ),
        )
    };
    let mut canonical_headers = String::new();
    for name in &auth.signed_headers {
        let values: Vec<String> = headers
            .get_all(name.as_str())
            .iter()
            .map(|v| {
                String::from_utf8_lossy(v.as_bytes())
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        if values.is_empty() {
            return Err(mismatch(&format!("signed header `{name}` is missing")));
        }
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let payload_hash = headers
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| hex(&Sha256::digest(body)), str::to_owned);
    let canonical_request = format!(
        "{method}\n{path}\n{}\n{canonical_headers}\n{}\n{payload_hash}",
        canonical_query(query),
        auth.signed_headers.join(";")
    );
    let amz_date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| mismatch("the request has no `x-amz-date` header"))?;
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), auth.date.as_bytes());
    for part in [auth.region.as_str(), auth.service.as_str(), "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    let expected = hex(&hmac(&key, string_to_sign.as_bytes()));
    if expected == auth.signature {
        Ok(())
    } else {
        Err(mismatch("check the secret access key and signing method"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_credential_scope() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=210987654321/20260101/eu-central-1/q/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"
                .parse()
                .unwrap(),
        );
        let auth = parse(&headers).unwrap();
        assert_eq!(auth.access_key, "210987654321");
        assert_eq!(auth.region, "eu-central-1");
        assert_eq!(auth.service, "q");
        assert_eq!(auth.signed_headers, ["host", "x-amz-date"]);
    }

    #[test]
    fn rejects_missing_and_malformed_headers() {
        let headers = HeaderMap::new();
        assert_eq!(
            parse(&headers).unwrap_err().code,
            "MissingAuthenticationTokenException"
        );
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Bearer x".parse().unwrap());
        assert_eq!(
            parse(&headers).unwrap_err().code,
            "IncompleteSignatureException"
        );
    }

    /// The example of AWS's SigV4 documentation (the IAM ListUsers GET request).
    #[test]
    fn verifies_the_documented_example() {
        let mut headers = HeaderMap::new();
        headers.insert("host", "iam.amazonaws.com".parse().unwrap());
        headers.insert(
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8"
                .parse()
                .unwrap(),
        );
        headers.insert("x-amz-date", "20150830T123600Z".parse().unwrap());
        headers.insert(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
                .parse()
                .unwrap(),
        );
        let auth = parse(&headers).unwrap();
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        verify(
            &auth,
            "GET",
            "/",
            "Version=2010-05-08&Action=ListUsers",
            &headers,
            b"",
            secret,
        )
        .unwrap();
        let err = verify(
            &auth,
            "GET",
            "/",
            "Action=ListUsers&Version=2010-05-08",
            &headers,
            b"x",
            secret,
        )
        .unwrap_err();
        assert_eq!(err.code, "SignatureDoesNotMatch");
    }
}
