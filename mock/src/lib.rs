//! `migo-mock`: a local stand-in for the Migo Wallet Gateway card API.
//!
//! A thin HTTP skin (axum) over `migo-gateway-model`, the gateway as a state
//! machine without I/O: the ten card-lifecycle endpoints under `/rest` with
//! the gateway's envelope and error codes, an unauthenticated admin API
//! under `/__mock` (reset, state, view tokens, envelope reading, fault
//! injection, seeded cards) and optional static folders, so the SDK's tests
//! have a real HTTP peer. This crate adds what only HTTP has: sockets,
//! timers, dropped connections, CORS, request ids and static files.

mod rest;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State as AxState};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use migo_gateway_model::Gateway;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, Notify};
use tokio::task::JoinHandle;
use tower::ServiceExt;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

pub use migo_gateway_model::{DEFAULT_EXPIRED_TOKEN, DEFAULT_TOKEN, USERS};

pub const DEFAULT_PORT: u16 = 3010;
/// Card API and admin bodies are tiny; anything bigger is a client bug.
const MAX_BODY: usize = 1 << 20;

/// A static folder served under a URL prefix (`--static PREFIX=DIR`).
#[derive(Clone, Debug)]
pub struct StaticMount {
    pub prefix: String,
    pub dir: PathBuf,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub host: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub statics: Vec<StaticMount>,
    pub tokens: Vec<String>,
    pub expired_tokens: Vec<String>,
    /// Known user ids (cardholders and operator auth users).
    pub users: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: DEFAULT_PORT,
            statics: Vec::new(),
            tokens: vec![DEFAULT_TOKEN.to_string()],
            expired_tokens: vec![DEFAULT_EXPIRED_TOKEN.to_string()],
            users: USERS.iter().map(|u| u.to_string()).collect(),
        }
    }
}

impl Config {
    /// What the gateway model needs of it.
    pub fn model(&self) -> migo_gateway_model::Config {
        migo_gateway_model::Config {
            tokens: self.tokens.clone(),
            expired_tokens: self.expired_tokens.clone(),
            users: self.users.clone(),
            ..Default::default()
        }
    }
}

/// Shared by every handler: the one gateway model.
pub(crate) struct App {
    gateway: Mutex<Gateway>,
}

impl App {
    pub fn gateway(&self) -> MutexGuard<'_, Gateway> {
        // A panicking handler must not take the whole mock down with it.
        self.gateway.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Unix time in milliseconds, the model's clock.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// The `x-request-id` the middleware gave this request, for the log.
#[derive(Clone)]
pub(crate) struct RequestId(pub String);

/// Lets a handler close its own TCP connection without writing a response
/// (the `drop` fault). The connection task selects on it; see
/// [`serve_connection`].
#[derive(Clone, Default)]
pub(crate) struct ConnKill(Arc<Notify>);

impl ConnKill {
    pub fn kill(&self) {
        // notify_one keeps a permit even if the select has not polled yet.
        self.0.notify_one();
    }
}

/// A running server. It stops accepting connections when dropped (or on
/// [`Server::shutdown`], which also waits for the accept loop to end), so
/// keep it alive for as long as the mock is needed.
pub struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Server {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting new connections. Connections already open finish on
    /// their own.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Binds the listener and starts serving in the background on the current
/// tokio runtime.
pub async fn serve(config: Config) -> io::Result<Server> {
    let router = build_router(&config)?;
    let listener = TcpListener::bind((config.host, config.port)).await?;
    let addr = listener.local_addr()?;
    let (stop_tx, mut stop_rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                // Fires on shutdown() and also when the Server is dropped.
                _ = &mut stop_rx => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        tokio::spawn(serve_connection(stream, router.clone()));
                    }
                    Err(err) => {
                        // Usually fd exhaustion: back off instead of spinning.
                        eprintln!("migo-mock: accept failed: {err}");
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    }
                },
            }
        }
    });
    Ok(Server { addr, stop: Some(stop_tx), task })
}

/// Serves one TCP connection. We drive hyper ourselves (instead of
/// `axum::serve`) so a handler can abort the connection: when the kill
/// signal fires, the connection future is dropped, which closes the socket
/// without a single response byte, exactly like a gateway that died mid-call.
async fn serve_connection(stream: TcpStream, router: Router) {
    let _ = stream.set_nodelay(true);
    let kill = ConnKill::default();
    let handler_kill = kill.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(handler_kill.clone());
        router.clone().oneshot(req)
    });
    let conn = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = kill.0.notified() => {}
    }
}

