//! The Migo Wallet Gateway card API as a state machine that does no I/O.
//!
//! Two skins drive it: `migo-mock` (an axum server) and the wasm test
//! gateway of the npm package (`migo-cards/testing`). Time and randomness
//! come from the skin (`now_ms`, the seed), and what a skin must *do* (hold
//! an answer back, lose it) comes back as data, [`Step`], so both skins
//! perform the same decisions with their own timers and connections.
//!
//! A request goes through [`Gateway::receive`] (logged on arrival, a queued
//! fault taken) and then [`Gateway::advance`] until it yields a response or a
//! drop; between a [`Step::Wait`] and the next `advance` the skin waits. A
//! skin that stops advancing (its client went away) abandons the request
//! exactly where it stood, like a server whose connection closed.

mod admin;
mod rest;
mod state;

use std::time::Duration;

use http::header::HeaderValue;
use http::{Method, StatusCode};
use rand::rngs::SmallRng;
use rand::SeedableRng;

pub use admin::{AdminError, NewCard};
pub use state::{luhn_valid, mask_pan, scrub_text, valid_card_number, CardStatus, Envelope, Fault, FIRST_CARD_ID};

use rest::{log_arrival, render, Call};
use state::State;

/// A request as the model sees it: method, origin-form URI (path and query),
/// headers and the whole body. A skin that could not read the body inserts
/// [`UnreadableBody`] into its extensions.
pub type Request = http::Request<Vec<u8>>;
/// An answer: status, headers and the whole body.
pub type Response = http::Response<Vec<u8>>;

/// Marks a [`Request`] whose body could not be read (or was too large).
#[derive(Clone, Copy, Debug)]
pub struct UnreadableBody;

/// Users the gateway knows unless configured otherwise. The same set serves
/// as cardholders and as the auth users of the operator endpoints.
pub const USERS: [&str; 4] = ["1001", "1002", "1003", "alice"];
/// Access token accepted unless the configuration says otherwise.
pub const DEFAULT_TOKEN: &str = "migo-test-token";
/// Token that is always answered with `401 TOKEN_EXPIRED`.
pub const DEFAULT_EXPIRED_TOKEN: &str = "migo-expired-token";
/// Where the card API lives on the gateway's origin.
pub const DEFAULT_BASE_PATH: &str = "/rest";

/// What a gateway accepts; fixed for its life (a reset keeps it).
#[derive(Clone, Debug)]
pub struct Config {
    /// Accepted access tokens.
    pub tokens: Vec<String>,
    /// Tokens answered with `401 TOKEN_EXPIRED`.
    pub expired_tokens: Vec<String>,
    /// Known user ids (cardholders and operator auth users).
    pub users: Vec<String>,
    /// The API's path prefix, e.g. `/rest`; fault patterns may omit it.
    pub base_path: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            tokens: vec![DEFAULT_TOKEN.to_string()],
            expired_tokens: vec![DEFAULT_EXPIRED_TOKEN.to_string()],
            users: USERS.iter().map(|u| u.to_string()).collect(),
            base_path: DEFAULT_BASE_PATH.to_string(),
        }
    }
}

/// The whole gateway: configuration, state and its random source.
pub struct Gateway {
    config: Config,
    state: State,
    rng: SmallRng,
}

/// A request between [`Gateway::receive`] and the last [`Gateway::advance`].
pub struct Exchange {
    seq: u64,
    request_id: String,
    call: Call,
    fault: Option<Fault>,
    fault_desc: Option<String>,
    stage: Stage,
}

// Hand-written so a request's token, card number or view token can never
// reach a Debug line.
impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange").field("seq", &self.seq).field("fault", &self.fault_desc).finish_non_exhaustive()
    }
}

impl Exchange {
    /// The id [`Gateway::receive`] was given for this request.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }
}

enum Stage {
    /// Logged; a delay before processing may still hold it back.
    Arrived,
    /// Ready to be processed (or refused by a fault).
    Released,
    /// Processed; a delay after processing may still hold the answer back.
    Answered(Response),
}

/// What the skin must do next with an [`Exchange`].
// A step is moved a few times per request: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Step {
    /// Wait this long, then call [`Gateway::advance`] with the exchange.
    Wait(Duration, Exchange),
    /// Send this answer (the skin adds its `x-request-id`).
    Respond(Response),
    /// Close the connection without a single byte of answer.
    Drop,
}

