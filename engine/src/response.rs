//! Turning an HTTP response into a value or an error.
//!
//! The value is handed over as JSON text: the wasm layer gives it to the
//! browser's own `JSON.parse`, so unknown fields pass through untouched and no
//! JSON tree is built twice. The text is the body's own, except that numbers
//! a JS number cannot hold exactly become strings ([`json::exact_numbers`]).

#[allow(unused_imports)]
use crate::prelude::*;

use alloc::borrow::Cow;

use super::error::{Error, ErrorKind, Outcome};
use super::json;
use super::secret::{is_gateway_code, Scrubber};

/// A successful result.
#[derive(Debug, PartialEq, Eq)]
pub enum Body<'a> {
    /// No body (204, or an empty body): JS `undefined`.
    Empty,
    /// JSON text to parse: the envelope's `data`, or the whole body when it is
    /// not an envelope. Borrowed from the body, unless a number in it had to
    /// become a string to stay exact (see [`json::is_exact_in_js`]).
    Json(Cow<'a, str>),
}

impl<'a> Body<'a> {
    /// `exact`: every number of `text` is known to be exact already.
    fn json(text: &'a str, exact: bool) -> Body<'a> {
        Body::Json(if exact { Cow::Borrowed(text) } else { json::exact_numbers(text) })
    }
}

/// Both envelope readings of the docs: `{success, message, data, errors}` and
/// `{statusCode, message, data}`. A body is an envelope when it is an object
/// with a boolean `success` or a numeric `statusCode`; anything else is a
/// plain JSON result.
struct Envelope<'a> {
    success: Option<&'a str>,
    status_code: Option<u16>,
    message: Option<&'a str>,
    data: Option<&'a str>,
    errors: Option<&'a str>,
}

impl<'a> Envelope<'a> {
    fn read(m: &[(alloc::borrow::Cow<'_, str>, &'a str)]) -> Option<Envelope<'a>> {
        let env = Envelope {
            success: json::member(m, "success").filter(|s| matches!(*s, "true" | "false")),
            // Digits only: a JSON number's one sign, `-`, makes no status code.
            status_code: json::member(m, "statusCode")
                .and_then(|s| super::text::digits_value(s.as_bytes()))
                .and_then(|n| u16::try_from(n).ok()),
            message: json::member(m, "message"),
            data: json::member(m, "data"),
            errors: json::member(m, "errors"),
        };
        (env.success.is_some() || env.status_code.is_some()).then_some(env)
    }
}

/// Longest server message we copy into an error.
const MAX_MESSAGE_CHARS: usize = 300;
/// Longest request id we keep.
const MAX_REQUEST_ID: usize = 200;

/// What the transport saw.
#[derive(Clone, Copy, Debug)]
pub struct Raw<'a> {
    pub status: u16,
    pub body: &'a str,
    pub request_id: Option<&'a str>,
}

/// Decodes a response. `secrets` are the request's secret values; anything
/// the server echoes back is scrubbed of them before it reaches an error.
/// A [`Scrubber`] is built only for an error: a caller decoding several
/// attempts of one call builds one and uses [`decode_with`].
pub fn decode<'a>(raw: Raw<'a>, secrets: &[&str]) -> Result<Body<'a>, Error> {
    read(raw).map_err(|r| r.into_error(raw, &Scrubber::new(secrets)))
}

/// Decodes a response: the value of a success, or an [`Error`] of kind `api`
/// (an error status, or a 2xx envelope that says it failed) or `decode` (a
/// 2xx body that is not JSON).
///
/// Everything of the gateway's that reaches the error (message, `code`,
/// every string and number of `errors`, the request id) passes through
/// `scrubber` first; the value of a success does not (it is the caller's).
/// In both the value and `errors`, numbers a JS number cannot hold exactly
/// become strings of their digits ([`json::is_exact_in_js`]).
pub fn decode_with<'a>(raw: Raw<'a>, scrubber: &Scrubber) -> Result<Body<'a>, Error> {
    read(raw).map_err(|r| r.into_error(raw, scrubber))
}

/// An error response as the gateway wrote it, not yet scrubbed.
enum Refusal<'a> {
    /// A 2xx whose body is not JSON.
    NotJson,
    /// The body was cut off after the status.
    CutOff(CutOff),
    /// An error status, or a 2xx envelope that says it failed.
    Api {
        status: u16,
        /// The envelope, when there is one.
        env: Option<Envelope<'a>>,
        /// Said instead of the gateway's message.
        note: Option<&'static str>,
    },
}

