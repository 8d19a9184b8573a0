//! AWS-shaped errors, serialized in exactly one place ([`ApiError::into_response`]).
//!
//! Every client of the JSON protocols parses the same shape: an HTTP 4xx/5xx status, the
//! `X-Amzn-ErrorType` header (what the Rust SDK reads first) and a body `{"__type": "...",
//! "message": "..."}` (what botocore reads). Sending both keeps the AWS CLI, the SDKs and
//! hand-written scripts happy. The query protocol (STS) has its own XML shape
//! ([`ApiError::into_query_response`]).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kiro_engine::OpError;

/// An error as the wire carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status: 400 for every client error AWS's JSON protocols report, except those
    /// that HTTP itself names (413, 415, 403 for authentication, 404 for unknown paths).
    pub status: StatusCode,
    /// The exception's name, e.g. `ResourceNotFoundException`.
    pub code: String,
    /// What went wrong, for people.
    pub message: String,
}

/// The Organizations exceptions whose message AWS fixes, with that message: a client that
/// compares messages sees AWS's words; every other error carries kiro-org's own detail.
const AWS_MESSAGES: &[(&str, &str)] = &[
    (
        "AccountAlreadyClosedException",
        "The provided account is already closed.",
    ),
    (
        "AccountAlreadyRegisteredException",
        "The provided account is already a delegated administrator for your organization.",
    ),
    (
        "AccountNotFoundException",
        "You specified an account that doesn't exist.",
    ),
    (
        "AccountNotRegisteredException",
        "The provided account is not a registered delegated administrator for your organization.",
    ),
    (
        "AWSOrganizationsNotInUseException",
        "Your account is not a member of an organization.",
    ),
    (
        "DuplicateOrganizationalUnitException",
        "An OU with the same name already exists.",
    ),
    (
        "DuplicatePolicyException",
        "A policy with the same name already exists.",
    ),
    (
        "OrganizationalUnitNotFoundException",
        "You specified an organizational unit that doesn't exist.",
    ),
    (
        "OrganizationNotEmptyException",
        "To delete an organization you must first remove all member accounts (except the master).",
    ),
    (
        "ParentNotFoundException",
        "You specified parent that doesn't exist.",
    ),
    (
        "PolicyInUseException",
        "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.",
    ),
    (
        "PolicyNotFoundException",
        "You specified a policy that doesn't exist.",
    ),
    (
        "PolicyTypeAlreadyEnabledException",
        "The specified policy type is already enabled.",
    ),
    (
        "PolicyTypeNotEnabledException",
        "This operation can be performed only for enabled policy types.",
    ),
    (
        "RootNotFoundException",
        "You specified a root that doesn't exist.",
    ),
    (
        "TargetNotFoundException",
        "You specified a target that doesn't exist.",
    ),
];

/// AWS's message for `code` when it has a fixed one, else `message`.
fn aws_message(code: &str, message: String) -> String {
    AWS_MESSAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(message, |(_, m)| (*m).to_owned())
}

impl ApiError {
    /// The error as a service that names its errors in `namespace` writes it
    /// (`com.amazon.kiro.controlplane#AccessDeniedException`); SDKs read the name after `#`.
    pub fn in_namespace(mut self, namespace: &str) -> Self {
        if !namespace.is_empty() && !self.code.contains('#') {
            self.code = format!("{namespace}{}", self.code);
        }
        self
    }

    /// An error with `status`, `code` and `message` (AWS's own, for the codes it fixes).
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: aws_message(code, message.into()),
        }
    }

    /// A 400 with `code`.
    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// `ValidationException`: the request breaks a constraint of the operation's input.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::bad_request("ValidationException", message)
    }

    /// `ValidationException` for a required member the request leaves out, in AWS's words: one
    /// message for every operation, whether serde or the handler notices the gap.
    pub fn missing(member: &str) -> Self {
        Self::validation(format!(
            "1 validation error detected: value null at '{member}' failed to satisfy constraint: member must not be null"
        ))
    }

    /// `SerializationException`: the body is not the JSON the operation takes.
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::bad_request("SerializationException", message)
    }

    /// `ResourceNotFoundException`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::bad_request("ResourceNotFoundException", message)
    }

    /// `AccessDeniedException`.
    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::bad_request("AccessDeniedException", message)
    }

    /// `InternalServerException` (500): something on our side failed, e.g. the disk.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerException",
            message,
        )
    }

    /// The same error under another exception name (services name the same rule differently:
    /// Organizations says `DuplicatePolicyException` where Identity Store says `ConflictException`).
    pub fn renamed(mut self, code: &str) -> Self {
        code.clone_into(&mut self.code);
        self.message = aws_message(code, self.message);
        self
    }
}

/// The engine answered `op` with another operation's output: a bug of ours, a 500 rather than
/// a panic.
pub fn unexpected(op: &kiro_engine::Op) -> ApiError {
    ApiError::internal(format!(
        "`{}` answered with another operation's output",
        op.name()
    ))
}

impl From<OpError> for ApiError {
    fn from(err: OpError) -> Self {
        Self::bad_request(err.name(), err.message)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"__type": self.code, "message": self.message}).to_string();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-amz-json-1.1"),
        );
        if let Ok(value) = HeaderValue::from_str(&self.code) {
            headers.insert("x-amzn-errortype", value);
        }
        response
    }
}

impl ApiError {
    /// The query protocol's error: `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code>
    /// <Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`, `Receiver` for
    /// errors of ours (5xx), with the same status.
    pub fn into_query_response(self, request_id: &str) -> Response {
        let kind = if self.status.is_server_error() {
            "Receiver"
        } else {
            "Sender"
        };
        let mut w = quick_xml::Writer::new(Vec::new());
        let text = quick_xml::events::BytesText::new;
        let written = w.create_element("ErrorResponse").write_inner_content(|w| {
            w.create_element("Error").write_inner_content(|w| {
                w.create_element("Type").write_text_content(text(kind))?;
                w.create_element("Code")
                    .write_text_content(text(&self.code))?;
                w.create_element("Message")
                    .write_text_content(text(&self.message))?;
                Ok(())
            })?;
            w.create_element("RequestId")
                .write_text_content(text(request_id))?;
            Ok(())
        });
        // Writing into memory cannot fail; should it, the status and code still say what failed.
        let body = match written {
            Ok(_) => String::from_utf8_lossy(&w.into_inner()).into_owned(),
            Err(_) => String::new(),
        };
        let mut response = (self.status, body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
        response
    }
}

/// The error for a body that does not deserialize into an operation's input: a missing member
/// is a `ValidationException` (as AWS reports constraint failures), anything else — wrong
/// types, unknown members, malformed JSON — a `SerializationException`.
pub fn from_serde(err: &serde_json::Error) -> ApiError {
    let text = err.to_string();
    if let Some(rest) = text.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return ApiError::missing(field);
    }
    ApiError::serialization(text)
}