impl Gateway {
    /// A fresh gateway. `seed` drives card numbers, CVVs and view tokens:
    /// the same seed and the same calls give the same values.
    pub fn new(config: Config, seed: u64) -> Gateway {
        Gateway { config, state: State::default(), rng: SmallRng::seed_from_u64(seed) }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Every token the log must never show.
    fn secrets(&self) -> Vec<String> {
        self.config.tokens.iter().chain(&self.config.expired_tokens).cloned().collect()
    }

    /// The next `x-request-id` (`req-000001`, ...): skins number every
    /// answer they give, API or not; the counter restarts on reset.
    pub fn next_request_id(&mut self) -> String {
        self.state.request_counter += 1;
        format!("req-{:06}", self.state.request_counter)
    }

    /// Whether `path` (as sent, percent-encoded) is under the API's base path.
    pub fn is_api_path(&self, path: &str) -> bool {
        state::strip_base(path, &self.config.base_path).is_some()
    }

    /// A request arrives: it is logged (redacted) and the first matching
    /// queued fault is taken. Nothing is processed yet.
    pub fn receive(&mut self, req: Request, request_id: &str) -> Exchange {
        let body_unreadable = req.extensions().get::<UnreadableBody>().is_some();
        let (parts, body) = req.into_parts();
        let path = parts.uri.path().to_string();
        let query: Vec<(String, String)> =
            serde_urlencoded::from_str(parts.uri.query().unwrap_or("")).unwrap_or_default();
        let call = Call { method: parts.method, path, headers: parts.headers, query, body, body_unreadable };
        // A plain OPTIONS (not a CORS preflight, which the HTTP skin answers
        // itself) never meets a fault.
        let fault = if call.method == Method::OPTIONS {
            None
        } else {
            self.state.take_fault(call.method.as_str(), &call.path, &self.config.base_path)
        };
        let secrets = self.secrets();
        let seq = log_arrival(&mut self.state, &secrets, &call, request_id);
        let fault_desc = fault.as_ref().map(Fault::describe);
        Exchange { seq, request_id: request_id.to_string(), call, fault, fault_desc, stage: Stage::Arrived }
    }

    /// Moves an exchange on until the skin has something to do. A delay
    /// holds the request back before it is processed, or, with `after`,
    /// holds the answer back once it has been: the gateway acted but
    /// answered too late. A fault without `after` means the gateway never
    /// acted; with `after`, the state changes and then the answer is lost or
    /// replaced. `now_ms` (Unix time, milliseconds) dates what is created.
    pub fn advance(&mut self, mut ex: Exchange, now_ms: u64) -> Step {
        let delay = ex.fault.as_ref().and_then(|f| f.delay_ms).map(Duration::from_millis);
        let after = ex.fault.as_ref().is_some_and(|f| f.after);
        loop {
            match std::mem::replace(&mut ex.stage, Stage::Released) {
                Stage::Arrived => {
                    if let (Some(d), false) = (delay, after) {
                        return Step::Wait(d, ex);
                    }
                }
                Stage::Released => {
                    if let Some(step) = self.fault_step(&ex, false) {
                        return step;
                    }
                    let outcome = self.process(&ex.call, now_ms);
                    let res = render(self.state.envelope, outcome);
                    rest::processed(&mut self.state, ex.seq, res.status().as_u16());
                    ex.stage = Stage::Answered(res);
                    if let (Some(d), true) = (delay, after) {
                        return Step::Wait(d, ex);
                    }
                }
                Stage::Answered(res) => {
                    if let Some(step) = self.fault_step(&ex, true) {
                        return step;
                    }
                    rest::finish(&mut self.state, ex.seq, Some(res.status().as_u16()), ex.fault_desc);
                    return Step::Respond(res);
                }
            }
        }
    }

    /// The fault's replacement answer (or drop) at this point of the
    /// exchange, or `None` when there is none (no fault, or one that only
    /// delays).
    fn fault_step(&mut self, ex: &Exchange, after: bool) -> Option<Step> {
        let fault = ex.fault.as_ref().filter(|f| f.after == after)?;
        let envelope = self.state.envelope;
        let mut res = if fault.drop {
            rest::finish(&mut self.state, ex.seq, None, ex.fault_desc.clone());
            return Some(Step::Drop);
        } else if fault.malformed {
            let status = fault.status.and_then(|s| StatusCode::from_u16(s).ok()).unwrap_or(StatusCode::OK);
            rest::raw_response(status, "application/json", r#"{"success": tru"#)
        } else if let Some(status) = fault.status {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            match &fault.body {
                Some(body) => rest::raw_response(status, content_type(fault), body),
                None => {
                    let code = status.as_u16().to_string();
                    render(envelope, Err(rest::ApiError::new(status, &code, "injected fault")))
                }
            }
        } else if let Some(body) = &fault.body {
            rest::raw_response(StatusCode::OK, content_type(fault), body)
        } else {
            return None;
        };
        if let Some(retry_after) = &fault.retry_after {
            if let Ok(value) = HeaderValue::from_str(retry_after) {
                res.headers_mut().insert(http::header::RETRY_AFTER, value);
            }
        }
        rest::finish(&mut self.state, ex.seq, Some(res.status().as_u16()), ex.fault_desc.clone());
        Some(Step::Respond(res))
    }

    /// An error envelope in the current reading, for answers a skin makes
    /// itself (e.g. a drop it cannot perform).
    pub fn error_response(&self, status: StatusCode, code: &str, message: &str) -> Response {
        render(self.state.envelope, Err(rest::ApiError::new(status, code, message)))
    }
}

fn content_type(fault: &Fault) -> &str {
    fault.content_type.as_deref().unwrap_or("text/plain")
}
