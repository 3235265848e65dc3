//! In-memory gateway state: cards, statements, view tokens, queued faults and
//! the request log, plus the helpers that keep secrets out of that log.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rand::rngs::SmallRng;
use rand::Rng;
use serde_json::{json, Value};

pub const FIRST_CARD_ID: u64 = 5_000_001;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardStatus {
    Inactive,
    Active,
    Blocked,
}

impl CardStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CardStatus::Inactive => "INACTIVE",
            CardStatus::Active => "ACTIVE",
            CardStatus::Blocked => "BLOCKED",
        }
    }

    pub fn parse(s: &str) -> Option<CardStatus> {
        match s {
            "INACTIVE" => Some(CardStatus::Inactive),
            "ACTIVE" => Some(CardStatus::Active),
            "BLOCKED" => Some(CardStatus::Blocked),
            _ => None,
        }
    }
}

pub struct Card {
    pub id: u64,
    pub user_id: String,
    pub status: CardStatus,
    pub alias: Option<String>,
    pub pan: String,
    pub cvv: String,
    pub expiry: String,
    pub created_at: String,
    /// The users who have set a PIN on it; the PIN itself is never kept.
    pub pin_users: BTreeSet<String>,
}

impl Card {
    pub fn masked_pan(&self) -> String {
        mask_pan(&self.pan)
    }

    /// The card as the API shows it: never the PAN or CVV.
    pub fn to_json(&self) -> Value {
        json!({
            "cardId": self.id,
            "userId": self.user_id,
            "status": self.status.as_str(),
            "alias": self.alias,
            "maskedPan": self.masked_pan(),
            "balance": "0.0000",
            "createdAt": self.created_at,
        })
    }

    /// The card as the admin state lists it: `pinSet` when its holder has
    /// set a PIN, `pinUsers` every user who has one on it.
    pub fn summary_json(&self) -> Value {
        json!({
            "cardId": self.id,
            "userId": self.user_id,
            "status": self.status.as_str(),
            "alias": self.alias,
            "maskedPan": self.masked_pan(),
            "pinSet": self.pin_users.contains(&self.user_id),
            "pinUsers": self.pin_users,
        })
    }
}

/// The two readings of the gateway's response envelope the platform docs give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Envelope {
    /// `{"success": bool, ...}`, the reading most of the docs give.
    #[default]
    Success,
    /// `{"statusCode": n, ...}`, the quickstart's reading.
    StatusCode,
}

impl Envelope {
    pub fn as_str(self) -> &'static str {
        match self {
            Envelope::Success => "success",
            Envelope::StatusCode => "statusCode",
        }
    }

    pub fn parse(s: &str) -> Option<Envelope> {
        match s {
            "success" => Some(Envelope::Success),
            "statusCode" => Some(Envelope::StatusCode),
            _ => None,
        }
    }
}

/// A queued fault, as posted to the admin API's `faults`.
#[derive(Clone, Debug, Default)]
pub struct Fault {
    pub method: Option<String>,
    pub path: Option<String>,
    pub status: Option<u16>,
    pub retry_after: Option<String>,
    pub delay_ms: Option<u64>,
    pub drop: bool,
    pub malformed: bool,
    pub body: Option<String>,
    pub content_type: Option<String>,
    pub after: bool,
    pub times: u32,
}

impl Fault {
    /// `path` is the request's path; a pattern may be written with or
    /// without the API's base path (`/rest`).
    pub fn matches(&self, method: &str, path: &str, base_path: &str) -> bool {
        if let Some(m) = &self.method {
            if !m.eq_ignore_ascii_case(method) {
                return false;
            }
        }
        match &self.path {
            None => true,
            Some(pattern) => {
                let pattern = pattern.split('?').next().unwrap_or("");
                path_matches(pattern, path)
                    || strip_base(path, base_path).is_some_and(|rest| path_matches(pattern, rest))
            }
        }
    }

    /// Short human description for the request log.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(ms) = self.delay_ms {
            parts.push(format!("delay {ms}ms"));
        }
        if self.drop {
            parts.push("drop".to_string());
        } else if self.malformed {
            parts.push("malformed".to_string());
        } else if let Some(status) = self.status {
            parts.push(format!("status {status}"));
        }
        if self.body.is_some() && !self.drop && !self.malformed {
            parts.push("body".to_string());
        }
        if let Some(ra) = &self.retry_after {
            parts.push(format!("retryAfter {ra}"));
        }
        if parts.is_empty() {
            parts.push("noop".to_string());
        }
        let mut s = parts.join(", ");
        if self.after {
            s.push_str(" (after)");
        }
        s
    }

    /// The fault as the admin state lists it (its body is the tester's own
    /// text, scrubbed like everything else shown).
    pub fn to_json(&self, secrets: &[String]) -> Value {
        json!({
            "method": self.method,
            "path": self.path.as_deref().map(|p| scrub_text(p, secrets)),
            "status": self.status,
            "retryAfter": self.retry_after,
            "delayMs": self.delay_ms,
            "drop": self.drop,
            "malformed": self.malformed,
            "body": self.body.as_deref().map(|b| scrub_text(b, secrets)),
            "contentType": self.content_type,
            "after": self.after,
            "times": self.times,
        })
    }
}

