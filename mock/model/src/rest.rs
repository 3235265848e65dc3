//! The gateway's card API: auth, routing, the ten card endpoints, the
//! response envelope and the redacted request log.

use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, StatusCode};
use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};

use crate::state::{
    redact_json, scrub_text, strip_base, valid_card_number, CardStatus, Envelope, LogEntry, State, Statement,
};
use crate::{Gateway, Response};

pub(crate) struct ApiError {
    status: StatusCode,
    code: String,
    message: String,
    allow: Option<&'static str>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError { status, code: code.to_string(), message: message.into(), allow: None }
    }

    /// `7000` CHECK_PARAMETERS: the request itself is wrong.
    pub(crate) fn bad(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "7000", message)
    }

    fn user_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "7100", "user not found")
    }

    fn card_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "7200", "card not found")
    }
}

pub(crate) struct Success {
    status: StatusCode,
    message: &'static str,
    data: Value,
}

pub(crate) type Outcome = Result<Success, ApiError>;

fn ok(message: &'static str, data: Value) -> Outcome {
    Ok(Success { status: StatusCode::OK, message, data })
}

fn created(message: &'static str, data: Value) -> Outcome {
    Ok(Success { status: StatusCode::CREATED, message, data })
}

/// A JSON answer, with the Content-Type axum's `Json` gives.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut res = Response::new(body.to_string().into_bytes());
    *res.status_mut() = status;
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

/// Both readings of `CustomResponse<T>` the docs give; the admin API picks one.
pub(crate) fn render(envelope: Envelope, outcome: Outcome) -> Response {
    match outcome {
        Ok(s) => {
            let mut body = match envelope {
                Envelope::Success => json!({"success": true, "message": s.message, "data": s.data}),
                Envelope::StatusCode => {
                    json!({"statusCode": s.status.as_u16(), "message": s.message, "data": s.data})
                }
            };
            // An operation with nothing to return (setting a PIN) sends no `data`.
            if let Some(envelope) = body.as_object_mut().filter(|_| s.data.is_null()) {
                envelope.remove("data");
            }
            json_response(s.status, &body)
        }
        Err(e) => {
            let errors = json!([{"code": e.code, "message": e.message}]);
            let body = match envelope {
                Envelope::Success => {
                    json!({"success": false, "message": e.message, "errors": errors})
                }
                Envelope::StatusCode => {
                    json!({"statusCode": e.status.as_u16(), "message": e.message, "errors": errors})
                }
            };
            let mut res = json_response(e.status, &body);
            if let Some(allow) = e.allow {
                res.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
            }
            res
        }
    }
}

pub(crate) fn raw_response(status: StatusCode, content_type: &str, body: &str) -> Response {
    let mut res = Response::new(body.as_bytes().to_vec());
    *res.status_mut() = status;
    let value = HeaderValue::from_str(content_type).unwrap_or_else(|_| HeaderValue::from_static("text/plain"));
    res.headers_mut().insert(header::CONTENT_TYPE, value);
    res
}

/// What the endpoint handlers need to know about the request.
pub(crate) struct Call {
    pub method: Method,
    /// The request's path as sent (still percent-encoded).
    pub path: String,
    pub headers: HeaderMap,
    pub query: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The skin could not read the body (or it was too large).
    pub body_unreadable: bool,
}

impl Call {
    fn allow(&self, method: &'static str) -> Result<(), ApiError> {
        if self.method.as_str() == method {
            return Ok(());
        }
        let mut err =
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "7000", format!("method not allowed; use {method}"));
        err.allow = Some(method);
        Err(err)
    }

    fn query(&self, key: &str) -> Option<&str> {
        self.query.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The contract says these endpoints take no body; a client that sends
    /// one (or even just a Content-Type) has misread it.
    fn no_body(&self) -> Result<(), ApiError> {
        if !self.body.is_empty() || self.headers.contains_key(header::CONTENT_TYPE) {
            return Err(ApiError::bad("this endpoint takes no request body"));
        }
        Ok(())
    }

    fn json_object(&self) -> Result<Map<String, Value>, ApiError> {
        let is_json = self
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::bad("Content-Type must be application/json"));
        }
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(ApiError::bad("request body must be a JSON object")),
            Err(_) => Err(ApiError::bad("request body is not valid JSON")),
        }
    }
}

