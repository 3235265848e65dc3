//! The gateway emulation under `/rest`: the model decides, this skin reads
//! the body, waits out delays with tokio and closes connections for drops.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::Response;
use migo_gateway_model::{Step, UnreadableBody};

use crate::{now_ms, App, ConnKill, RequestId, MAX_BODY};

/// Entry point for every request under `/rest`.
pub(crate) async fn handle(app: Arc<App>, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    let kill = parts.extensions.remove::<ConnKill>();
    let request_id = parts.extensions.get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
    let (body, unreadable) = match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => (bytes.to_vec(), false),
        Err(_) => (Vec::new(), true),
    };
    let mut req = migo_gateway_model::Request::from_parts(parts, body);
    if unreadable {
        req.extensions_mut().insert(UnreadableBody);
    }

    // Logged on arrival, so the log keeps arrival order even while a delay
    // fault holds this request back. If the client goes away meanwhile,
    // hyper drops this future and the request is abandoned where it stood.
    let mut exchange = app.gateway().receive(req, &request_id);
    loop {
        let step = app.gateway().advance(exchange, now_ms());
        match step {
            Step::Wait(delay, next) => {
                tokio::time::sleep(delay).await;
                exchange = next;
            }
            Step::Respond(res) => return res.map(Body::from),
            Step::Drop => match kill {
                Some(kill) => {
                    kill.kill();
                    // The connection task drops us together with the socket.
                    std::future::pending::<()>().await;
                    unreachable!("a killed connection is never polled again");
                }
                None => {
                    let res = app.gateway().error_response(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "500",
                        "drop fault needs migo-mock's own connection handling",
                    );
                    return res.map(Body::from);
                }
            },
        }
    }
}