/// `path` without the base path (`/rest/users` -> `/users`), when it is under it.
pub fn strip_base<'a>(path: &'a str, base_path: &str) -> Option<&'a str> {
    let base = base_path.trim_end_matches('/');
    let rest = path.strip_prefix(base)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// Segment-wise comparison where a `*` pattern segment matches any one segment.
fn path_matches(pattern: &str, path: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim_end_matches('/');
        let s = s.strip_prefix('/').unwrap_or(s);
        s.split('/').map(str::to_string).collect::<Vec<_>>()
    };
    let (p, q) = (norm(pattern), norm(path));
    p.len() == q.len() && p.iter().zip(&q).all(|(a, b)| a == "*" || a == b)
}

/// One line of the request log. Every field is already redacted when stored.
pub struct LogEntry {
    pub seq: u64,
    pub request_id: String,
    pub method: String,
    pub path: String,
    pub query: Value,
    pub headers: Value,
    pub body: Value,
    pub status: Option<u16>,
    /// The status of the gateway's own answer, before a fault replaced it;
    /// `None` until it has processed the request (it never may).
    pub processed: Option<u16>,
    pub fault: Option<String>,
}

impl LogEntry {
    pub fn to_json(&self) -> Value {
        json!({
            "requestId": self.request_id,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": self.body,
            "status": self.status,
            "processed": self.processed,
            "fault": self.fault,
        })
    }
}

pub struct Statement {
    pub id: u64,
    pub card_id: u64,
    pub month: i64,
    pub year: i64,
}

impl Statement {
    pub fn to_json(&self) -> Value {
        json!({
            "statementId": format!("stmt-{}", self.id),
            "cardId": self.card_id,
            "month": self.month,
            "year": self.year,
            "status": "GENERATED",
        })
    }
}

/// Everything a reset clears. `Default` is the freshly started state.
pub struct State {
    pub cards: BTreeMap<u64, Card>,
    pub next_card_id: u64,
    pub statements: Vec<Statement>,
    /// view token -> card id; a token is removed when it is used.
    pub view_tokens: HashMap<String, u64>,
    pub faults: Vec<Fault>,
    pub requests: Vec<LogEntry>,
    pub next_log_seq: u64,
    pub request_counter: u64,
    pub envelope: Envelope,
}

impl Default for State {
    fn default() -> Self {
        State {
            cards: BTreeMap::new(),
            next_card_id: FIRST_CARD_ID,
            statements: Vec::new(),
            view_tokens: HashMap::new(),
            faults: Vec::new(),
            requests: Vec::new(),
            next_log_seq: 0,
            request_counter: 0,
            envelope: Envelope::Success,
        }
    }
}

impl State {
    /// A new card; `now_ms` (Unix time in milliseconds) dates it.
    pub fn add_card(
        &mut self,
        rng: &mut SmallRng,
        now_ms: u64,
        user_id: &str,
        status: CardStatus,
        pan: String,
        alias: Option<String>,
    ) -> &Card {
        let id = self.next_card_id;
        self.next_card_id += 1;
        let (y, m) = year_month(now_ms);
        let card = Card {
            id,
            user_id: user_id.to_string(),
            status,
            alias,
            pan,
            cvv: format!("{:03}", rng.gen_range(0..1000)),
            // Valid for three years from this month.
            expiry: format!("{:02}/{:02}", m, (i32::from(y) + 3).rem_euclid(100)),
            created_at: iso_timestamp(now_ms),
            pin_users: BTreeSet::new(),
        };
        self.cards.entry(id).or_insert(card)
    }

    /// Takes the first queued fault that matches, decrementing its count.
    pub fn take_fault(&mut self, method: &str, path: &str, base_path: &str) -> Option<Fault> {
        let i = self.faults.iter().position(|f| f.matches(method, path, base_path))?;
        let fault = self.faults[i].clone();
        self.faults[i].times -= 1;
        if self.faults[i].times == 0 {
            self.faults.remove(i);
        }
        Some(fault)
    }
}

// ---- card numbers ---------------------------------------------------------

/// The gateway's own Luhn check, written apart from the SDK's on purpose: the
/// local gateway is the SDK's test oracle, so it must not share its bugs.
/// `digits` must be ASCII digits only.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(c.wrapping_sub(b'0'));
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// 12 to 19 ASCII digits passing the Luhn check: a card number the gateway accepts.
pub fn valid_card_number(pan: &str) -> bool {
    (12..=19).contains(&pan.len()) && pan.bytes().all(|b| b.is_ascii_digit()) && luhn_valid(pan)
}

