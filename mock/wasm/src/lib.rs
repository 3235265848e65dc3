//! The gateway model behind the package's test gateway (`migo-cards/testing`).
//!
//! The JS wrapper and this module talk in *frames*: a little-endian `u32`
//! length, that many bytes of JSON (the head), then raw body bytes. [`Host`]
//! is the whole skin in plain Rust (requests in, steps out, admin calls), so
//! `migo-mock`'s test suite drives this very code natively; `abi` only moves
//! frames across the wasm boundary.
//!
//! No wasm-bindgen here: its glue decodes every string with `TextDecoder`,
//! which Jest's jsdom environment lacks, and comes as either ES module or
//! CommonJS; with bytes-only exports one small hand-written wrapper loads the
//! module everywhere.

#[cfg(target_arch = "wasm32")]
mod abi;

use std::collections::BTreeMap;

use http::header::{HeaderName, HeaderValue};
use http::{Method, StatusCode, Uri};
use migo_gateway_model::{Config, Exchange, Gateway, Response, Step};
use serde::Deserialize;
use serde_json::{json, Value};

/// Sends a request: head `{method, url, headers: [[name, value]]}` (url is
/// the path and query), body the request body. Answers a step.
pub const OP_FETCH: u32 = 1;
/// Moves a waiting exchange on: head `{exchange}`. Answers a step.
pub const OP_RESUME: u32 = 2;
/// Forgets a waiting exchange (its client gave up): head `{exchange}`.
pub const OP_ABANDON: u32 = 3;
/// The admin API: head `{method, path, numbered}` (path relative to
/// `/__mock`; numbered: give the answer an `x-request-id`), body its JSON.
/// Answers `{status, statusText, headers}` and the body.
pub const OP_ADMIN: u32 = 4;

/// A refused call: `kind` tells the wrapper which JS error to throw.
#[derive(Debug, PartialEq, Eq)]
pub struct HostError {
    /// `type`: what `fetch` would reject with a TypeError (bad method,
    /// header, URL); `route`: a URL outside the base path; `protocol`: the
    /// wrapper and the module disagree (a bug).
    pub kind: &'static str,
    pub message: String,
}

impl HostError {
    pub(crate) fn new(kind: &'static str, message: impl Into<String>) -> HostError {
        HostError { kind, message: message.into() }
    }

    /// The error as a frame for the wrapper.
    pub fn to_frame(&self) -> Vec<u8> {
        frame(&json!({"error": self.message, "kind": self.kind}), &[])
    }
}

/// `head` and `body` as one frame.
pub fn frame(head: &Value, body: &[u8]) -> Vec<u8> {
    let head = head.to_string().into_bytes();
    let mut out = Vec::with_capacity(4 + head.len() + body.len());
    out.extend_from_slice(&(head.len() as u32).to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(body);
    out
}

/// A frame's head (parsed) and body.
pub fn unframe(input: &[u8]) -> Result<(Value, &[u8]), HostError> {
    let bad = || HostError::new("protocol", "malformed frame");
    let len = input.get(..4).ok_or_else(bad)?;
    let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
    let head = input.get(4..4usize.checked_add(len).ok_or_else(bad)?).ok_or_else(bad)?;
    let head = serde_json::from_slice(head).map_err(|_| bad())?;
    Ok((head, &input[4 + len..]))
}

/// `createTestGateway`'s options, as the wrapper passes them on.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Options {
    tokens: Option<Vec<String>>,
    expired_tokens: Option<Vec<String>>,
    users: Option<Vec<String>>,
    base_path: Option<String>,
    seed: Option<u64>,
}