fn read(raw: Raw<'_>) -> Result<Body<'_>, Refusal<'_>> {
    let ok = (200..300).contains(&raw.status);
    let plain = |note| Err(Refusal::Api { status: raw.status, env: None, note });
    let trimmed = raw.body.trim();
    if trimmed.is_empty() {
        return if ok { Ok(Body::Empty) } else { plain(None) };
    }
    // An object is validated by reading its members; anything else here.
    let object = trimmed.starts_with('{');
    let scanned = if object { json::object_exact(trimmed) } else { None };
    let valid = if object { scanned.is_some() } else { json::is_valid(trimmed) };
    if !valid {
        return if ok { Err(Refusal::NotJson) } else { plain(Some("the body is not JSON")) };
    }
    let (members, exact) = scanned.map_or((None, false), |(m, exact)| (Some(m), exact));
    let Some(env) = members.as_deref().and_then(Envelope::read) else {
        return if ok { Ok(Body::json(trimmed, exact)) } else { plain(None) };
    };
    let flag_failed = env.success == Some("false");
    let body_failed = env.status_code.is_some_and(|s| s >= 400);
    if ok && !flag_failed && !body_failed {
        return Ok(env.data.map_or(Body::Empty, |d| Body::json(d, exact)));
    }
    let status = if ok { env.status_code.filter(|s| *s >= 400).unwrap_or(raw.status) } else { raw.status };
    Err(Refusal::Api { status, env: Some(env), note: None })
}

impl Refusal<'_> {
    fn into_error(self, raw: Raw<'_>, scrubber: &Scrubber) -> Error {
        let mut e = match self {
            Refusal::CutOff(how) => {
                let (kind, why) = match how {
                    CutOff::Connection => (ErrorKind::Network, ": the connection failed while its body was read"),
                    CutOff::Deadline => (ErrorKind::Timeout, ": the attempt's deadline passed while its body was read"),
                    CutOff::Aborted { .. } => (ErrorKind::Aborted, ": the call's signal fired while its body was read"),
                };
                let message = cat!("the answer was cut off after the gateway replied ", raw.status, why);
                if (200..300).contains(&raw.status) {
                    Error::of(kind, message, None, Some(raw.status), false, Outcome::Unknown)
                } else {
                    Error::api(raw.status, message)
                }
            }
            Refusal::NotJson => {
                Error::decode(raw.status, cat!("the gateway answered ", raw.status, " with a body that is not JSON"))
            }
            Refusal::Api { status, env: None, note } => Error::api(status, status_message(status, None, note)),
            Refusal::Api { status, env: Some(env), .. } => {
                let errors = env.errors.and_then(json::array).unwrap_or_default();
                let first = errors.first().and_then(|e| json::object(e));
                let code = first.as_ref().and_then(|m| json::member(m, "code")).and_then(code_text).map(|c| {
                    if is_gateway_code(&c) {
                        c
                    } else {
                        scrubber.scrub(&c).into_owned()
                    }
                });
                let detail = first
                    .as_ref()
                    .and_then(|m| json::member(m, "message"))
                    .or(env.message)
                    .and_then(json::string)
                    // Control characters go first, so none can split an echo in two.
                    .map(|m| clip(&scrubber.scrub(&without_controls(&m))));
                let mut e = Error::api(status, status_message(status, code.as_deref(), detail.as_deref()));
                e.code = code;
                e.errors_json = env.errors.filter(|e| e.starts_with('[')).and_then(|e| scrubber.scrub_json(e));
                e
            }
        };
        e.request_id = raw
            .request_id
            .filter(|id| id.len() <= MAX_REQUEST_ID && super::text::every(id.as_bytes(), |b| b.is_ascii_graphic()))
            .map(|id| scrubber.scrub(id).into_owned());
        e
    }
}

/// What cut an answer's body off after its status and headers arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CutOff {
    /// The connection failed while the body was read.
    Connection,
    /// The attempt's deadline passed while the body was read.
    Deadline,
    /// The caller's signal fired while the body was read (`timeout`: its
    /// reason is a `TimeoutError`).
    Aborted { timeout: bool },
}

/// The error of an answer whose body was cut off after its status and
/// headers arrived (`raw.body` is not read): the status and the request id
/// as for any answer; kind `api` for an error status, else (a 2xx: the
/// gateway acted and its value is lost) `network`, or `timeout` for the
/// deadline, with outcome `unknown`.
pub fn cut_off(raw: Raw<'_>, how: CutOff, secrets: &[&str]) -> Error {
    Refusal::CutOff(how).into_error(raw, &Scrubber::new(secrets))
}