fn only_fields(body: &Map<String, Value>, allowed: &[&str]) -> Result<(), ApiError> {
    match body.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(extra) => Err(ApiError::bad(format!("unexpected field `{extra}`"))),
        None => Ok(()),
    }
}

fn parse_card_id(raw: &str) -> Result<u64, ApiError> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::bad("cardId must be numeric"));
    }
    // All digits but beyond u64: well-formed, just not a card we have.
    raw.parse().map_err(|_| ApiError::card_not_found())
}

impl Gateway {
    fn user_exists(&self, user: &str) -> bool {
        self.config.users.iter().any(|u| u == user)
    }

    fn authenticate(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|t| !t.is_empty());
        match token {
            Some(t) if self.config.expired_tokens.iter().any(|x| x == t) => {
                Err(ApiError::new(StatusCode::UNAUTHORIZED, "TOKEN_EXPIRED", "access token expired"))
            }
            Some(t) if self.config.tokens.iter().any(|x| x == t) => Ok(()),
            _ => Err(ApiError::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "missing or invalid access token")),
        }
    }

    /// Runs the request against the state: the gateway acts here.
    pub(crate) fn process(&mut self, call: &Call, now_ms: u64) -> Outcome {
        if call.body_unreadable {
            return Err(ApiError::bad("request body unreadable or too large"));
        }
        self.authenticate(&call.headers)?;
        let raw = strip_base(&call.path, &self.config.base_path).unwrap_or(&call.path);
        let raw = raw.strip_prefix('/').unwrap_or(raw);
        // Split before decoding so an encoded `/` stays inside its segment.
        let segments = raw
            .split('/')
            .map(|s| {
                percent_decode_str(s)
                    .decode_utf8()
                    .map(|c| c.into_owned())
                    .map_err(|_| ApiError::bad("path segment is not valid UTF-8"))
            })
            .collect::<Result<Vec<String>, ApiError>>()?;
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();

        match segments.as_slice() {
            ["users", user, "cards", "virtuals"] => {
                call.allow("POST")?;
                self.issue_card(call, user, now_ms)
            }
            ["users", user, "cards"] => {
                call.allow("POST")?;
                self.link_card(call, user, now_ms)
            }
            ["users", user, "cards", card, action @ ("activate" | "block" | "unblock")] => {
                call.allow("POST")?;
                let card_id = parse_card_id(card)?;
                call.no_body()?;
                if !self.user_exists(user) {
                    return Err(ApiError::user_not_found());
                }
                let card = self
                    .state
                    .cards
                    .get_mut(&card_id)
                    .filter(|c| c.user_id == *user)
                    .ok_or_else(ApiError::card_not_found)?;
                transition(card, action)
            }
            ["users", user, "cards", card] => {
                call.allow("GET")?;
                self.card_details(call, user, card)
            }
            ["cards", card, "users", auth_user, action @ ("block" | "unblock")] => {
                call.allow("POST")?;
                let card_id = parse_card_id(card)?;
                call.no_body()?;
                if !self.user_exists(auth_user) {
                    return Err(ApiError::user_not_found());
                }
                // Operators act on any user's card.
                let card = self.state.cards.get_mut(&card_id).ok_or_else(ApiError::card_not_found)?;
                transition(card, action)
            }
            ["cards", card] => {
                call.allow("PATCH")?;
                self.update_alias(call, card)
            }
            ["cards", card, "statements"] => {
                call.allow("POST")?;
                self.create_statement(call, card)
            }
            ["cards", card, "pin"] => {
                call.allow("POST")?;
                self.set_pin(call, card, None)
            }
            ["cards", card, "users", auth_user, "pin"] => {
                call.allow("POST")?;
                self.set_pin(call, card, Some(auth_user))
            }
            _ => Err(ApiError::new(StatusCode::NOT_FOUND, "7000", "no such endpoint")),
        }
    }

    fn issue_card(&mut self, call: &Call, user: &str, now_ms: u64) -> Outcome {
        call.no_body()?;
        if !self.user_exists(user) {
            return Err(ApiError::user_not_found());
        }
        let pan = crate::state::random_pan(&mut self.rng);
        let card = self.state.add_card(&mut self.rng, now_ms, user, CardStatus::Inactive, pan, None);
        created("Card issued", card.to_json())
    }

    fn link_card(&mut self, call: &Call, user: &str, now_ms: u64) -> Outcome {
        let body = call.json_object()?;
        if call.query("clientId").is_none_or(str::is_empty) {
            return Err(ApiError::bad("clientId query parameter is required"));
        }
        only_fields(&body, &["card", "alias"])?;
        let pan = match body.get("card") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(ApiError::bad("card must be a string")),
            None => return Err(ApiError::bad("card is required")),
        };
        let alias = match body.get("alias") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(ApiError::bad("alias must be a string or null")),
        };
        // Never echo the number back: it would end up in client logs.
        if !valid_card_number(&pan) {
            return Err(ApiError::bad("card failed verification"));
        }
        if !self.user_exists(user) {
            return Err(ApiError::user_not_found());
        }
        let card = self.state.add_card(&mut self.rng, now_ms, user, CardStatus::Active, pan, alias);
        created("Card linked", card.to_json())
    }

    fn card_details(&mut self, call: &Call, user: &str, card: &str) -> Outcome {
        let card_id = parse_card_id(card)?;
        call.no_body()?;
        if !self.user_exists(user) {
            return Err(ApiError::user_not_found());
        }
        let state = &mut self.state;
        let card = state.cards.get(&card_id).filter(|c| c.user_id == user).ok_or_else(ApiError::card_not_found)?;
        // Single use: the token is consumed on success only, and the message
        // never repeats it.
        let token = call.query("token").unwrap_or("");
        if state.view_tokens.get(token) != Some(&card_id) {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "7000", "a valid single-use view token is required"));
        }
        state.view_tokens.remove(token);
        ok(
            "Card details",
            json!({
                "cardId": card.id,
                "pan": card.pan,
                "cvv": card.cvv,
                "expiry": card.expiry,
                "maskedPan": card.masked_pan(),
                "cardholderName": format!("MIGO TEST {}", user.to_uppercase()),
                "status": card.status.as_str(),
            }),
        )
    }

    fn update_alias(&mut self, call: &Call, card: &str) -> Outcome {
        let card_id = parse_card_id(card)?;
        let body = call.json_object()?;
        only_fields(&body, &["alias"])?;
        let alias = match body.get("alias") {
            Some(Value::String(s)) if (1..=64).contains(&s.chars().count()) => s.clone(),
            _ => return Err(ApiError::bad("alias must be a string of 1 to 64 characters")),
        };
        let card = self.state.cards.get_mut(&card_id).ok_or_else(ApiError::card_not_found)?;
        card.alias = Some(alias);
        ok("Card alias updated", card.to_json())
    }

    /// Sets a PIN: the card holder's (`user` None: the session's own card) or
    /// one user's on a shared card. Only whether it is set is kept, and no
    /// message repeats it.
    fn set_pin(&mut self, call: &Call, card: &str, user: Option<&str>) -> Outcome {
        let card_id = parse_card_id(card)?;
        let body = call.json_object()?;
        only_fields(&body, &["pin"])?;
        match body.get("pin") {
            Some(Value::String(p)) if (4..=12).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => {}
            _ => return Err(ApiError::bad("pin must be a string of 4 to 12 digits")),
        }
        if user.is_some_and(|u| !self.user_exists(u)) {
            return Err(ApiError::user_not_found());
        }
        let card = self.state.cards.get_mut(&card_id).ok_or_else(ApiError::card_not_found)?;
        if card.status == CardStatus::Blocked {
            return Err(ApiError::new(StatusCode::CONFLICT, "7213", "card is BLOCKED, a PIN needs INACTIVE or ACTIVE"));
        }
        let user = user.map_or_else(|| card.user_id.clone(), str::to_string);
        card.pin_users.insert(user);
        ok("PIN set", Value::Null)
    }

    fn create_statement(&mut self, call: &Call, card: &str) -> Outcome {
        let card_id = parse_card_id(card)?;
        let body = call.json_object()?;
        only_fields(&body, &["month", "year"])?;
        let int_in = |name: &str, lo: i64, hi: i64| {
            body.get(name)
                .and_then(Value::as_i64)
                .filter(|n| (lo..=hi).contains(n))
                .ok_or_else(|| ApiError::bad(format!("{name} must be an integer from {lo} to {hi}")))
        };
        let month = int_in("month", 1, 12)?;
        let year = int_in("year", 1000, 9999)?;
        let state = &mut self.state;
        if !state.cards.contains_key(&card_id) {
            return Err(ApiError::card_not_found());
        }
        let statement = Statement { id: state.statements.len() as u64 + 1, card_id, month, year };
        let data = statement.to_json();
        state.statements.push(statement);
        created("Statement generated", data)
    }
}

