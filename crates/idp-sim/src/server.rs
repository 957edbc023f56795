//! The listener: accepts TCP (and TLS) connections, serves HTTP/1.1 with
//! hyper, and runs every request through the same pipeline:
//!
//! 1. read the body (up to the configured limit; larger bodies are drained
//!    and answered with a vendor-shaped 413);
//! 2. `/__sim/*` goes to the control routes (loopback peers only), unlogged
//!    and never faulted;
//! 3. record the request in the log;
//! 4. apply the first matching fault rule, if any (before authentication
//!    and before the real handler);
//! 5. otherwise (or after a delay-only rule) the APIs' routers answer.

use std::convert::Infallible;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use bytes::{Bytes, BytesMut};
use futures::StreamExt as _;
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

use crate::faults::{FaultAction, FaultBody, FaultRule};
use crate::ids::{new_uuid, random_hex};
use crate::paths::{is_admin_path, is_unleash_path};
use crate::routes;
use crate::state::Shared;
use crate::vendor_error::{generic_error_body, json_response, raw_json_response};

/// Bodies beyond the limit are read and discarded up to this size, so the
/// client gets the 413 instead of a reset while still sending.
const DRAIN_CAP: usize = 64 * 1024 * 1024;

/// How long a TLS handshake may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Returned by the service to make hyper close the connection without a
/// response (the "drop connection" fault).
#[derive(Debug)]
pub(crate) struct ConnectionDropped;

impl fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for ConnectionDropped {}

/// Everything a connection needs.
struct App {
    shared: Arc<Shared>,
    servers: Router,
    admin: Router,
}

/// A running server.
#[derive(Debug)]
pub(crate) struct ServerHandle {
    pub(crate) shutdown: watch::Sender<bool>,
    pub(crate) task: JoinHandle<()>,
}

/// Starts serving `listener` in a background task.
pub(crate) fn spawn(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
) -> ServerHandle {
    let app = Arc::new(App {
        servers: routes::servers(Arc::clone(&shared)),
        admin: routes::admin::router(Arc::clone(&shared)),
        shared,
    });
    let (shutdown, rx) = watch::channel(false);
    let task = tokio::spawn(accept_loop(listener, tls, app, rx));
    ServerHandle { shutdown, task }
}

async fn accept_loop(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    app: Arc<App>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    let app = Arc::clone(&app);
                    let tls = tls.clone();
                    connections.spawn(async move {
                        match tls {
                            None => serve_connection(stream, app, peer).await,
                            Some(acceptor) => {
                                match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                                    Ok(Ok(stream)) => serve_connection(stream, app, peer).await,
                                    Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                                    Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                                }
                            }
                        }
                    });
                }
                Err(e) => {
                    // Out of file descriptors and the like: back off briefly.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
        }
    }
    connections.shutdown().await;
}

async fn serve_connection<I>(io: I, app: Arc<App>, peer: SocketAddr)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |req: Request<Incoming>| {
        let app = Arc::clone(&app);
        async move { handle(app, peer, req).await }
    });
    if let Err(e) = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), service)
        .await
    {
        tracing::debug!(%peer, error = %e, "connection ended with an error");
    }
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// The request body, or how much of it there was when over `limit`.
enum ReadBody {
    Complete(Bytes),
    TooLarge(usize),
}

async fn read_body(mut body: Incoming, limit: usize) -> Result<ReadBody, ConnectionDropped> {
    let mut buf = BytesMut::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        // A broken body means the client is gone or misbehaving: close.
        let frame = frame.map_err(|_| ConnectionDropped)?;
        if let Ok(data) = frame.into_data() {
            total = total.saturating_add(data.len());
            if total <= limit {
                buf.extend_from_slice(&data);
            } else if total > DRAIN_CAP {
                break;
            }
        }
    }
    if total > limit {
        Ok(ReadBody::TooLarge(total))
    } else {
        Ok(ReadBody::Complete(buf.freeze()))
    }
}

async fn handle(
    app: Arc<App>,
    peer: SocketAddr,
    req: Request<Incoming>,
) -> Result<Response<Body>, ConnectionDropped> {
    let (parts, incoming) = req.into_parts();
    let shared = &app.shared;
    let profile = shared.config.profile;
    let path = parts.uri.path().to_owned();
    let method = parts.method.as_str().to_owned();
    let limit = shared.config.max_body_bytes;

    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    let body = if declared.is_some_and(|n| n > DRAIN_CAP) {
        ReadBody::TooLarge(declared.unwrap_or(DRAIN_CAP))
    } else {
        read_body(incoming, limit).await?
    };

    if is_admin_path(&path) {
        if !is_loopback(peer.ip()) {
            return Ok(routes::admin::admin_error(
                StatusCode::FORBIDDEN,
                "the simulator control routes answer loopback clients only",
            ));
        }
        let ReadBody::Complete(bytes) = body else {
            return Ok(routes::admin::admin_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request body too large",
            ));
        };
        let request = Request::from_parts(parts, Body::from(bytes));
        return Ok(unwrap_infallible(app.admin.clone().oneshot(request).await));
    }

    let body_len = match &body {
        ReadBody::Complete(b) => b.len(),
        ReadBody::TooLarge(n) => *n,
    };
    let seq = shared
        .log
        .start(&method, &path, parts.uri.query(), &parts.headers, body_len);
    tracing::debug!(seq, %method, %path, "request");

    let bytes = match body {
        ReadBody::Complete(bytes) => bytes,
        ReadBody::TooLarge(_) => {
            let message = format!("The request body exceeds the limit of {limit} bytes");
            let response = json_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                &generic_error_body(profile, &path, StatusCode::PAYLOAD_TOO_LARGE, &message),
            );
            shared.log.finish(seq, Some(413), None);
            return Ok(response);
        }
    };

    let fault = shared.faults.take(&method, &path);
    if let Some(rule) = &fault {
        if let Some(delay) = rule.delay {
            tokio::time::sleep(delay).await;
        }
        let kind = rule.action.kind();
        match fault_response(shared, &path, rule) {
            FaultOutcome::PassThrough => {}
            FaultOutcome::Drop => {
                tracing::debug!(seq, "fault: dropping the connection");
                shared.log.finish(seq, None, Some(kind));
                return Err(ConnectionDropped);
            }
            FaultOutcome::Respond(response) => {
                shared
                    .log
                    .finish(seq, Some(response.status().as_u16()), Some(kind));
                return Ok(response);
            }
        }
    }

    let request = Request::from_parts(parts, Body::from(bytes));
    let mut response = unwrap_infallible(app.servers.clone().oneshot(request).await);
    if let Some(rule) = &fault {
        add_retry_after(&mut response, rule);
    }
    shared.log.finish(
        seq,
        Some(response.status().as_u16()),
        fault.as_ref().map(|r| r.action.kind()),
    );
    Ok(response)
}