/// Error codes are strings on the wire ("7213"); a number is accepted too.
fn code_text(raw: &str) -> Option<String> {
    if let Some(text) = json::string(raw) {
        return (!text.is_empty() && text.len() <= 64).then_some(text);
    }
    (raw.len() <= 20 && super::text::every(raw.as_bytes(), |b| b.is_ascii_digit())).then(|| raw.to_owned())
}

/// `s` cut to [`MAX_MESSAGE_CHARS`] characters, with `…` when cut. Counted on
/// bytes (a character starts at each non-continuation byte): smaller than
/// `char_indices` decoding.
fn clip(s: &str) -> String {
    let mut chars = 0;
    for (i, b) in s.bytes().enumerate() {
        if b & 0xC0 != 0x80 {
            if chars == MAX_MESSAGE_CHARS {
                return cat!(s.get(..i).unwrap_or_default(), "…");
            }
            chars += 1;
        }
    }
    s.to_owned()
}

/// `s` without its control characters (`char::is_control`), as
/// `s.replace(char::is_control, "")` gives it; a loop of its own, since the
/// pattern machinery behind `replace` is larger.
fn without_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !c.is_control() {
            out.push(c);
        }
    }
    out
}

fn status_message(status: u16, code: Option<&str>, detail: Option<&str>) -> String {
    let mut m = cat!("Migo API error ", status);
    if let Some(c) = code {
        m.push_str(" (code ");
        m.push_str(c);
        if let Some(n) = code_name(c) {
            m.push(' ');
            m.push_str(n);
        }
        m.push(')');
    }
    m.push_str(": ");
    m.push_str(detail.filter(|d| !d.is_empty()).unwrap_or_else(|| status_text(status)));
    m
}

/// Names of the documented error codes, for readable messages.
pub fn code_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "7000" => "CHECK_PARAMETERS",
        "7100" => "USER_NOT_FOUND",
        "7200" => "CARD_NOT_FOUND",
        "7205" => "INCORRECT_PIN",
        "7210" => "CARD_NOT_UPDATED",
        "7213" => "INVALID_STATUS_CARD",
        "7220" => "THIRD_PARTY_CARD_NOT_FOUND",
        "7303" => "INSUFFICIENT_FUNDS",
        _ => return None,
    })
}

fn status_text(status: u16) -> &'static str {
    match status {
        400 => "bad request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not found",
        408 => "request timeout",
        409 => "conflict",
        422 => "unprocessable entity",
        429 => "too many requests",
        500 => "internal server error",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        _ => "request failed",
    }
}

#[cfg(test)]
mod tests {
    use super::super::error::ErrorKind;
    use super::*;