/// A random Luhn-valid 16-digit Visa-like PAN.
pub fn random_pan(rng: &mut SmallRng) -> String {
    let mut pan = String::from("4");
    for _ in 0..14 {
        pan.push(char::from(b'0' + rng.gen_range(0..10u8)));
    }
    // Pick the check digit that makes the whole number pass.
    (0..10).map(|d| format!("{pan}{d}")).find(|candidate| luhn_valid(candidate)).unwrap_or(pan + "0")
}

pub fn mask_pan(pan: &str) -> String {
    let tail: String = pan.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("************{tail}")
}

pub fn random_hex(rng: &mut SmallRng, bytes: usize) -> String {
    (0..bytes).map(|_| format!("{:02x}", rng.gen::<u8>())).collect()
}

// ---- redaction ------------------------------------------------------------

/// Hides anything that looks like a secret inside free text: runs of 12 or
/// more digits (card numbers), view tokens, and the given access tokens.
pub fn scrub_text(text: &str, secrets: &[String]) -> String {
    let mut s = text.to_string();
    for secret in secrets.iter().filter(|t| !t.is_empty()) {
        s = s.replace(secret.as_str(), "***");
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            if run.len() >= 12 {
                out.push_str(&mask_pan(&run));
            } else {
                out.push_str(&run);
            }
        } else if chars[i..].starts_with(&['v', 't', '_']) {
            let start = i;
            i += 3;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i - start > 3 {
                out.push_str("vt_***");
            } else {
                out.push_str("vt_");
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Redacts a logged JSON body in place: `card`/`pan` fields are masked to
/// their last four digits, `cvv`/`token`-like fields are replaced, and every
/// other string goes through [`scrub_text`].
pub fn redact_json(value: &mut Value, secrets: &[String]) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                let k = key.to_ascii_lowercase();
                if k == "card" || k == "pan" {
                    let raw = match &*v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    *v = Value::String(mask_pan(&raw));
                } else if k == "cvv" || k.contains("token") || k.contains("pin") {
                    *v = Value::String("***".into());
                } else {
                    redact_json(v, secrets);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact_json(v, secrets)),
        Value::String(s) => *s = scrub_text(s, secrets),
        Value::Number(n) => {
            let text = n.to_string();
            let scrubbed = scrub_text(&text, secrets);
            if scrubbed != text {
                *value = Value::String(scrubbed);
            }
        }
        _ => {}
    }
}

// ---- time -----------------------------------------------------------------

/// The UTC instant of a Unix time in milliseconds, clamped to the range
/// jiff represents (years -9999 to 9999).
fn instant(millis: u64) -> jiff::Timestamp {
    let ms = i64::try_from(millis).unwrap_or(i64::MAX);
    jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::MAX)
}

/// (year, month) in UTC for a Unix time in milliseconds.
fn year_month(millis: u64) -> (i16, i8) {
    let date = jiff::tz::Offset::UTC.to_datetime(instant(millis)).date();
    (date.year(), date.month())
}

/// A Unix time in milliseconds as JavaScript's `toISOString` writes it.
fn iso_timestamp(millis: u64) -> String {
    instant(millis).strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn luhn_and_random_pans() {
        assert!(luhn_valid("4111111111111111"));
        assert!(!luhn_valid("4111111111111112"));
        let mut rng = SmallRng::seed_from_u64(7);
        for _ in 0..50 {
            let pan = random_pan(&mut rng);
            assert_eq!(pan.len(), 16);
            assert!(pan.starts_with('4') && luhn_valid(&pan));
        }
    }

    #[test]
    fn civil_dates() {
        assert_eq!(iso_timestamp(0), "1970-01-01T00:00:00.000Z");
        // 2024-02-29T12:34:56.789Z
        assert_eq!(iso_timestamp(1_709_210_096_789), "2024-02-29T12:34:56.789Z");
        // Past jiff's last instant (JavaScript's Date reaches year 275760) the time is clamped, never a panic.
        assert_eq!(iso_timestamp(8_640_000_000_000_000), "9999-12-30T22:00:00.999Z");
        assert_eq!(iso_timestamp(u64::MAX), "9999-12-30T22:00:00.999Z");
        assert_eq!(year_month(1_709_210_096_789), (2024, 2));
    }

    #[test]
    fn path_patterns() {
        assert!(path_matches("/users/*/cards/virtuals", "/users/1001/cards/virtuals"));
        assert!(!path_matches("/users/*/cards", "/users/1001/cards/virtuals"));
        assert!(path_matches("/cards/*", "/cards/5000001/"));
        assert_eq!(strip_base("/rest/users", "/rest"), Some("/users"));
        assert_eq!(strip_base("/rest", "/rest/"), Some(""));
        assert_eq!(strip_base("/restore", "/rest"), None);
    }

    #[test]
    fn scrubbing() {
        let secrets = vec!["migo-test-token".to_string()];
        let s =
            scrub_text("card 4111111111111111 vt_0123456789abcdef0123456789abcdef migo-test-token 5000001", &secrets);
        assert_eq!(s, "card ************1111 vt_*** *** 5000001");
    }
}
