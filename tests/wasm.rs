//! wasm-bindgen tests: the compiled module's exports (src/wasm/mod.rs),
//! driven from Rust the way js/load/glue.js and js/api.js drive them, in
//! Node and in headless Chromium (`make test` runs both). They check what
//! only the wasm build can show: the exports' value crossing (strings
//! through memory, handles, lengths as the glue passes them), the core's
//! rules under wasm32 (Retry-After dates are read by the engine's `Date`
//! there, checked here against httpdate), and that hostile numbers, tags,
//! bytes, lengths and handles from JavaScript never trap the module.
#![cfg(target_arch = "wasm32")]

use migo_cards::wasm as w;
use wasm_bindgen_test::*;

const T0: f64 = 1_795_992_246_000.0; // 2026-11-29T22:44:06Z

fn tag(name: &str) -> u8 {
    migo_cards::core::input::TAGS.iter().position(|t| *t == name).unwrap() as u8
}

/// Writes `bytes` at the start of the module's scratch buffer, as
/// js/load/glue.js does before an export that reads strings.
fn scratch(bytes: &[u8]) {
    let p = w::scratch(bytes.len());
    // SAFETY: `scratch` gives at least `bytes.len()` writable bytes.
    unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len()) };
}

/// The string an export handed out, read as the glue reads it.
fn out(len: i32) -> Option<String> {
    let len = usize::try_from(len).ok()?;
    // SAFETY: `ret` points at the Block, whose first f64 is the address of the last string handed out,
    // which stays alive until the next one.
    let p = unsafe { *(w::ret() as *const f64) } as usize as *const u8;
    Some(String::from_utf8(unsafe { core::slice::from_raw_parts(p, len) }.to_vec()).unwrap())
}

fn string(s: &str) {
    scratch(s.as_bytes());
    w::push(tag("string"), s.len() as i32, 0.0);
}

fn absent() {
    w::push(tag("undefined"), -1, 0.0);
}

fn number(n: f64) {
    w::push(tag("number"), -1, n);
}

/// A client with a fixed token and a loopback base URL, as `new MigoClient`
/// pushes it: its handle.
fn client() -> u32 {
    w::push(tag("object"), -1, 0.0);
    // environment, baseUrl, applicationId, clientId, maxRetries, timeoutMs,
    // accessToken, getAccessToken, onRequest, fetch
    absent();
    string("http://127.0.0.1:3010/rest");
    string("app-1");
    absent();
    absent();
    absent();
    string("tok_wasm_test_secret");
    absent();
    absent();
    absent();
    let h = w::client_new();
    assert!(h >= 0, "{:?}", out(!h));
    h as u32
}

/// The operation's index, as `describe()` lists them.
fn op(name: &str) -> u8 {
    assert!(out(w::describe()).unwrap().contains(&format!("[\"{name}\",")));
    migo_cards::core::endpoints::ENDPOINTS.iter().position(|e| e.name == name).unwrap() as u8
}

/// Starts `name` at `T0` with the arguments pushed and no call options, as
/// `client.name(...args)` does: the call's id and first action.
fn start(h: u32, name: &str) -> (u32, u8) {
    let none = tag("undefined");
    let r = w::start(h, op(name), true, none, none, 0.0, none, 0.0, none, T0);
    (r >> 3, (r & 7) as u8)
}

/// The request lines a send handed out, read as the glue reads them.
fn request_lines() -> Vec<String> {
    out(w::lines()).unwrap().split('\n').map(str::to_owned).collect()
}

/// `reply` with its four strings back to back in the scratch buffer, as the glue writes them;
/// the wall clock reads `now`, the body arrived whole.
#[allow(clippy::too_many_arguments)]
fn reply(
    h: u32,
    id: u32,
    status: u16,
    body: &str,
    request_id: Option<&str>,
    retry_after: Option<&str>,
    now: f64,
) -> u8 {
    reply_with(h, id, status, body, request_id, retry_after, None, 0, now, now)
}

