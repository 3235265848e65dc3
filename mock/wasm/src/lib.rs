//! The gateway model behind the package's test gateway (`migo-cards/testing`).
//!
//! [`Host`] is the whole skin in plain Rust (requests in, [`Answer`]s out,
//! admin calls on JSON values), so `migo-mock`'s test suite drives this very
//! code natively; `bindings` (wasm only) hands it to JavaScript through
//! wasm-bindgen as the class `Gateway`, values crossing by serde.

// The boundary is wasm-bindgen's: nothing here needs unsafe.
#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
mod bindings;

use std::collections::BTreeMap;

use http::header::{HeaderName, HeaderValue};
use http::{Method, StatusCode, Uri};
use migo_gateway_model::{Config, Exchange, Gateway, Response, Step};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{json, Value};

/// Which JS error a refused call becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// What `fetch` would reject with a TypeError (bad method, header, URL),
    /// or a bad argument to an admin method: a `TypeError`.
    Type,
    /// A URL outside the base path: a `TypeError` from `fetch` (migo-mock
    /// answers such a path 404).
    Route,
    /// An unknown card or user in an admin call: a `RangeError`.
    NotFound,
    /// The wrapper misused the skin (an exchange that is not waiting): an `Error`.
    Protocol,
}

/// A refused call.
#[derive(Debug, PartialEq, Eq)]
pub struct HostError {
    pub kind: ErrorKind,
    pub message: String,
}

impl HostError {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> HostError {
        HostError { kind, message: message.into() }
    }
}

/// `createTestGateway`'s options.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    pub tokens: Option<Vec<String>>,
    pub expired_tokens: Option<Vec<String>>,
    pub users: Option<Vec<String>>,
    pub base_path: Option<String>,
    pub seed: Option<u64>,
}

/// What the wrapper does next with a request.
#[derive(Debug, PartialEq, Serialize)]
#[serde(tag = "step", rename_all = "lowercase")]
pub enum Answer {
    /// Wait `ms` on the host's timers, then resume the exchange (or abandon it).
    Wait { ms: f64, exchange: u32 },
    /// Answer with this response.
    Respond(Reply),
    /// Close the connection without an answer: `fetch` rejects.
    Drop,
}

/// A response as the wrapper builds its `Response`.
#[derive(Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    pub status: u16,
    pub status_text: &'static str,
    /// Lower-case names in order, one pair per name (values joined by ", "),
    /// as `Headers` iterates them.
    pub headers: Vec<(String, String)>,
    #[serde(serialize_with = "as_bytes")]
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Bytes as bytes (a `Uint8Array` in JS), not as a list of numbers.
fn as_bytes<S: Serializer>(body: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bytes(body)
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

/// `res` as a reply, with `request_id` added.
fn reply(mut res: Response, request_id: Option<&str>) -> Reply {
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(id).ok()) {
        res.headers_mut().insert("x-request-id", id);
    }
    let mut headers = BTreeMap::<&str, String>::new();
    for (name, value) in res.headers() {
        let value = latin1(value.as_bytes());
        headers.entry(name.as_str()).and_modify(|v| *v = format!("{v}, {value}")).or_insert(value);
    }
    Reply {
        status: res.status().as_u16(),
        status_text: res.status().canonical_reason().unwrap_or(""),
        headers: headers.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        body: res.into_body(),
    }
}

