//! The admin operations (reset, state, view tokens, envelope reading,
//! faults, seeded cards), as methods and as the JSON API that `migo-mock`
//! serves under `/__mock` and the test gateway's methods call.

use http::header::{self, HeaderValue};
use http::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::rest::json_response;
use crate::state::{random_hex, random_pan, valid_card_number, Card, CardStatus, Envelope, Fault, LogEntry, State};
use crate::{Gateway, Response};

/// A refused admin operation: the HTTP status it is answered with and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminError {
    pub status: u16,
    pub message: String,
}

impl AdminError {
    fn bad(message: impl Into<String>) -> AdminError {
        AdminError { status: 400, message: message.into() }
    }

    fn not_found(message: impl Into<String>) -> AdminError {
        AdminError { status: 404, message: message.into() }
    }
}

impl std::fmt::Display for AdminError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A card put straight into the state (no API call, nothing logged).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewCard {
    pub user_id: Value,
    /// `INACTIVE` (default), `ACTIVE` or `BLOCKED`.
    pub status: Option<String>,
    pub alias: Option<String>,
    /// A card number passing the gateway's checks; random when absent.
    pub pan: Option<String>,
}

/// Unknown fields are refused so a typo in a test (`"delay": 100`) fails
/// loudly instead of queuing a fault that does nothing.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FaultBody {
    method: Option<String>,
    path: Option<String>,
    status: Option<u16>,
    retry_after: Option<Value>,
    delay_ms: Option<u64>,
    #[serde(default)]
    drop: bool,
    #[serde(default)]
    malformed: bool,
    body: Option<String>,
    content_type: Option<String>,
    #[serde(default)]
    after: bool,
    times: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigBody {
    envelope: Option<String>,
}

/// Admin bodies are parsed by hand so a harness gets a readable 400 instead
/// of a framework's extractor rejection (and need not send a Content-Type).
fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, AdminError> {
    serde_json::from_slice(body).map_err(|e| AdminError::bad(format!("invalid body: {e}")))
}

/// A card id given as a number or a string of digits.
fn card_id_of(v: Option<&Value>) -> Option<u64> {
    match v {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    }
}

/// The methods of each admin route.
fn admin_methods(path: &str) -> Option<&'static [Method]> {
    Some(match path {
        "/health" | "/state" => &[Method::GET],
        "/reset" | "/view-tokens" | "/config" | "/cards" => &[Method::POST],
        "/faults" => &[Method::POST, Method::DELETE],
        _ => return None,
    })
}

impl Gateway {
    /// Whether `path` (relative to the admin API's mount point) is one of its routes.
    pub fn admin_route(&self, path: &str) -> bool {
        admin_methods(path).is_some()
    }

    /// Back to the freshly started state (cards, statements, view tokens,
    /// faults, log, request ids, envelope); the configuration stays.
    pub fn reset(&mut self) {
        // Keep the log sequence running so a request still in flight across
        // the reset cannot update a new entry that reuses its number.
        let seq = self.state.next_log_seq;
        self.state = State::default();
        self.state.next_log_seq = seq;
    }

    /// Cards (no PAN or CVV), statements, the redacted request log, queued
    /// faults, the envelope reading and the known users.
    pub fn state_json(&self) -> Value {
        let secrets = self.secrets();
        let s = &self.state;
        json!({
            "cards": s.cards.values().map(Card::summary_json).collect::<Vec<_>>(),
            "statements": s.statements.iter().map(|st| st.to_json()).collect::<Vec<_>>(),
            "requests": s.requests.iter().map(LogEntry::to_json).collect::<Vec<_>>(),
            "faults": s.faults.iter().map(|f| f.to_json(&secrets)).collect::<Vec<_>>(),
            "envelope": s.envelope.as_str(),
            "users": self.config.users,
        })
    }

    /// A single-use view token (`vt_` and 32 hex digits) for a card's details.
    pub fn mint_view_token(&mut self, card_id: u64) -> Result<String, AdminError> {
        if !self.state.cards.contains_key(&card_id) {
            return Err(AdminError::not_found("card not found"));
        }
        let token = format!("vt_{}", random_hex(&mut self.rng, 16));
        self.state.view_tokens.insert(token.clone(), card_id);
        Ok(token)
    }

    pub fn envelope(&self) -> Envelope {
        self.state.envelope
    }

    pub fn set_envelope(&mut self, envelope: Envelope) {
        self.state.envelope = envelope;
    }

    /// Queues a fault; returns how many are queued.
    pub fn queue_fault(&mut self, fault: Fault) -> Result<usize, AdminError> {
        if fault.status.is_some_and(|s| !(200..=599).contains(&s)) {
            return Err(AdminError::bad("status must be 200..=599"));
        }
        if fault.times == 0 {
            return Err(AdminError::bad("times must be at least 1"));
        }
        self.state.faults.push(fault);
        Ok(self.state.faults.len())
    }