/// `reply` with the Date header, how the body was cut off, and the wall clock apart.
#[allow(clippy::too_many_arguments)]
fn reply_with(
    h: u32,
    id: u32,
    status: u16,
    body: &str,
    request_id: Option<&str>,
    retry_after: Option<&str>,
    date: Option<&str>,
    cut_off: u8,
    now: f64,
    wall: f64,
) -> u8 {
    let len = |s: Option<&str>| s.map_or(-1, |s| s.len() as i32);
    let joined = format!("{body}{}{}{}", request_id.unwrap_or(""), retry_after.unwrap_or(""), date.unwrap_or(""));
    scratch(joined.as_bytes());
    w::reply(
        h,
        id,
        status,
        body.len() as i32,
        len(request_id),
        len(retry_after),
        len(date),
        false,
        cut_off,
        now,
        wall,
        0.5,
    )
}

// Action codes (`actions` in describe()).
const SEND: u8 = 0;
const WAIT: u8 = 1;
const DONE: u8 = 4;
const FAIL: u8 = 5;
// `text`'s selectors and `next`'s events, as js/api.js names them.
const SUMMARY: u8 = 0;
const VALUE: u8 = 2;
const ERROR: u8 = 3;
const EVENT: u8 = 4;
const NEXT: u8 = 0;