impl Host {
    pub fn new(options: Options) -> Result<Host, HostError> {
        let bad = |m: &str| HostError::new(ErrorKind::Type, format!("createTestGateway: {m}"));
        let mut config = Config::default();
        if let Some(tokens) = options.tokens {
            config.tokens = tokens;
        }
        if let Some(tokens) = options.expired_tokens {
            config.expired_tokens = tokens;
        }
        if config.tokens.iter().chain(&config.expired_tokens).any(|t| t.is_empty() || t.contains(char::is_whitespace)) {
            return Err(bad("tokens must be non-empty and without spaces"));
        }
        if let Some(users) = options.users {
            if users.is_empty() || users.iter().any(|u| u.is_empty()) {
                return Err(bad("users must be a non-empty list of user ids"));
            }
            config.users = users;
        }
        if let Some(base) = options.base_path {
            let valid = base.starts_with('/') && !base.contains(['?', '#']) && Uri::try_from(base.as_str()).is_ok();
            if !valid {
                return Err(bad("basePath must be a URL path such as \"/rest\""));
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

    /// Sends a request: `url` is the path and query, `headers` name-value
    /// pairs; `now_ms` is the host's `Date.now()`.
    pub fn fetch(
        &mut self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: &[u8],
        now_ms: f64,
    ) -> Result<Answer, HostError> {
        let refuse = |m: &str| HostError::new(ErrorKind::Type, format!("fetch: {m}"));
        let method = Method::from_bytes(method.as_bytes()).map_err(|_| refuse("invalid method"))?;
        let path = url.split(['?', '#']).next().unwrap_or("");
        if !self.gateway.is_api_path(path) {
            // The path only, scrubbed: the query may hold a view token.
            let base = &self.gateway.config().base_path;
            let shown = migo_gateway_model::scrub_text(path, &[]);
            return Err(HostError::new(
                ErrorKind::Route,
                format!(
                    "fetch: {shown} is not under the test gateway's base path {base} (createTestGateway's basePath)"
                ),
            ));
        }
        let mut req = migo_gateway_model::Request::new(body.to_vec());
        *req.method_mut() = method;
        for (name, value) in headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| refuse("invalid header name"))?;
            // Leading and trailing blanks are not part of a value (fetch's
            // Headers and HTTP parsers both strip them).
            let value = byte_string(value.trim_matches([' ', '\t']))
                .and_then(|v| HeaderValue::from_bytes(&v).ok())
                .ok_or_else(|| refuse("invalid header value"))?;
            req.headers_mut().append(name, value);
        }
        let request_id = self.gateway.next_request_id();
        // A target a real server could not parse is refused before the
        // gateway sees it, as hyper does: 400 with no body.
        let Ok(uri) = Uri::try_from(url) else {
            let mut res = Response::new(Vec::new());
            *res.status_mut() = StatusCode::BAD_REQUEST;
            return Ok(Answer::Respond(reply(res, Some(&request_id))));
        };
        *req.uri_mut() = uri;
        let exchange = self.gateway.receive(req, &request_id);
        Ok(self.step(exchange, ms(now_ms)))
    }

    /// Moves a waiting exchange on.
    pub fn resume(&mut self, exchange: u32, now_ms: f64) -> Result<Answer, HostError> {
        let ex = self
            .waiting
            .remove(&exchange)
            .ok_or_else(|| HostError::new(ErrorKind::Protocol, "no such exchange waiting"))?;
        Ok(self.step(ex, ms(now_ms)))
    }

    /// Forgets a waiting exchange (its client gave up): it is never processed.
    pub fn abandon(&mut self, exchange: u32) {
        self.waiting.remove(&exchange);
    }

    /// Advances `ex` and says what the wrapper must do.
    fn step(&mut self, ex: Exchange, now_ms: u64) -> Answer {
        let request_id = ex.request_id().to_string();
        match self.gateway.advance(ex, now_ms) {
            Step::Wait(delay, ex) => {
                let id = self.next_exchange;
                self.next_exchange = self.next_exchange.wrapping_add(1).max(1);
                self.waiting.insert(id, ex);
                Answer::Wait { ms: delay.as_millis() as f64, exchange: id }
            }
            Step::Respond(res) => Answer::Respond(reply(res, Some(&request_id))),
            Step::Drop => Answer::Drop,
        }
    }

    /// The admin API as migo-mock serves it under `/__mock` (`path` relative
    /// to it), its answer numbered with an `x-request-id` as over HTTP.
    pub fn admin_http(&mut self, method: &str, path: &str, body: &[u8], now_ms: f64) -> Result<Reply, HostError> {
        let method =
            Method::from_bytes(method.as_bytes()).map_err(|_| HostError::new(ErrorKind::Type, "invalid method"))?;
        let id = self.gateway.next_request_id();
        let res = self.gateway.admin(&method, path, body, ms(now_ms)).unwrap_or_else(|| {
            let mut res = Response::new(Vec::new());
            *res.status_mut() = StatusCode::NOT_FOUND;
            res
        });
        Ok(reply(res, Some(&id)))
    }

    /// An admin call for the method `name`: its JSON answer, or the error
    /// the method throws (`NotFound` for an unknown card or user).
    fn admin(
        &mut self,
        name: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
        now_ms: f64,
    ) -> Result<Value, HostError> {
        let body = body.map(Value::to_string).unwrap_or_default();
        let res = self.gateway.admin(&method, path, body.as_bytes(), ms(now_ms));
        let res = res.ok_or_else(|| HostError::new(ErrorKind::Protocol, format!("{name}: no admin route {path}")))?;
        let status = res.status();
        let value: Value = serde_json::from_slice(res.body()).unwrap_or(Value::Null);
        if status.is_client_error() || status.is_server_error() {
            let why = value["error"].as_str().map_or_else(|| format!("status {}", status.as_u16()), str::to_string);
            let kind = if status == StatusCode::NOT_FOUND { ErrorKind::NotFound } else { ErrorKind::Type };
            return Err(HostError::new(kind, format!("{name}: {why}")));
        }
        Ok(value)
    }

    /// Cards, statements, the redacted request log, queued faults, the
    /// envelope reading and the users (`TestGatewayState`).
    pub fn state(&self) -> Value {
        self.gateway.state_json()
    }

    pub fn reset(&mut self) {
        self.gateway.reset();
    }

    /// A single-use view token; `card_id` a number or a string of digits.
    pub fn view_token(&mut self, card_id: Value, now_ms: f64) -> Result<String, HostError> {
        let answer =
            self.admin("viewToken", Method::POST, "/view-tokens", Some(&json!({"cardId": card_id})), now_ms)?;
        Ok(answer["token"].as_str().unwrap_or_default().to_string())
    }

    /// Sets the envelope reading (`{envelope}`, or nothing); returns the one in force.
    pub fn config(&mut self, settings: Option<Value>, now_ms: f64) -> Result<String, HostError> {
        let settings = settings.unwrap_or_else(|| json!({}));
        let answer = self.admin("config", Method::POST, "/config", Some(&settings), now_ms)?;
        Ok(answer["envelope"].as_str().unwrap_or_default().to_string())
    }

    /// Queues a fault (`FaultSpec`); returns how many are queued.
    pub fn fault(&mut self, spec: Option<Value>, now_ms: f64) -> Result<u32, HostError> {
        let answer = self.admin("fault", Method::POST, "/faults", spec.as_ref(), now_ms)?;
        Ok(answer["queued"].as_u64().map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)))
    }

    pub fn clear_faults(&mut self) {
        self.gateway.clear_faults();
    }

    /// Adds a card (`NewTestCard`); returns it as the state lists it.
    pub fn add_card(&mut self, card: Option<Value>, now_ms: f64) -> Result<Value, HostError> {
        self.admin("addCard", Method::POST, "/cards", card.as_ref(), now_ms)
    }
}

/// `value` with every integer JavaScript cannot hold exactly as a float, as
/// `JSON.parse` reads it.
pub fn js_numbers(value: &mut Value) {
    const SAFE: f64 = 9_007_199_254_740_991.0;
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|f| f.abs() > SAFE && (n.is_u64() || n.is_i64())) {
                if let Some(float) = serde_json::Number::from_f64(f) {
                    *n = float;
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(js_numbers),
        Value::Object(map) => map.values_mut().for_each(js_numbers),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
