//! kiro-org's own admin API, for what AWS exposes no API for: creating and deleting Kiro
//! profiles and changing their settings, Identity Center settings (Kiro session duration,
//! identity-enhanced sessions, member account instances), inviting and moving accounts —
//! indeed any operation of the operations file.
//!
//! `POST /admin/ops` takes one operations-file item (`{"op": "create-profile", "account": …}`)
//! or a list of them, applies each in order through the engine with the same rules and errors
//! as `kiro-org apply`, and answers `{"ok": true, "results": […]}`. A failing item stops the
//! list; the items before it stay applied (each is its own durable write), and the error is
//! AWS-shaped with the failing `index` added. `GET /admin/estate` returns the live estate as
//! JSON; `GET /admin/events` the event log.

use axum::Json;
use axum::extract::{Request, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kiro_estate::DocPath;
use serde_json::{Value, json};

use crate::AppState;
use crate::error::ApiError;

/// `POST /admin/ops`.
pub async fn ops(AxState(app): AxState<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match crate::read_body(&parts.headers, body).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            return ApiError::serialization(format!("the body is not valid JSON: {e}"))
                .into_response();
        }
    };
    let items = match value {
        Value::Array(items) => items,
        item @ Value::Object(_) => vec![item],
        _ => {
            return ApiError::serialization(
                "send one operation (an object with `op`) or a list of them",
            )
            .into_response();
        }
    };
    let mut results = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let parsed = kiro_engine::ops_file::parse_item(item, &DocPath::root().index(index));
        let item = match parsed {
            Ok(item) => item,
            Err(d) => {
                let message = match &d.help {
                    Some(help) => format!("{}; {help}", d.message),
                    None => d.message.clone(),
                };
                return indexed(ApiError::validation(message), index);
            }
        };
        let op = item.op;
        let at = item.at;
        let result = app
            .store
            .write(move |tx| tx.apply_at(&op, at).map_err(ApiError::from))
            .await;
        match result {
            Ok(out) => results.push(out),
            Err(e) => return indexed(e, index),
        }
    }
    Json(json!({"ok": true, "results": results})).into_response()
}

fn indexed(err: ApiError, index: usize) -> Response {
    let body = json!({"__type": err.code, "message": err.message, "ok": false, "index": index, "error": err.code});
    let mut r = (err.status, Json(body)).into_response();
    if let Ok(v) = err.code.parse() {
        r.headers_mut().insert("x-amzn-errortype", v);
    }
    r
}

/// `GET /admin/estate`: the live estate, as an estate file in JSON.
pub async fn estate(AxState(app): AxState<AppState>) -> Response {
    match app.store.read(|s| serde_json::to_value(s.estate())).await {
        Ok(Ok(v)) => (StatusCode::OK, Json(v)).into_response(),
        Ok(Err(e)) => ApiError::internal(e.to_string()).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /admin/events`: the event log, oldest first.
pub async fn events(AxState(app): AxState<AppState>) -> Response {
    match app
        .store
        .read(|s| serde_json::to_value(&s.estate().events))
        .await
    {
        Ok(Ok(v)) => (StatusCode::OK, Json(v)).into_response(),
        Ok(Err(e)) => ApiError::internal(e.to_string()).into_response(),
        Err(e) => e.into_response(),
    }
}
