//! `kiro-org serve`: the simulated control plane over AWS's own wire protocols.
//!
//! The AWS CLI and the AWS SDKs talk to it unchanged (only the endpoint differs): AWS JSON 1.1
//! for Organizations, SSO Admin and Identity Store, AWS JSON 1.0 for the Kiro subscription
//! APIs, each routed by the exact `X-Amz-Target` through one table ([`dispatch`]), and the query
//! protocol for STS, routed by signing name, `Action` and `Version` ([`query`]). An operation
//! not served is an `UnknownOperationException` naming it, in every protocol. What AWS has
//! no API for (profiles, their settings, Identity Center settings, inviting and moving
//! accounts) goes through kiro-org's own admin API ([`admin`], described by [`openapi`]).
//! `GET /` in a browser shows the live estate as `kiro-org report` draws it ([`page`]).
//!
//! Every write, whatever API it came through, is an engine operation — the same `Op` that
//! `kiro-org apply` takes — applied with every rule and SCP check and recorded in the same event
//! log, which SQLite keeps durably ([`store`]).
//!
//! ## Authorization first
//! A handler only translates: it checks the request's shape (missing or ill-typed members, as
//! AWS's request validation does), turns wire ids into the names the operation takes, calls
//! the engine and maps its refusal to the service's exception. No domain rule lives here. An id
//! that does not resolve is reported only after the operation is authorized ([`translate`]), so
//! a caller that an SCP denies gets `AccessDeniedException` whatever it sent, as from AWS.
//!
//! ## Who is calling
//! See [`caller`]: the access key id names the account, the signing region the region.
#![deny(missing_docs)]

pub mod admin;
pub mod caller;
pub mod dispatch;
pub mod error;
pub mod identity_memberships;
pub mod identity_store;
pub mod identity_updates;
pub mod openapi;
pub mod org_effective;
pub mod org_membership;
pub mod org_resource_policy;
pub mod org_services;
pub mod org_tags;
pub mod org_transfers;
pub mod organizations;
pub mod page;
pub mod pagination;
pub mod query;
pub mod sigv4;
pub mod sso_access_control;
pub mod sso_account_assignments;
pub mod sso_admin;
pub mod sso_application_settings;
pub mod sso_applications;
pub mod sso_permission_sets;
pub mod sso_regions;
pub mod sso_tags;
pub mod sso_token_issuers;
pub mod store;
pub mod sts;
pub mod subscriptions;
pub mod translate;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kiro_estate::Estate;

pub use crate::caller::{Ctx, caller_account};

use crate::dispatch::Handler;
use crate::error::ApiError;
use crate::store::Store;

/// The largest request body accepted; larger ones get `RequestEntityTooLargeException` (413).
pub const MAX_BODY: usize = 1024 * 1024;

/// How to run the server.
#[derive(Clone, Debug)]
pub struct Config {
    /// The data directory holding the SQLite database.
    pub data: PathBuf,
    /// The estate an empty store starts from.
    pub seed: Option<Estate>,
    /// Whether SigV4 signatures are checked (see [`sigv4`]).
    pub verify_signatures: bool,
    /// The secret access key of every access key, when signatures are checked.
    pub secret_access_key: String,
}

impl Config {
    /// A configuration with the defaults: no seed, signatures parsed but not verified.
    pub fn new(data: impl Into<PathBuf>) -> Self {
        Self {
            data: data.into(),
            seed: None,
            verify_signatures: false,
            secret_access_key: sigv4::DEFAULT_SECRET.to_owned(),
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] store::StoreError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The store thread.
    pub store: Store,
    verify: Option<Arc<str>>,
}

/// A running server.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Whether `--estate` was ignored because the store had state already.
    pub seed_ignored: bool,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Waits until the server stops (it only stops on error or abort).
    pub async fn wait(self) {
        let _ = self.task.await;
    }

    /// Stops serving.
    pub fn abort(&self) {
        self.task.abort();
    }
}

/// Opens the store and starts serving on `addr` (port 0 picks a free port), on the current
/// tokio runtime.
pub async fn start(config: Config, addr: SocketAddr) -> Result<Server, ServerError> {
    let (store, seed_ignored) = Store::open(&config.data, config.seed.clone())?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| ServerError::Bind { addr, source })?;
    let state = AppState {
        store,
        verify: config
            .verify_signatures
            .then(|| Arc::from(config.secret_access_key.as_str())),
    };
    let app = router(state);
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("kiro-org serve: {e}");
        }
    });
    Ok(Server {
        addr,
        seed_ignored,
        task,
    })
}

/// The HTTP routes: `POST /` for the AWS protocols (and `GET /` for STS's query form, else
/// the live report), `/admin/…` and `/openapi.json`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", post(aws).get(page::get))
        .route("/favicon.ico", get(page::favicon))
        .route("/live", get(page::live))
        .route("/openapi.json", get(openapi::document))
        .route("/admin/ops", post(admin::ops))
        .route("/admin/estate", get(admin::estate))
        .route("/admin/events", get(admin::events))
        .fallback(not_found)
        .with_state(state)
}