#[wasm_bindgen_test]
fn describe_lists_what_the_core_has() {
    let d = out(w::describe()).unwrap();
    assert_eq!(d, migo_cards::describe::describe_json());
    assert!(d.starts_with("{\"tags\":[\"undefined\""), "{d}");
    assert!(d.contains(r#""actions":["send","wait","fetchToken","awaitToken","done","fail"]"#), "{d}");
}

#[wasm_bindgen_test]
fn a_call_crosses_as_tags_numbers_and_strings() {
    let h = client();
    assert_eq!(
        out(w::text(h, 0, SUMMARY)).as_deref(),
        Some(r#"{"environment":"production","baseUrl":"http://127.0.0.1:3010/rest","applicationId":"app-1"}"#)
    );
    string("1001");
    number(5_000_001.0);
    let (id, action) = start(h, "activateCard");
    assert_eq!(action, SEND);
    assert_eq!(w::deadline(), T0 + 30_000.0);
    assert_eq!(
        request_lines(),
        [
            "POST",
            "http://127.0.0.1:3010/rest/users/1001/cards/5000001/activate",
            "",
            "authorization",
            "Bearer tok_wasm_test_secret",
            "x-application-id",
            "app-1"
        ]
    );
    let body = r#"{"success":true,"data":{"cardId":5000001,"status":"ACTIVE"}}"#;
    assert_eq!(reply(h, id, 200, body, Some("req-1"), None, T0 + 5.0), DONE);
    // The value is a part of the body: its span, as JS string indices.
    let span = w::span();
    let (s, e) = ((span / 4_294_967_296.0) as usize, (span % 4_294_967_296.0) as usize);
    assert_eq!(&body[s..e], r#"{"cardId":5000001,"status":"ACTIVE"}"#);
    assert_eq!(out(w::text(h, id, VALUE)).as_deref(), Some(r#"{"cardId":5000001,"status":"ACTIVE"}"#));
    let event = out(w::text(h, id, EVENT)).unwrap();
    assert!(event.contains("\"durationMs\":5") && event.contains(r#""requestId":"req-1""#), "{event}");
    // What the driver passes on from elsewhere loses the call's secrets.
    let text = "failed: Bearer tok_wasm_test_secret for 4111111111111111";
    scratch(text.as_bytes());
    let scrubbed = out(w::scrub(h, id, text.len() as i32)).unwrap();
    assert!(!scrubbed.contains("tok_wasm_test_secret") && !scrubbed.contains("4111111111111111"), "{scrubbed}");
    w::finish(h, id);
    assert_eq!(w::live_calls(h), 0);
    assert_eq!(w::next(h, id, NEXT, 0, T0, 0.0), FAIL, "a finished call is forgotten");
    w::client_free(h);
}

#[wasm_bindgen_test]
fn retry_after_dates_work_under_wasm32() {
    for date in ["Sun, 29 Nov 2026 22:44:09 GMT", "Sunday, 29-Nov-26 22:44:09 GMT", "Sun Nov 29 22:44:09 2026"] {
        let h = client();
        string("1001");
        let (id, action) = start(h, "issueCard");
        assert_eq!(action, SEND);
        assert_eq!(request_lines()[..2], ["POST", "http://127.0.0.1:3010/rest/users/1001/cards/virtuals"]);
        assert_eq!(reply(h, id, 503, "", None, Some(date), T0), WAIT, "{date}");
        assert_eq!(w::deadline(), T0 + 3000.0, "{date}");
        w::client_free(h);
    }
    // With the answer's Date, the wall clock an hour off and a monotonic clock of its own origin.
    let h = client();
    string("1001");
    let (id, _) = start(h, "issueCard");
    let ra = Some("Sun, 29 Nov 2026 22:44:09 GMT");
    let date = Some("Sun, 29 Nov 2026 22:44:06 GMT");
    assert_eq!(reply_with(h, id, 503, "", None, ra, date, 0, T0, T0 - 3_600_000.0), WAIT);
    assert_eq!(w::deadline(), T0 + 3000.0);
    w::client_free(h);
}

#[wasm_bindgen_test]
fn an_answer_cut_off_after_its_status_crosses_with_its_status_and_request_id() {
    for (cut_off, kind) in [(1u8, "network"), (2, "timeout")] {
        let h = client();
        string("1001");
        let (id, _) = start(h, "issueCard");
        assert_eq!(reply_with(h, id, 201, "", Some("req-9"), None, None, cut_off, T0 + 5.0, T0 + 5.0), FAIL);
        let e = out(w::text(h, id, ERROR)).unwrap();
        for part in [
            &format!(r#""kind":"{kind}""#),
            r#""status":201"#,
            r#""requestId":"req-9""#,
            r#""outcome":"unknown""#,
            r#""attempts":1"#,
        ] {
            assert!(e.contains(part), "{e}");
        }
        w::client_free(h);
    }
}

/// The module reads HTTP dates with the engine's `Date` (src/platform.rs):
/// every form, valid or not (day 0..39 of each month, every weekday, years
/// around the two-digit pivot, out-of-range times), must read as httpdate
/// reads it natively.
#[wasm_bindgen_test]
fn http_dates_read_by_the_engine_as_httpdate_reads_them() {
    use migo_cards::core::retry::parse_retry_after;
    const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let mut checked = 0;
    for (i, year) in [1969u32, 1970, 2000, 2024, 2026, 2069, 2070].into_iter().enumerate() {
        for (mon, mo) in MONTHS.iter().enumerate() {
            for day in [0u32, 1, 9, 28, 29, 30, 31, 32, 39] {
                let name = DAYS[(i + mon + day as usize) % 7];
                let short = &name[..3];
                let time = ["22:44:09", "00:00:00", "23:59:59", "24:00:00", "12:60:00"][(day as usize + mon) % 5];
                for text in [
                    format!("{short}, {day:02} {mo} {year} {time} GMT"),
                    format!("{name}, {day:02}-{mo}-{:02} {time} GMT", year % 100),
                    format!("{short} {mo} {day:>2} {time} {year}"),
                ] {
                    let expected = httpdate::parse_http_date(&text)
                        .ok()
                        .map(|t| t.duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64);
                    assert_eq!(parse_retry_after(&text, None, 0.0), expected, "{text}");
                    checked += 1;
                }
            }
        }
    }
    // Every weekday of one week: exactly one is right for each date.
    for name in DAYS {
        let text = format!("{}, 29 Nov 2026 22:44:09 GMT", &name[..3]);
        assert_eq!(parse_retry_after(&text, None, T0).is_some(), name == "Sunday", "{text}");
    }
    assert!(checked > 2000);
}

#[wasm_bindgen_test]
fn errors_cross_as_one_json_object() {
    let h = client();
    w::push(tag("badString"), -1, 0.0);
    let (id, action) = start(h, "issueCard");
    assert_eq!(action, FAIL);
    assert_eq!(w::next(h, id, NEXT, 0, T0, 0.0), FAIL);
    let e = out(w::text(h, id, ERROR)).unwrap();
    assert!(e.starts_with(r#"{"message":"userId must be"#), "{e}");
    assert!(e.contains(r#""field":"userId""#) && e.contains(r#""outcome":"notSent""#), "{e}");
    w::client_free(h);
}

#[wasm_bindgen_test]
fn unusable_options_give_their_error_and_no_client() {
    // Not an object.
    number(1.0);
    let r = w::client_new();
    assert!(r < 0);
    let e = out(!r).unwrap();
    assert!(e.contains(r#""field":"options""#) && e.contains(r#""kind":"config""#), "{e}");
    // An object without a token.
    w::push(tag("object"), -1, 0.0);
    for _ in 0..10 {
        absent();
    }
    let r = w::client_new();
    assert!(r < 0);
    assert!(out(!r).unwrap().contains(r#""field":"accessToken""#));
    // Nothing was kept for them: the next client gets the first free handle.
    let h = client();
    let h2 = client();
    assert_ne!(h, h2);
    w::client_free(h);
    assert_eq!(client(), h, "a freed handle is reused");
    w::client_free(h);
    w::client_free(h2);
}

#[wasm_bindgen_test]
fn hostile_numbers_tags_and_ids_never_trap() {
    let h = client();
    for t in [0u8, 4, 5, 14, 15, 200, 255] {
        for n in [f64::NAN, f64::INFINITY, -0.0, 1e300, -1.0, 9_007_199_254_740_993.0] {
            string("x");
            w::push(t, 1, n);
            w::push(t, -1, n);
            for o in 0..=12u8 {
                let id = w::start(h, o, n.is_nan(), t, t, n, t, n, t, n) >> 3;
                for event in 0..=5u8 {
                    let _ = w::next(h, id, event, t, n, n);
                }
                scratch(b"\0");
                let _ = w::reply(h, id, 0, 0, -1, 1, 0, true, t, n, n, n);
                let _ = w::token(h, id, u32::MAX, t, t, -1, n);
                for what in 0..=6u8 {
                    let _ = out(w::text(h, id, what));
                }
                scratch(b"4111 1111 1111 1111");
                let _ = out(w::scrub(h, id, 19));
                w::finish(h, id);
            }
        }
    }
    for id in [u32::MAX, 7, 0] {
        assert_eq!(w::next(h, id, NEXT, 0, T0, 0.0), FAIL);
        w::finish(h, id);
    }
    assert_eq!(w::live_calls(h), 0);
    w::client_free(h);
    // Free functions.
    w::push(200, -1, f64::NAN);
    assert!(out(w::activation_url()).unwrap().starts_with('{'));
    assert!(!w::is_valid_card_number(255, -1));
    scratch(b"4111-1111-1111-1111");
    assert!(w::is_valid_card_number(tag("string"), 19));
}

#[wasm_bindgen_test]
fn bytes_handles_and_lengths_from_javascript_never_trap() {
    scratch(b"4111 1111 1111 1111");
    assert!(w::is_valid_card_number(tag("string"), 19));
    assert!(!w::is_valid_card_number(tag("string"), 18));
    // Not UTF-8, lengths past the buffer or negative: no string.
    scratch(&[0xff, 0xfe, b'4', 0xc3]);
    for len in [-5, -1, 0, 1, 3, 4, 5, i32::MAX] {
        w::push(tag("string"), len, 0.0);
        let _ = w::is_valid_card_number(tag("string"), len);
    }
    assert!(out(w::activation_url()).unwrap().starts_with('{'));
    // Unknown and freed handles answer as a failed call.
    let freed = client();
    w::client_free(freed);
    for h in [u32::MAX, 12345, freed] {
        assert_eq!(w::next(h, 0, NEXT, 0, T0, 0.0), FAIL);
        assert_eq!(w::reply(h, 0, 200, i32::MAX, -7, 3, 9, true, 1, f64::NAN, f64::NAN, f64::NAN), FAIL);
        assert_eq!(w::token(h, 0, 0, 0, tag("string"), 99, T0), FAIL);
        assert_eq!(w::start(h, 0, true, 0, 0, 0.0, 0, 0.0, 0, T0), w::FAILED);
        assert!(out(w::text(h, 0, ERROR)).unwrap().contains(r#""field":"this""#));
        assert_eq!(out(w::scrub(h, 0, -1)).as_deref(), Some(""));
        assert_eq!((w::text(h, 0, VALUE), w::text(h, 0, EVENT), w::text(h, 0, SUMMARY)), (-1, -1, -1));
        w::finish(h, 0);
        w::client_free(h);
    }
    // A card number scrubbed out of text that comes from anywhere.
    scratch(b"card 4111111111111111 declined");
    assert_eq!(out(w::scrub(u32::MAX, 0, 30)).as_deref(), Some("card ************1111 declined"));
    let h = client();
    scratch(b"card 4111111111111111 declined, tok_wasm_test_secret");
    assert_eq!(out(w::scrub(h, 0, 30)).as_deref(), Some("card ************1111 declined"));
    w::client_free(h);
}