fn build_router(config: &Config) -> io::Result<Router> {
    let app = Arc::new(App { gateway: Mutex::new(Gateway::new(config.model(), rand::random())) });

    let mut router: Router<Arc<App>> = Router::new();

    // Everything but the static folders lands in the fallback, which hands
    // `/rest` to the gateway emulation, `/__mock` to its admin API and
    // anything else to the root static folder. Doing `/rest` there (rather
    // than as axum routes) keeps every path under it, even `/rest/` or
    // `/rest//x`, inside the gateway's 404 envelope.
    let mut root_dir: Option<ServeDir> = None;
    for mount in &config.statics {
        let prefix = normalize_prefix(&mount.prefix)?;
        // A mistyped folder would otherwise only show up as puzzling 404s.
        if !mount.dir.is_dir() {
            return Err(invalid(&format!("--static {}: not a directory", mount.dir.display())));
        }
        let dir = ServeDir::new(&mount.dir).append_index_html_on_directories(true);
        if prefix == "/" {
            if root_dir.replace(dir).is_some() {
                return Err(invalid("two --static mounts for /"));
            }
        } else {
            router = router.nest_service(
                &prefix,
                tower::service_fn(move |req: Request| {
                    let dir = dir.clone();
                    async move { Ok::<_, std::convert::Infallible>(serve_static(dir, req).await) }
                }),
            );
        }
    }
    let fallback_app = app.clone();
    router = router.fallback(move |req: Request| {
        let app = fallback_app.clone();
        let root_dir = root_dir.clone();
        async move {
            let path = req.uri().path();
            if app.gateway().is_api_path(path) {
                return rest::handle(app, req).await;
            }
            let req = match path.strip_prefix("/__mock").filter(|p| p.starts_with('/')).map(str::to_string) {
                Some(sub) => match admin(&app, &sub, req).await {
                    Ok(res) => return res,
                    Err(req) => req,
                },
                None => req,
            };
            if let Some(dir) = root_dir {
                serve_static(dir, req).await
            } else {
                axum::http::StatusCode::NOT_FOUND.into_response()
            }
        }
    });

    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, HeaderName::from_static("x-application-id")])
        .expose_headers([HeaderName::from_static("x-request-id"), header::RETRY_AFTER]);

    // The request id layer is outermost so even CORS preflights carry one.
    Ok(router.with_state(app.clone()).layer(cors).layer(middleware::from_fn_with_state(app, request_id)))
}

fn invalid(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.to_string())
}

/// The model's admin API under `/__mock`; gives the request back when `sub`
/// is not one of its routes.
async fn admin(app: &App, sub: &str, req: Request) -> Result<Response, Request> {
    if !app.gateway().admin_route(sub) {
        return Err(req);
    }
    let (parts, body) = req.into_parts();
    let body = match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let res = (axum::http::StatusCode::BAD_REQUEST, r#"{"ok":false,"error":"body unreadable or too large"}"#);
            return Ok(res.into_response());
        }
    };
    let res = app.gateway().admin(&parts.method, sub, &body, now_ms());
    Ok(res.map(|r| r.map(Body::from)).unwrap_or_else(|| axum::http::StatusCode::NOT_FOUND.into_response()))
}

/// `/pkg/` -> `/pkg`; refuses prefixes that would shadow the API.
fn normalize_prefix(prefix: &str) -> io::Result<String> {
    let trimmed = prefix.trim_matches('/');
    if trimmed.is_empty() {
        return Ok("/".into());
    }
    let prefix = format!("/{trimmed}");
    for reserved in ["/rest", "/__mock"] {
        if prefix == reserved || prefix.starts_with(&format!("{reserved}/")) {
            return Err(invalid(&format!("--static {prefix} would shadow {reserved}")));
        }
    }
    Ok(prefix)
}

/// ServeDir plus the headers a dev server for a wasm SDK needs: exact MIME
/// types for modules (browsers refuse `instantiateStreaming` otherwise,
/// whatever the mime table of the day says) and no caching, so a rebuilt
/// package is always picked up.
async fn serve_static(dir: ServeDir, req: Request) -> Response {
    let path = req.uri().path().to_ascii_lowercase();
    let mut res = match dir.oneshot(req).await {
        Ok(res) => res.map(Body::new),
        Err(never) => match never {},
    };
    let mime = if path.ends_with(".wasm") {
        Some("application/wasm")
    } else if path.ends_with(".js") || path.ends_with(".mjs") {
        Some("text/javascript")
    } else {
        None
    };
    if let (Some(mime), true) = (mime, res.status().is_success()) {
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Numbers every response (`req-000001`, ...) so tests and logs can
/// correlate them; the counter restarts on `/__mock/reset`.
async fn request_id(AxState(app): AxState<Arc<App>>, mut req: Request, next: Next) -> Response {
    let id = app.gateway().next_request_id();
    req.extensions_mut().insert(RequestId(id.clone()));
    let mut res = next.run(req).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", value);
    }
    res
}