/// A request no route takes: no operation of any protocol is `method path`.
async fn not_found(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::bad_request(
        "UnknownOperationException",
        format!(
            "unknown operation `{method} {}`: AWS operations are `POST /` with `X-Amz-Target` or a query `Action`; kiro-org's own API is under `/admin` (see `/openapi.json`)",
            uri.path()
        ),
    )
}

/// Reads the body, refusing more than [`MAX_BODY`] bytes without reading them all.
pub async fn read_body(headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLargeException",
            format!("the request body is larger than {MAX_BODY} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| too_large())
}

/// Who signed the request, and its body once the signature is checked (when checking is on):
/// the same for every protocol.
pub(crate) async fn authenticate(
    app: &AppState,
    parts: &axum::http::request::Parts,
    body: Body,
) -> Result<(sigv4::Authorization, Bytes), ApiError> {
    let headers = &parts.headers;
    let auth = sigv4::parse(headers)?;
    let bytes = read_body(headers, body).await?;
    if let Some(secret) = &app.verify {
        sigv4::verify(
            &auth,
            parts.method.as_str(),
            parts.uri.path(),
            parts.uri.query().unwrap_or(""),
            headers,
            &bytes,
            secret,
        )?;
    }
    Ok((auth, bytes))
}

async fn aws(AxState(app): AxState<AppState>, request: Request) -> Response {
    if query::is_query(request.headers(), request.uri()) {
        return query::serve(&app, request).await;
    }
    match aws_inner(&app, request).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn aws_inner(app: &AppState, request: Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiError::bad_request(
                "UnknownOperationException",
                "the request names no operation: send `X-Amz-Target` (JSON protocols) or a form-encoded `Action` (query protocol)",
            )
        })?;
    let (route, handler) = dispatch::lookup(target).ok_or_else(|| {
        ApiError::bad_request(
            "UnknownOperationException",
            format!("unknown operation `{target}`"),
        )
    })?;
    serve_route(app, parts, body, route, handler)
        .await
        .map_err(|e| e.in_namespace(route.error_namespace))
}

/// Runs the operation `route` names, once its target is known.
async fn serve_route(
    app: &AppState,
    parts: axum::http::request::Parts,
    body: Body,
    route: dispatch::Route,
    handler: Handler,
) -> Result<Response, ApiError> {
    let headers = &parts.headers;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let json_version = if content_type.starts_with("application/x-amz-json-1.1") {
        "1.1"
    } else if content_type.starts_with("application/x-amz-json-1.0") {
        "1.0"
    } else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaTypeException",
            format!(
                "content type `{content_type}` is not supported: send application/x-amz-json-1.{}",
                route.json_minor
            ),
        ));
    };
    let (auth, bytes) = authenticate(app, &parts, body).await?;
    let input: serde_json::Value = if bytes.iter().all(u8::is_ascii_whitespace) {
        serde_json::Value::Object(serde_json::Map::new())
    } else {
        serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::serialization(format!("the body is not valid JSON: {e}")))?
    };
    if !input.is_object() {
        return Err(ApiError::serialization("the body must be a JSON object"));
    }
    let ctx = Ctx {
        access_key: auth.access_key,
        region: auth.region,
        operation: route.operation,
    };
    let output = match handler {
        Handler::Read(f) => app
            .store
            .read(move |s| f(&ctx, s, input))
            .await??
            .to_string(),
        Handler::ReadJson(f) => app.store.read(move |s| f(&ctx, s, input)).await??,
        Handler::Write(f) => app
            .store
            .write(move |tx| f(&ctx, tx, input))
            .await?
            .to_string(),
    };
    let mut response = (StatusCode::OK, output).into_response();
    let ct = if json_version == "1.0" {
        "application/x-amz-json-1.0"
    } else {
        "application/x-amz-json-1.1"
    };
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    Ok(response)
}

/// Runs the server until Ctrl-C or SIGTERM on a runtime of its own, calling `ready` with the
/// listening address once it accepts connections (for the CLI, which has no runtime).
pub fn serve_blocking(
    config: Config,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr, bool),
) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| ServerError::Bind { addr, source })?;
    runtime.block_on(async move {
        let server = start(config, addr).await?;
        ready(server.addr, server.seed_ignored);
        let stop = async {
            #[cfg(unix)]
            {
                let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending::<()>().await } } => {}
                }
            }
            #[cfg(not(unix))]
            {
                let _ = tokio::signal::ctrl_c().await;
            }
        };
        // Every acknowledged write is durable already: stopping needs no flush.
        stop.await;
        server.abort();
        Ok(())
    })
}