    pub fn clear_faults(&mut self) {
        self.state.faults.clear();
    }

    /// Puts a card into the state as if it had been issued (or linked) and
    /// moved to `status`; returns it as the state lists it.
    pub fn add_card(&mut self, card: NewCard, now_ms: u64) -> Result<Value, AdminError> {
        let user = match &card.user_id {
            Value::String(s) => s.clone(),
            Value::Number(n) if n.is_u64() => n.to_string(),
            _ => return Err(AdminError::bad("userId (string or number) is required")),
        };
        if !self.config.users.contains(&user) {
            return Err(AdminError::not_found(format!(
                "user not found; known users: {}",
                self.config.users.join(", ")
            )));
        }
        let status = match card.status.as_deref() {
            None => CardStatus::Inactive,
            Some(s) => CardStatus::parse(s)
                .ok_or_else(|| AdminError::bad("status must be \"INACTIVE\", \"ACTIVE\" or \"BLOCKED\""))?,
        };
        if card.alias.as_ref().is_some_and(|a| !(1..=64).contains(&a.chars().count())) {
            return Err(AdminError::bad("alias must be a string of 1 to 64 characters"));
        }
        let pan = match card.pan {
            Some(pan) if valid_card_number(&pan) => pan,
            // The number is not repeated: it may be a real one.
            Some(_) => return Err(AdminError::bad("pan must be 12 to 19 digits passing the Luhn check")),
            None => random_pan(&mut self.rng),
        };
        let card = self.state.add_card(&mut self.rng, now_ms, &user, status, pan, card.alias);
        Ok(card.summary_json())
    }

    /// The admin JSON API: `method` and `path` relative to its mount point
    /// (`/__mock` on migo-mock), e.g. `POST /faults`. `None` when `path` is
    /// not an admin route; a known route with another method answers 405.
    pub fn admin(&mut self, method: &Method, path: &str, body: &[u8], now_ms: u64) -> Option<Response> {
        let allowed = admin_methods(path)?;
        if !allowed.contains(method) {
            let mut res = Response::new(Vec::new());
            *res.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
            let allow = allowed.iter().map(Method::as_str).collect::<Vec<_>>().join(",");
            if let Ok(v) = HeaderValue::from_str(&allow) {
                res.headers_mut().insert(header::ALLOW, v);
            }
            return Some(res);
        }
        let result = match (path, method.as_str()) {
            ("/health", _) => Ok((StatusCode::OK, json!({"ok": true}))),
            ("/reset", _) => {
                self.reset();
                Ok((StatusCode::OK, json!({"ok": true})))
            }
            ("/state", _) => Ok((StatusCode::OK, self.state_json())),
            ("/view-tokens", _) => parse::<Value>(body).and_then(|b| {
                let id = card_id_of(b.get("cardId"))
                    .ok_or_else(|| AdminError::bad("cardId (number or string) is required"))?;
                Ok((StatusCode::CREATED, json!({"token": self.mint_view_token(id)?})))
            }),
            ("/config", _) => parse::<ConfigBody>(body).and_then(|b| {
                if let Some(e) = b.envelope {
                    let e = Envelope::parse(&e)
                        .ok_or_else(|| AdminError::bad("envelope must be \"success\" or \"statusCode\""))?;
                    self.set_envelope(e);
                }
                Ok((StatusCode::OK, json!({"ok": true, "envelope": self.envelope().as_str()})))
            }),
            ("/cards", _) => parse::<NewCard>(body)
                .and_then(|card| self.add_card(card, now_ms))
                .map(|card| (StatusCode::CREATED, card)),
            ("/faults", "DELETE") => {
                self.clear_faults();
                Ok((StatusCode::OK, json!({"ok": true})))
            }
            _ => parse::<FaultBody>(body).and_then(|spec| {
                let retry_after = match spec.retry_after {
                    None | Some(Value::Null) => None,
                    Some(Value::Number(n)) => Some(n.to_string()),
                    Some(Value::String(s)) => Some(s),
                    Some(_) => return Err(AdminError::bad("retryAfter must be a number or string")),
                };
                let fault = Fault {
                    method: spec.method,
                    path: spec.path,
                    status: spec.status,
                    retry_after,
                    delay_ms: spec.delay_ms,
                    drop: spec.drop,
                    malformed: spec.malformed,
                    body: spec.body,
                    content_type: spec.content_type,
                    after: spec.after,
                    times: spec.times.unwrap_or(1),
                };
                let queued = self.queue_fault(fault)?;
                Ok((StatusCode::OK, json!({"ok": true, "queued": queued})))
            }),
        };
        Some(match result {
            Ok((status, body)) => json_response(status, &body),
            Err(e) => {
                let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
                // A parser's message may quote the value it refused (a card
                // number sent as a number, say).
                let message = crate::state::scrub_text(&e.message, &self.secrets());
                json_response(status, &json!({"ok": false, "error": message}))
            }
        })
    }
}