fn unwrap_infallible<T>(result: Result<T, Infallible>) -> T {
    match result {
        Ok(value) => value,
        Err(never) => match never {},
    }
}

enum FaultOutcome {
    PassThrough,
    Drop,
    Respond(Response<Body>),
}

fn add_retry_after(response: &mut Response<Body>, rule: &FaultRule) {
    if let Some(seconds) = rule.retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
}

fn status_or_500(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The default body cut by a truncation fault.
fn default_truncated_document(path: &str) -> serde_json::Value {
    if is_unleash_path(path) {
        json!({ "enabled": true, "hasToken": true, "token": random_hex(32) })
    } else {
        json!({ "elements": [{
            "id": new_uuid(),
            "name": "Embedded IDP",
            "type": "Embedded",
            "identitySources": [{ "name": "vsphere.local", "type": "SystemDomain", "domainNames": ["vsphere.local"] }],
            "status": "active",
        }]})
    }
}

/// A response with `body` and `content_type` (an invalid value, refused by
/// [`FaultRule::validate`], falls back to `application/octet-stream`).
fn with_content_type(status: StatusCode, content_type: &str, body: Body) -> Response<Body> {
    let value = HeaderValue::from_str(content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, value);
    response
}

/// How many bytes one frame of a repeated body holds (at most).
const REPEAT_FRAME: usize = 64 * 1024;

/// `chunk` repeated to `total` bytes, streamed from one shared buffer of at
/// most [`REPEAT_FRAME`] bytes: memory use does not grow with `total`.
fn repeated_body(chunk: &str, total: u64) -> Body {
    if chunk.is_empty() || total == 0 {
        return Body::empty();
    }
    let copies = (REPEAT_FRAME / chunk.len()).max(1);
    let frame = Bytes::from(chunk.repeat(copies));
    let stream = futures::stream::unfold(total, move |left| {
        let frame = frame.clone();
        async move {
            if left == 0 {
                return None;
            }
            let take = usize::try_from(left).map_or(frame.len(), |n| n.min(frame.len()));
            Some((
                Ok::<Bytes, std::io::Error>(frame.slice(..take)),
                left - take as u64,
            ))
        }
    });
    Body::from_stream(stream)
}

fn fault_response(shared: &Shared, path: &str, rule: &FaultRule) -> FaultOutcome {
    let mut response = match &rule.action {
        FaultAction::PassThrough => return FaultOutcome::PassThrough,
        FaultAction::DropConnection => return FaultOutcome::Drop,
        FaultAction::Respond { status, body } => {
            let status = status_or_500(*status);
            match body {
                None => {
                    let message = format!(
                        "Injected fault: {} {}",
                        status.as_u16(),
                        status.canonical_reason().unwrap_or("")
                    );
                    json_response(
                        status,
                        &generic_error_body(shared.config.profile, path, status, message.trim()),
                    )
                }
                Some(FaultBody::Json(value)) => json_response(status, value),
                Some(FaultBody::Html(html)) => (
                    status,
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    html.clone(),
                )
                    .into_response(),
                Some(FaultBody::Text(text)) => (
                    status,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    text.clone(),
                )
                    .into_response(),
                Some(FaultBody::Raw { content_type, text }) => {
                    with_content_type(status, content_type, Body::from(text.clone()))
                }
                Some(FaultBody::Repeat {
                    chunk,
                    bytes,
                    content_type,
                    declare_length,
                }) => {
                    let mut response =
                        with_content_type(status, content_type, repeated_body(chunk, *bytes));
                    if *declare_length {
                        response
                            .headers_mut()
                            .insert(header::CONTENT_LENGTH, HeaderValue::from(*bytes));
                    }
                    response
                }
            }
        }
        FaultAction::TruncateBody {
            status,
            body,
            declare_full_length,
        } => {
            let status = status_or_500(*status);
            let document = body
                .clone()
                .unwrap_or_else(|| default_truncated_document(path));
            let full = serde_json::to_vec(&document).unwrap_or_default();
            let half = Bytes::copy_from_slice(&full[..full.len() / 2]);
            if *declare_full_length {
                // The head and the first half go out; then the body fails and
                // hyper closes the connection short of the declared length.
                let first = futures::stream::iter([Ok::<Bytes, std::io::Error>(half)]);
                let failure = futures::stream::once(async {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Err(std::io::Error::other("truncated by fault injection"))
                });
                let mut response =
                    raw_json_response(status, Body::from_stream(first.chain(failure)));
                response
                    .headers_mut()
                    .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
                response
            } else {
                raw_json_response(status, half)
            }
        }
    };
    add_retry_after(&mut response, rule);
    FaultOutcome::Respond(response)
}
