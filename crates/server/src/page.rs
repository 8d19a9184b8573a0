//! `GET /`: the HTML report of the live estate, the one `kiro-org report` writes for a file.
//!
//! Each request renders the state as it is after every operation applied so far, and says
//! `no-store`, so a reload always shows the present. The estate is copied out of the store
//! and rendered beside it: a large report does not hold up the operations.
//!
//! The page also follows the server without a reload: it long-polls `GET /live?after=SEQ`,
//! which answers `{"seq": N}` once the last durable event is no longer `SEQ` (or `SEQ` again
//! after [`PATIENCE`], within any proxy's idle timeout), and then swaps in the report of the
//! new state. A long poll needs nothing beyond HTTP/1.1 and no extra crate, and a page that
//! misses a change (asleep, offline) catches up at its next poll.

use std::time::Duration;

use axum::Json;
use axum::extract::{Request, State as AxState};
use axum::http::Uri;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kiro_billing::PriceBook;

use crate::AppState;
use crate::error::ApiError;

/// The report's title: what it shows.
const TITLE: &str = "the live estate of kiro-org serve";

/// How long `GET /live` waits for a change before answering that there is none.
pub const PATIENCE: Duration = Duration::from_secs(25);

/// `GET /`: the query protocol when the request is one (STS's `?Action=…`), else the report.
pub async fn get(AxState(app): AxState<AppState>, request: Request) -> Response {
    if crate::query::is_query(request.headers(), request.uri()) {
        return crate::query::serve(&app, request).await;
    }
    match report(&app).await {
        Ok(html) => {
            let mut r = (StatusCode::OK, html).into_response();
            let headers = r.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => e.into_response(),
    }
}

/// `GET /live?after=SEQ`: the sequence number of the last durable event, once it is not `SEQ`.
pub async fn live(AxState(app): AxState<AppState>, uri: Uri) -> Response {
    let after = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "after")
        .and_then(|(_, v)| v.parse::<u64>().ok());
    let Some(after) = after else {
        return ApiError::validation(
            "`after` must be the sequence number the page shows, a whole number: `/live?after=0`",
        )
        .into_response();
    };
    let seq = app.store.next_change(after, PATIENCE).await;
    let mut r = Json(serde_json::json!({ "seq": seq })).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn report(app: &AppState) -> Result<String, ApiError> {
    let (estate, seq) = app
        .store
        .read_at(|s, seq| (s.estate().clone(), seq))
        .await?;
    tokio::task::spawn_blocking(move || {
        let book = PriceBook::builtin().map_err(|e| ApiError::internal(e.to_string()))?;
        // The engine wrote every state: it keeps the domain rules, so there are no breaks;
        // AWS accepts SCPs the catalog warns about, so the live state may hold some.
        let warnings = kiro_estate::scp::warnings(&estate);
        kiro_report::render(&kiro_report::Input {
            estate: &estate,
            rule_breaks: &[],
            warnings: &warnings,
            book: &book,
            usage: None,
            cur: None,
            title: TITLE,
            live: Some(seq),
        })
        .map_err(|e| ApiError::internal(e.to_string()))
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
}

/// `GET /favicon.ico`, which every browser asks for beside `/`: nothing, and no error in its
/// console (the report has no icon; it is one self-contained file).
pub async fn favicon() -> StatusCode {
    StatusCode::NO_CONTENT
}