    fn j(text: &str) -> Body<'_> {
        Body::Json(Cow::Borrowed(text))
    }

    fn d(status: u16, body: &str) -> Result<Body<'_>, Error> {
        decode(Raw { status, body, request_id: Some("req-1") }, &["4111111111111111", "vt_secret"])
    }

    #[test]
    fn success_envelopes_give_data() {
        assert_eq!(d(200, r#"{"success":true,"data":{"cardId":1,"x":[1]}}"#).unwrap(), j(r#"{"cardId":1,"x":[1]}"#));
        assert_eq!(d(201, r#"{"statusCode":201,"message":"ok","data":{"a":1}}"#).unwrap(), j(r#"{"a":1}"#));
        assert_eq!(d(200, r#"{"success":true,"data":null}"#).unwrap(), j("null"));
        assert_eq!(d(200, r#"{"success":true}"#).unwrap(), Body::Empty);
    }

    #[test]
    fn non_envelopes_pass_through_whole() {
        assert_eq!(d(200, r#"{"cardId":1,"success":"yes"}"#).unwrap(), j(r#"{"cardId":1,"success":"yes"}"#));
        assert_eq!(d(200, " [1,2] ").unwrap(), j("[1,2]"));
        assert_eq!(d(200, "42").unwrap(), j("42"));
        assert_eq!(d(204, "").unwrap(), Body::Empty);
        assert_eq!(d(200, "  ").unwrap(), Body::Empty);
    }

    #[test]
    fn error_envelopes_give_status_code_and_errors() {
        let e = d(409, r#"{"success":false,"message":"nope","errors":[{"code":"7213","message":"Card status invalid"},{"code":"7000","message":"x"}]}"#).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Api);
        assert_eq!(e.status, Some(409));
        assert_eq!(e.code.as_deref(), Some("7213"));
        assert_eq!(e.request_id.as_deref(), Some("req-1"));
        assert!(
            e.message.contains("7213")
                && e.message.contains("INVALID_STATUS_CARD")
                && e.message.contains("Card status invalid"),
            "{}",
            e.message
        );
        assert!(e.errors_json.as_deref().unwrap().starts_with("[{"));
        let e = d(404, r#"{"statusCode":404,"message":"User not found","errors":[{"code":7100}]}"#).unwrap_err();
        assert_eq!(e.code.as_deref(), Some("7100"));
        assert!(e.message.contains("User not found"));
    }

    #[test]
    fn a_2xx_that_says_it_failed_is_an_error() {
        let e = d(200, r#"{"success":false,"errors":[{"code":"7210","message":"not updated"}]}"#).unwrap_err();
        assert_eq!((e.kind, e.status, e.code.as_deref()), (ErrorKind::Api, Some(200), Some("7210")));
        let e = d(200, r#"{"statusCode":422,"message":"card expired"}"#).unwrap_err();
        assert_eq!(e.status, Some(422));
    }

    #[test]
    fn non_json_bodies() {
        let e = d(200, "{\"success\": tru").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Decode);
        let e = d(502, "<html><body>Bad gateway</body></html>").unwrap_err();
        assert_eq!((e.kind, e.status, e.code.clone()), (ErrorKind::Api, Some(502), None));
        assert!(!e.message.contains("html"));
        let e = d(503, "").unwrap_err();
        assert_eq!(e.status, Some(503));
    }

    #[test]
    fn echoed_secrets_are_scrubbed() {
        let e = d(400, r#"{"success":false,"errors":[{"code":"7000","message":"card 4111111111111111 invalid, token vt_secret"}]}"#).unwrap_err();
        assert!(!e.message.contains("4111111111111111") && !e.message.contains("vt_secret"), "{}", e.message);
        let errors = e.errors_json.as_deref().unwrap();
        assert!(!errors.contains("4111111111111111") && !errors.contains("vt_secret"));
    }

    #[test]
    fn secrets_cannot_hide_in_codes_escapes_or_numbers() {
        let body = r#"{"success":false,"errors":[{"code":"vt_secret","message":"x","v":"vt_s\u0065cret","pan":4111111111111111,"other":"5555555555554444"}]}"#;
        let e = d(400, body).unwrap_err();
        assert_eq!(e.code.as_deref(), Some("***"));
        assert!(!e.message.contains("vt_secret"));
        let errors = e.errors_json.as_deref().unwrap();
        for leak in ["vt_secret", "vt_s\\u0065cret", "4111111111111111", "5555555555554444"] {
            assert!(!errors.contains(leak), "{leak} in {errors}");
        }
        assert!(errors.contains("************4444") && json::is_valid(errors), "{errors}");
    }

    fn issue(status: u16, body: &str, request_id: Option<&str>) -> Result<Body<'static>, Error> {
        let scrubber = Scrubber::new(&["vt+Q2FyZA/x9==", "4111111111111111", "tok_live_abc123"]);
        decode_with(Raw { status, body, request_id }, &scrubber).map(|b| match b {
            Body::Empty => Body::Empty,
            Body::Json(text) => Body::Json(Cow::Owned(text.into_owned())),
        })
    }

    /// A grouped card number echoed, and another one.
    #[test]
    fn grouped_card_numbers_are_masked_in_message_and_errors() {
        let e = issue(
            422,
            r#"{"success":false,"errors":[{"code":"7000","message":"card 4111 1111 1111 1111 is not eligible"},{"code":"7000","message":"nor 5555-5555-5555-4444"}]}"#,
            None,
        )
        .unwrap_err();
        assert_eq!(e.message, "Migo API error 422 (code 7000 CHECK_PARAMETERS): card ************1111 is not eligible");
        assert_eq!(
            e.errors_json.as_deref(),
            Some(
                r#"[{"code":"7000","message":"card ************1111 is not eligible"},{"code":"7000","message":"nor ************4444"}]"#
            )
        );
    }

    /// The view token echoed percent-encoded.
    #[test]
    fn a_percent_encoded_view_token_is_scrubbed() {
        let e = issue(
            404,
            r#"{"success":false,"message":"card not found (/rest/users/1001/cards/5000001?token=vt%2BQ2FyZA%2Fx9%3D%3D)"}"#,
            None,
        )
        .unwrap_err();
        assert_eq!(e.message, "Migo API error 404: card not found (/rest/users/1001/cards/5000001?token=***)");
        // JSON-escaped, lower-case hex, split by a control character.
        let e = issue(400, r#"{"success":false,"errors":[{"code":"vt%2bQ2FyZA%2fx9%3d%3d","message":"token vt\u002BQ2Fy\u0001ZA\/x9=="}]}"#, None)
            .unwrap_err();
        assert_eq!(e.code.as_deref(), Some("***"));
        assert_eq!(e.message, "Migo API error 400 (code ***): token ***");
    }

    /// An id beyond 2^53 stays exact.
    #[test]
    fn ids_a_js_number_cannot_hold_arrive_as_digit_strings() {
        let b = issue(200, r#"{"success":true,"data":{"cardId":9007199254740993,"status":"INACTIVE"}}"#, None).unwrap();
        assert_eq!(b, j(r#"{"cardId":"9007199254740993","status":"INACTIVE"}"#));
        // Not an envelope: the whole body is the value, same rule.
        let b = issue(200, r#"[{"cardId":18446744073709551617,"balance":12.5}]"#, None).unwrap();
        assert_eq!(b, j(r#"[{"cardId":"18446744073709551617","balance":12.5}]"#));
        // Numbers that fit stay numbers, and the body is not copied.
        let body = r#"{"success":true,"data":{"cardId":5000001,"n":[1e3,0.5,-12.34]}}"#;
        assert!(matches!(d(200, body).unwrap(), Body::Json(Cow::Borrowed(_))));
        // In errors too, nested.
        let e = issue(
            409,
            r#"{"success":false,"errors":[{"code":"7213","cardId":9007199254740993,"x":{"y":[1e400]}}]}"#,
            None,
        )
        .unwrap_err();
        assert_eq!(
            e.errors_json.as_deref(),
            Some(r#"[{"code":"7213","cardId":"9007199254740993","x":{"y":["1e400"]}}]"#)
        );
    }

    #[test]
    fn the_success_data_is_the_callers_own() {
        // getCardDetails: the card number in a success body is the answer.
        let body = r#"{"success":true,"data":{"pan":"4111111111111111","cvv":"123","token":"vt+Q2FyZA/x9=="}}"#;
        assert_eq!(
            issue(200, body, None).unwrap(),
            j(r#"{"pan":"4111111111111111","cvv":"123","token":"vt+Q2FyZA/x9=="}"#)
        );
    }

    #[test]
    fn request_ids_are_scrubbed_too() {
        let e = issue(500, "", Some("req-4111111111111111")).unwrap_err();
        assert_eq!(e.request_id.as_deref(), Some("req-************1111"));
        let e = issue(500, "", Some("tok_live_abc123")).unwrap_err();
        assert_eq!(e.request_id.as_deref(), Some("***"));
        let e = issue(500, "", Some("req-2026-11-29-000123")).unwrap_err();
        assert_eq!(e.request_id.as_deref(), Some("req-2026-11-29-000123"));
    }

    #[test]
    fn clip_and_without_controls_match_their_char_readings() {
        for s in [
            "",
            "abc",
            "é".repeat(299).as_str(),
            "é".repeat(300).as_str(),
            &"😀".repeat(301),
            &format!("{}x\u{85}", "a".repeat(299)),
        ] {
            let by_chars = match s.char_indices().nth(MAX_MESSAGE_CHARS) {
                Some((end, _)) => format!("{}…", &s[..end]),
                None => s.to_owned(),
            };
            assert_eq!(clip(s), by_chars);
        }
        for s in ["", "a\u{0}b\nc\u{7f}d\u{80}e\u{9f}f\u{a0}g", "plain", "\r\n"] {
            assert_eq!(without_controls(s), s.replace(char::is_control, ""), "{s:?}");
        }
    }

    #[test]
    fn long_messages_are_clipped_and_bad_request_ids_dropped() {
        let body = format!(r#"{{"success":false,"message":"{}"}}"#, "x".repeat(5000));
        let e = d(500, &body).unwrap_err();
        assert!(e.message.len() < 400);
        let e = decode(Raw { status: 500, body: "", request_id: Some("bad\nid") }, &[]).unwrap_err();
        assert_eq!(e.request_id, None);
    }
}