#[derive(Deserialize)]
struct FetchHead {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct ExchangeHead {
    exchange: u32,
}

#[derive(Deserialize)]
struct AdminHead {
    method: String,
    path: String,
    #[serde(default)]
    numbered: bool,
}

/// One gateway and the requests it is holding back.
pub struct Host {
    gateway: Gateway,
    waiting: BTreeMap<u32, Exchange>,
    next_exchange: u32,
}

/// A Latin-1 string (JS's ByteString, as `Headers` holds) as bytes.
fn byte_string(s: &str) -> Option<Vec<u8>> {
    s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

/// Bytes as a Latin-1 string, the way a browser exposes header values.
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

fn ms(now_ms: f64) -> u64 {
    if now_ms.is_finite() && now_ms > 0.0 {
        now_ms as u64
    } else {
        0
    }
}

/// `res` as a response frame, with `request_id` added.
fn response_frame(step: &str, mut res: Response, request_id: Option<&str>) -> Vec<u8> {
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(id).ok()) {
        res.headers_mut().insert("x-request-id", id);
    }
    let headers: Vec<(&str, String)> = res.headers().iter().map(|(k, v)| (k.as_str(), latin1(v.as_bytes()))).collect();
    let head = json!({
        "step": step,
        "status": res.status().as_u16(),
        "statusText": res.status().canonical_reason().unwrap_or(""),
        "headers": headers,
    });
    frame(&head, res.body())
}

impl Host {
    /// A gateway from the options frame (head: the options object).
    pub fn create(input: &[u8]) -> Result<Host, HostError> {
        let (head, _) = unframe(input)?;
        let options: Options =
            serde_json::from_value(head).map_err(|e| HostError::new("type", format!("createTestGateway: {e}")))?;
        let mut config = Config::default();
        if let Some(tokens) = options.tokens {
            config.tokens = tokens;
        }
        if let Some(tokens) = options.expired_tokens {
            config.expired_tokens = tokens;
        }
        if config.tokens.iter().chain(&config.expired_tokens).any(|t| t.is_empty() || t.contains(char::is_whitespace)) {
            return Err(HostError::new("type", "createTestGateway: tokens must be non-empty and without spaces"));
        }
        if let Some(users) = options.users {
            if users.is_empty() || users.iter().any(|u| u.is_empty()) {
                return Err(HostError::new("type", "createTestGateway: users must be a non-empty list of user ids"));
            }
            config.users = users;
        }
        if let Some(base) = options.base_path {
            let valid = base.starts_with('/') && !base.contains(['?', '#']) && Uri::try_from(base.as_str()).is_ok();
            if !valid {
                return Err(HostError::new("type", "createTestGateway: basePath must be a URL path such as \"/rest\""));
            }
            config.base_path = base;
        }
        Ok(Host {
            gateway: Gateway::new(config, options.seed.unwrap_or(0)),
            waiting: BTreeMap::new(),
            next_exchange: 1,
        })
    }

    pub fn gateway(&self) -> &Gateway {
        &self.gateway
    }

    /// Runs one operation; `now_ms` is the host's `Date.now()`.
    pub fn call(&mut self, op: u32, input: &[u8], now_ms: f64) -> Result<Vec<u8>, HostError> {
        let (head, body) = unframe(input)?;
        let protocol = |e: serde_json::Error| HostError::new("protocol", e.to_string());
        match op {
            OP_FETCH => self.fetch(serde_json::from_value(head).map_err(protocol)?, body, ms(now_ms)),
            OP_RESUME => {
                let h: ExchangeHead = serde_json::from_value(head).map_err(protocol)?;
                let ex = self
                    .waiting
                    .remove(&h.exchange)
                    .ok_or_else(|| HostError::new("protocol", "no such exchange waiting"))?;
                Ok(self.step(ex, ms(now_ms)))
            }
            OP_ABANDON => {
                let h: ExchangeHead = serde_json::from_value(head).map_err(protocol)?;
                self.waiting.remove(&h.exchange);
                Ok(frame(&json!({}), &[]))
            }
            OP_ADMIN => {
                let h: AdminHead = serde_json::from_value(head).map_err(protocol)?;
                let method = Method::from_bytes(h.method.as_bytes())
                    .map_err(|_| HostError::new("type", "invalid admin method"))?;
                let id = h.numbered.then(|| self.gateway.next_request_id());
                let res = match self.gateway.admin(&method, &h.path, body, ms(now_ms)) {
                    Some(res) => res,
                    None => {
                        let mut res = Response::new(Vec::new());
                        *res.status_mut() = StatusCode::NOT_FOUND;
                        res
                    }
                };
                Ok(response_frame("respond", res, id.as_deref()))
            }
            _ => Err(HostError::new("protocol", "unknown operation")),
        }
    }

