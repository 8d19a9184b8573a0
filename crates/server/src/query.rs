//! AWS's query protocol, as STS speaks it: `Action=…&Version=…` form-encoded in a `POST /` body
//! (or in the URL of a `GET /`), answered in XML.
//!
//! A request is of this protocol when it has no `X-Amz-Target` and either a form-encoded body or
//! an `Action` in its URL ([`is_query`]). It is routed by the service of its SigV4 credential
//! scope, its `Action` and its `Version` through one table ([`TABLE`]); the answer is
//! `<{Action}Response xmlns=…><{Action}Result>…</{Action}Result><ResponseMetadata>…`, and an
//! error is the query protocol's `<ErrorResponse>` ([`ApiError::into_query_response`]).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use quick_xml::Writer;
use quick_xml::events::BytesText;

use crate::error::ApiError;
use crate::store::State;
use crate::{AppState, Ctx, sts};

/// A request's parameters, by name.
pub type Params = BTreeMap<String, String>;

/// The members of an operation's result, in the order the XML lists them.
pub type Fields = Vec<(&'static str, String)>;

/// A read of the query protocol.
pub type QueryFn = fn(&Ctx, &State, &Params) -> Result<Fields, ApiError>;

/// One operation of a query-protocol service.
pub struct QueryRoute {
    /// The SigV4 signing name of the service, e.g. `sts`.
    pub service: &'static str,
    /// The API version clients send as `Version`.
    pub version: &'static str,
    /// The XML namespace of the service's answers.
    pub namespace: &'static str,
    /// The `Action`.
    pub action: &'static str,
    /// The handler.
    pub handler: QueryFn,
}

/// Every query-protocol operation served.
pub const TABLE: &[QueryRoute] = &[QueryRoute {
    service: "sts",
    version: "2011-06-15",
    namespace: "https://sts.amazonaws.com/doc/2011-06-15/",
    action: "GetCallerIdentity",
    handler: sts::get_caller_identity,
}];

/// Whether a request is of the query protocol: no `X-Amz-Target`, and a form-encoded body or an
/// `Action` in the URL.
pub fn is_query(headers: &HeaderMap, uri: &Uri) -> bool {
    if headers.contains_key("x-amz-target") {
        return false;
    }
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    form || uri
        .query()
        .is_some_and(|q| parse(q.as_bytes()).contains_key("Action"))
}

fn parse(bytes: &[u8]) -> Params {
    form_urlencoded::parse(bytes).into_owned().collect()
}

/// A fresh request id in AWS's UUID format, unique within the process.
fn request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed).to_string();
    let now = jiff::Timestamp::now().as_nanosecond().to_string();
    let h = kiro_estate::ids::derive(kiro_estate::ids::HEX, 32, &["request", &now, &n]);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Serves one query-protocol request: every failure is answered in the protocol's XML shape.
pub async fn serve(app: &AppState, request: Request) -> Response {
    let id = request_id();
    match answer(app, request, &id).await {
        Ok(xml) => {
            let mut response = (StatusCode::OK, xml).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
            response
        }
        Err(e) => e.into_query_response(&id),
    }
}

async fn answer(app: &AppState, request: Request, id: &str) -> Result<String, ApiError> {
    let (parts, body) = request.into_parts();
    let (auth, bytes) = crate::authenticate(app, &parts, body).await?;
    let mut params = parse(parts.uri.query().unwrap_or("").as_bytes());
    params.extend(parse(&bytes));
    let action = params.get("Action").cloned().ok_or_else(|| {
        ApiError::bad_request(
            "MissingAction",
            "the request names no operation: send `Action=<operation>&Version=<API version>`",
        )
    })?;
    let version = params.get("Version").map_or("", String::as_str);
    let route = TABLE
        .iter()
        .find(|r| r.service == auth.service && r.action == action && r.version == version)
        .ok_or_else(|| {
            ApiError::bad_request(
                "UnknownOperationException",
                format!(
                    "unknown operation `{action}` of `{}` (version `{version}`): kiro-org serves {}",
                    auth.service,
                    served()
                ),
            )
        })?;
    let ctx = Ctx {
        access_key: auth.access_key,
        region: auth.region,
        operation: route.action,
    };
    let handler = route.handler;
    let fields = app.store.read(move |s| handler(&ctx, s, &params)).await??;
    render(route, &fields, id)
}

/// The query-protocol operations served, for the unknown-operation message.
fn served() -> String {
    TABLE
        .iter()
        .map(|r| format!("`{}:{}` ({})", r.service, r.action, r.version))
        .collect::<Vec<_>>()
        .join(", ")
}

fn render(route: &QueryRoute, fields: &Fields, id: &str) -> Result<String, ApiError> {
    let mut w = Writer::new(Vec::new());
    w.create_element(format!("{}Response", route.action))
        .with_attribute(("xmlns", route.namespace))
        .write_inner_content(|w| {
            w.create_element(format!("{}Result", route.action))
                .write_inner_content(|w| {
                    for (name, value) in fields {
                        w.create_element(*name)
                            .write_text_content(BytesText::new(value))?;
                    }
                    Ok(())
                })?;
            w.create_element("ResponseMetadata")
                .write_inner_content(|w| {
                    w.create_element("RequestId")
                        .write_text_content(BytesText::new(id))?;
                    Ok(())
                })?;
            Ok(())
        })
        .map_err(|e| ApiError::internal(format!("cannot write the answer: {e}")))?;
    String::from_utf8(w.into_inner())
        .map_err(|e| ApiError::internal(format!("cannot write the answer: {e}")))
}
