//! The unauthenticated admin API under `/__mock`, used by test harnesses to
//! reset the mock, inspect it, mint view tokens, pick the envelope reading
//! and queue faults.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::model::{random_hex, Card, Envelope, Fault, LogEntry, Statement};
use crate::App;

type AppState = State<Arc<App>>;

fn admin_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"ok": false, "error": message.into()}))).into_response()
}

/// Admin bodies are parsed by hand so a harness gets a readable 400 instead
/// of axum's extractor rejections (and need not send a Content-Type).
fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("invalid body: {e}"))
}

pub(crate) async fn health() -> Json<Value> {
    Json(json!({"ok": true}))
}

pub(crate) async fn reset(State(app): AppState) -> Json<Value> {
    let mut state = app.state();
    // Keep the log sequence running so a request still in flight across the
    // reset cannot update a new entry that reuses its number.
    let seq = state.next_log_seq;
    *state = Default::default();
    state.next_log_seq = seq;
    Json(json!({"ok": true}))
}

pub(crate) async fn state(State(app): AppState) -> Json<Value> {
    let state = app.state();
    Json(json!({
        "cards": state.cards.values().map(Card::summary_json).collect::<Vec<_>>(),
        "statements": state.statements.iter().map(Statement::to_json).collect::<Vec<_>>(),
        "requests": state.requests.iter().map(LogEntry::to_json).collect::<Vec<_>>(),
    }))
}

pub(crate) async fn view_token(State(app): AppState, body: Bytes) -> Response {
    let body: Value = match parse(&body) {
        Ok(v) => v,
        Err(e) => return admin_error(StatusCode::BAD_REQUEST, e),
    };
    let card_id = match body.get("cardId") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    };
    let Some(card_id) = card_id else {
        return admin_error(StatusCode::BAD_REQUEST, "cardId (number or string) is required");
    };
    let mut state = app.state();
    if !state.cards.contains_key(&card_id) {
        return admin_error(StatusCode::NOT_FOUND, "card not found");
    }
    let token = format!("vt_{}", random_hex(16));
    state.view_tokens.insert(token.clone(), card_id);
    (StatusCode::CREATED, Json(json!({"token": token}))).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigBody {
    envelope: Option<String>,
}

pub(crate) async fn config(State(app): AppState, body: Bytes) -> Response {
    let body: ConfigBody = match parse(&body) {
        Ok(v) => v,
        Err(e) => return admin_error(StatusCode::BAD_REQUEST, e),
    };
    let mut state = app.state();
    if let Some(envelope) = body.envelope {
        state.envelope = match envelope.as_str() {
            "success" => Envelope::Success,
            "statusCode" => Envelope::StatusCode,
            _ => return admin_error(StatusCode::BAD_REQUEST, "envelope must be \"success\" or \"statusCode\""),
        };
    }
    let envelope = match state.envelope {
        Envelope::Success => "success",
        Envelope::StatusCode => "statusCode",
    };
    Json(json!({"ok": true, "envelope": envelope})).into_response()
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

pub(crate) async fn add_fault(State(app): AppState, body: Bytes) -> Response {
    let spec: FaultBody = match parse(&body) {
        Ok(v) => v,
        Err(e) => return admin_error(StatusCode::BAD_REQUEST, e),
    };
    if spec.status.is_some_and(|s| !(200..=599).contains(&s)) {
        return admin_error(StatusCode::BAD_REQUEST, "status must be 200..=599");
    }
    let retry_after = match spec.retry_after {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) => Some(s),
        Some(_) => return admin_error(StatusCode::BAD_REQUEST, "retryAfter must be a number or string"),
    };
    let times = spec.times.unwrap_or(1);
    if times == 0 {
        return admin_error(StatusCode::BAD_REQUEST, "times must be at least 1");
    }
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
        times,
    };
    let mut state = app.state();
    state.faults.push(fault);
    Json(json!({"ok": true, "queued": state.faults.len()})).into_response()
}

pub(crate) async fn clear_faults(State(app): AppState) -> Json<Value> {
    app.state().faults.clear();
    Json(json!({"ok": true}))
}