    fn fetch(&mut self, head: FetchHead, body: &[u8], now_ms: u64) -> Result<Vec<u8>, HostError> {
        let method =
            Method::from_bytes(head.method.as_bytes()).map_err(|_| HostError::new("type", "fetch: invalid method"))?;
        let path = head.url.split(['?', '#']).next().unwrap_or("");
        if !self.gateway.is_api_path(path) {
            // The path only, scrubbed: the query may hold a view token.
            let base = &self.gateway.config().base_path;
            let shown = migo_gateway_model::scrub_text(path, &[]);
            return Err(HostError::new(
                "route",
                format!(
                    "fetch: {shown} is not under the test gateway's base path {base} (createTestGateway's basePath)"
                ),
            ));
        }
        let mut req = migo_gateway_model::Request::new(body.to_vec());
        *req.method_mut() = method;
        for (name, value) in &head.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| HostError::new("type", "fetch: invalid header name"))?;
            // Leading and trailing blanks are not part of a value (fetch's
            // Headers and HTTP parsers both strip them).
            let value = byte_string(value.trim_matches([' ', '\t']))
                .and_then(|v| HeaderValue::from_bytes(&v).ok())
                .ok_or_else(|| HostError::new("type", "fetch: invalid header value"))?;
            req.headers_mut().append(name, value);
        }
        let request_id = self.gateway.next_request_id();
        // A target a real server could not parse is refused before the
        // gateway sees it, as hyper does: 400 with no body.
        let Ok(uri) = Uri::try_from(head.url.as_str()) else {
            let mut res = Response::new(Vec::new());
            *res.status_mut() = StatusCode::BAD_REQUEST;
            return Ok(response_frame("respond", res, Some(&request_id)));
        };
        *req.uri_mut() = uri;
        let exchange = self.gateway.receive(req, &request_id);
        Ok(self.step(exchange, now_ms))
    }

    /// Advances `ex` and says what the wrapper must do.
    fn step(&mut self, ex: Exchange, now_ms: u64) -> Vec<u8> {
        let request_id = ex.request_id().to_string();
        match self.gateway.advance(ex, now_ms) {
            Step::Wait(delay, ex) => {
                let id = self.next_exchange;
                self.next_exchange = self.next_exchange.wrapping_add(1).max(1);
                self.waiting.insert(id, ex);
                let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                frame(&json!({"step": "wait", "ms": ms, "exchange": id}), &[])
            }
            Step::Respond(res) => response_frame("respond", res, Some(&request_id)),
            Step::Drop => frame(&json!({"step": "drop"}), &[]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(options: Value) -> Host {
        Host::create(&frame(&options, &[])).unwrap()
    }

    fn step(host: &mut Host, op: u32, head: Value, body: &[u8]) -> (Value, Vec<u8>) {
        let out = host.call(op, &frame(&head, body), 1_700_000_000_000.0).unwrap();
        let (head, body) = unframe(&out).unwrap();
        (head, body.to_vec())
    }

    fn header<'a>(head: &'a Value, name: &str) -> Option<&'a str> {
        head["headers"].as_array()?.iter().find(|h| h[0] == name).and_then(|h| h[1].as_str())
    }

    #[test]
    fn frames_round_trip_and_malformed_frames_are_refused() {
        let f = frame(&json!({"a": 1}), b"body");
        let (head, body) = unframe(&f).unwrap();
        assert_eq!((head, body), (json!({"a": 1}), &b"body"[..]));
        for bad in [&b""[..], b"\x05\0\0", b"\xff\xff\xff\xff{}", b"\x02\0\0\0{"] {
            assert_eq!(unframe(bad).unwrap_err().kind, "protocol");
        }
    }

    #[test]
    fn options_are_checked() {
        for bad in [
            json!({"basePath": "rest"}),
            json!({"basePath": "/rest?x"}),
            json!({"users": []}),
            json!({"users": [""]}),
            json!({"tokens": ["a b"]}),
            json!({"seed": -1}),
            json!({"seed": 1.5}),
            json!({"port": 1}),
            json!([]),
        ] {
            let err = Host::create(&frame(&bad, &[])).err().unwrap_or_else(|| panic!("{bad} accepted"));
            assert_eq!(err.kind, "type", "{bad}");
            assert!(err.message.starts_with("createTestGateway: "), "{}", err.message);
        }
        let h = host(json!({"basePath": "/api/v2", "users": ["u1"], "tokens": ["t1"], "seed": 9}));
        assert_eq!(h.gateway().config().base_path, "/api/v2");
    }

    #[test]
    fn a_request_under_the_base_path_is_answered_with_a_request_id() {
        let mut h = host(json!({}));
        let headers = json!([["authorization", "  Bearer migo-test-token "], ["x-application-id", "app"]]);
        let (head, body) = step(
            &mut h,
            OP_FETCH,
            json!({"method": "POST", "url": "/rest/users/1001/cards/virtuals", "headers": headers}),
            b"",
        );
        assert_eq!(head["step"], "respond");
        assert_eq!(head["status"], 201);
        assert_eq!(head["statusText"], "Created");
        assert_eq!(header(&head, "x-request-id"), Some("req-000001"));
        assert_eq!(header(&head, "content-type"), Some("application/json"));
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["data"]["cardId"], 5_000_001);
        // The log has the request id too.
        let (_, state) = step(&mut h, OP_ADMIN, json!({"method": "GET", "path": "/state"}), b"");
        let state: Value = serde_json::from_slice(&state).unwrap();
        assert_eq!(state["requests"][0]["requestId"], "req-000001");
        assert_eq!(state["requests"][0]["headers"]["authorization"], "Bearer ***");
    }

    #[test]
    fn urls_outside_the_base_path_and_bad_requests_are_refused_like_fetch() {
        let mut h = host(json!({"basePath": "/api"}));
        let call = |h: &mut Host, method: &str, url: &str, headers: Value| {
            h.call(OP_FETCH, &frame(&json!({"method": method, "url": url, "headers": headers}), &[]), 0.0)
        };
        let e = call(&mut h, "POST", "/rest/users/1001/cards/virtuals", json!([])).unwrap_err();
        assert_eq!(e.kind, "route");
        assert!(e.message.contains("/api"), "{}", e.message);
        assert_eq!(call(&mut h, "POST", "/apix/users", json!([])).unwrap_err().kind, "route");
        assert_eq!(call(&mut h, "PO ST", "/api/x", json!([])).unwrap_err().kind, "type");
        assert_eq!(call(&mut h, "POST", "/api/x", json!([["bad name", "v"]])).unwrap_err().kind, "type");
        assert_eq!(call(&mut h, "POST", "/api/x", json!([["x", "a\nb"]])).unwrap_err().kind, "type");
        // Not a ByteString: what Headers itself would refuse.
        assert_eq!(call(&mut h, "POST", "/api/x", json!([["x", "\u{20ac}"]])).unwrap_err().kind, "type");
        // Latin-1 is fine (it is logged lossily, never echoed).
        assert!(call(&mut h, "POST", "/api/x", json!([["x-application-id", "caf\u{e9}"]])).is_ok());
        // Nothing refused reached the log.
        let (_, state) = step(&mut h, OP_ADMIN, json!({"method": "GET", "path": "/state"}), b"");
        let state: Value = serde_json::from_slice(&state).unwrap();
        assert_eq!(state["requests"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn delays_are_steps_and_an_abandoned_request_is_never_processed() {
        let mut h = host(json!({}));
        let auth = json!([["authorization", "Bearer migo-test-token"]]);
        let issue = json!({"method": "POST", "url": "/rest/users/1001/cards/virtuals", "headers": auth});
        step(&mut h, OP_ADMIN, json!({"method": "POST", "path": "/faults"}), br#"{"delayMs": 250, "times": 2}"#);
        let (head, _) = step(&mut h, OP_FETCH, issue.clone(), b"");
        assert_eq!((head["step"].as_str(), head["ms"].as_u64()), (Some("wait"), Some(250)));
        // The client gives up: nothing is created, the log keeps no status.
        step(&mut h, OP_ABANDON, json!({"exchange": head["exchange"]}), b"");
        let (head, _) = step(&mut h, OP_FETCH, issue, b"");
        assert_eq!(head["step"], "wait");
        let e = h.call(OP_RESUME, &frame(&json!({"exchange": 999}), &[]), 0.0).unwrap_err();
        assert_eq!(e.kind, "protocol");
        let (done, _) = step(&mut h, OP_RESUME, json!({"exchange": head["exchange"]}), b"");
        assert_eq!(done["status"], 201);
        assert_eq!(header(&done, "x-request-id"), Some("req-000002"));
        let (_, state) = step(&mut h, OP_ADMIN, json!({"method": "GET", "path": "/state"}), b"");
        let state: Value = serde_json::from_slice(&state).unwrap();
        assert_eq!(state["cards"].as_array().unwrap().len(), 1);
        assert_eq!(state["requests"][0]["status"], Value::Null);
        assert_eq!(state["requests"][1]["status"], 201);
    }

    #[test]
    fn the_same_seed_gives_the_same_cards_and_view_tokens() {
        let run = |seed: u64| {
            let mut h = host(json!({"seed": seed}));
            let (_, card) =
                step(&mut h, OP_ADMIN, json!({"method": "POST", "path": "/cards"}), br#"{"userId": "alice"}"#);
            let (_, token) =
                step(&mut h, OP_ADMIN, json!({"method": "POST", "path": "/view-tokens"}), br#"{"cardId": 5000001}"#);
            (card, token)
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42), run(43));
    }

    /// Nothing the wrapper (or a caller behind it) passes may panic the module.
    #[test]
    fn garbage_in_never_panics() {
        let mut h = host(json!({}));
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let heads = [
            json!({"method": "GET", "url": "/rest/users/1001/cards/5000001?token=vt_x", "headers": []}),
            json!({"method": "POST", "url": "/rest/users/%ff/cards", "headers": [["content-type", "application/json"]]}),
            json!({"method": "PATCH", "url": "/rest/cards/99999999999999999999", "headers": [["authorization", "Bearer migo-test-token"], ["content-type", "application/json"]]}),
            json!({"method": "POST", "path": "/faults"}),
            json!({"method": "POST", "path": "/cards"}),
            json!({"method": "POST", "path": "/view-tokens"}),
            json!({"method": "POST", "path": "/config"}),
            json!({"exchange": 1}),
            json!({"method": "GET", "url": "", "headers": []}),
            json!({"method": "GET", "url": "rest", "headers": []}),
            json!({"method": "GET", "url": "/rest/\u{0}", "headers": []}),
            json!(null),
        ];
        for i in 0..4000 {
            let head = &heads[(next() % heads.len() as u64) as usize];
            let len = (next() % 64) as usize;
            let body: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let op = (next() % 6) as u32;
            let input = if i % 7 == 0 { body.clone() } else { frame(head, &body) };
            let _ = h.call(op, &input, (next() % 3) as f64 * f64::from(u32::MAX));
        }
    }
}