fn transition(card: &mut crate::state::Card, action: &str) -> Outcome {
    let (from, to, message) = match action {
        "activate" => (CardStatus::Inactive, CardStatus::Active, "Card activated"),
        "block" => (CardStatus::Active, CardStatus::Blocked, "Card blocked"),
        _ => (CardStatus::Blocked, CardStatus::Active, "Card unblocked"),
    };
    if card.status != from {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "7213",
            format!("card is {}, {action} needs {}", card.status.as_str(), from.as_str()),
        ));
    }
    card.status = to;
    ok(message, card.to_json())
}

// ---- request log ----------------------------------------------------------

/// Records a request as it arrives, already redacted: the log is shown to
/// anyone who asks for the state, so it must never hold a token, PAN or CVV.
pub(crate) fn log_arrival(state: &mut State, secrets: &[String], call: &Call, request_id: &str) -> u64 {
    let seq = state.next_log_seq;
    state.next_log_seq += 1;

    // A PIN route's values are all hidden, whatever key or shape carries them.
    let pin_route = is_pin_route(&call.path);
    let mut query = Map::new();
    for (key, value) in &call.query {
        let value = if key == "token" || pin_route { "***".to_string() } else { scrub_text(value, secrets) };
        query.insert(key.clone(), Value::String(value));
    }

    let mut headers = Map::new();
    if let Some(auth) = call.headers.get(header::AUTHORIZATION) {
        let auth = String::from_utf8_lossy(auth.as_bytes());
        // Keep the scheme (it tells whether the client sent "Bearer"), never
        // the credential.
        let shown = match auth.trim().split_once(' ') {
            Some((scheme, _)) => format!("{} ***", scrub_text(scheme, secrets)),
            None => "***".to_string(),
        };
        headers.insert("authorization".into(), Value::String(shown));
    }
    for name in ["content-type", "x-application-id"] {
        if let Some(value) = call.headers.get(name) {
            let value = String::from_utf8_lossy(value.as_bytes());
            headers.insert(name.into(), Value::String(scrub_text(&value, secrets)));
        }
    }

    let body = if call.body.is_empty() {
        Value::Null
    } else if pin_route {
        match serde_json::from_slice::<Value>(&call.body) {
            Ok(Value::Object(map)) => Value::Object(
                map.into_iter().map(|(k, _)| (scrub_text(&k, secrets), Value::String("***".into()))).collect(),
            ),
            _ => Value::String("***".into()),
        }
    } else {
        match serde_json::from_slice::<Value>(&call.body) {
            Ok(mut value) => {
                redact_json(&mut value, secrets);
                value
            }
            Err(_) => Value::String(scrub_text(&String::from_utf8_lossy(&call.body), secrets)),
        }
    };

    state.requests.push(LogEntry {
        seq,
        request_id: scrub_text(request_id, secrets),
        method: call.method.to_string(),
        path: scrub_text(&call.path, secrets),
        query: Value::Object(query),
        headers: Value::Object(headers),
        body,
        status: None,
        processed: None,
        fault: None,
    });
    seq
}

/// Whether `path` ends in a `pin` segment (encoded or not): the PIN routes.
fn is_pin_route(path: &str) -> bool {
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    percent_decode_str(last).decode_utf8().is_ok_and(|s| s.eq_ignore_ascii_case("pin"))
}

/// Records the gateway's own answer once it has processed the request,
/// before a fault may replace it: a 2xx there means it acted.
pub(crate) fn processed(state: &mut State, seq: u64, status: u16) {
    if let Some(entry) = state.requests.iter_mut().rev().find(|e| e.seq == seq) {
        entry.processed = Some(status);
    }
}

pub(crate) fn finish(state: &mut State, seq: u64, status: Option<u16>, fault: Option<String>) {
    // The entry is gone if a reset happened while the request was in flight.
    if let Some(entry) = state.requests.iter_mut().rev().find(|e| e.seq == seq) {
        entry.status = status;
        entry.fault = fault;
    }
}
