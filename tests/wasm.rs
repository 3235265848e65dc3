//! wasm-bindgen tests: the compiled module's skin, driven from Rust the way
//! js/api.js drives it, in Node and in headless Chromium (`make test` runs
//! both). They check what only the wasm build can show: the exports' value
//! crossing (strings through memory, handles, lengths as js/load/glue.js
//! passes them), the core's rules under wasm32 (Retry-After dates are read by
//! the engine's `Date` there, checked here against httpdate), and
//! that hostile numbers and tags from JavaScript never trap the module.
#![cfg(target_arch = "wasm32")]

use migo_cards::wasm::{abi, activation_url, describe, is_valid_card_number, push, Core};
use wasm_bindgen_test::*;

const T0: f64 = 1_795_992_246_000.0; // 2026-11-29T22:44:06Z

fn tag(name: &str) -> u8 {
    migo_cards::core::input::TAGS.iter().position(|t| *t == name).unwrap() as u8
}

fn string(s: &str) {
    push(tag("string"), Some(s.into()), 0.0);
}

fn absent() {
    push(tag("undefined"), None, 0.0);
}

/// A client with a fixed token and a loopback base URL, as `new MigoClient` pushes it.
fn core() -> Core {
    push(tag("object"), None, 0.0);
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
    let c = Core::new();
    assert_eq!(c.config_error(), None);
    c
}

/// The operation's index, as `describe()` lists them.
fn op(name: &str) -> u8 {
    assert!(describe().contains(&format!("[\"{name}\",")));
    migo_cards::core::endpoints::ENDPOINTS.iter().position(|e| e.name == name).unwrap() as u8
}

/// Starts `name` with the arguments pushed and no call options, as
/// `client.name(...args)` does.
fn start(c: &mut Core, name: &str) -> u32 {
    let none = tag("undefined");
    c.start(op(name), true, none, none, 0.0, none, 0.0, none)
}

const SEND: u8 = 0;
const WAIT: u8 = 1;
const DONE: u8 = 4;
const FAIL: u8 = 5;

#[wasm_bindgen_test]
fn a_call_crosses_as_tags_numbers_and_strings() {
    let mut c = core();
    string("1001");
    push(tag("number"), None, 5_000_001.0);
    let id = start(&mut c, "activateCard");
    assert_eq!(c.next(id, T0), SEND);
    assert_eq!(c.deadline(), T0 + 30_000.0);
    let req = c.request(id);
    let lines: Vec<&str> = req.split('\n').collect();
    assert_eq!(
        lines,
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
    let body = r#"{"success":true,"data":{"cardId":5000001,"status":"ACTIVE"}}"#.to_owned();
    assert_eq!(c.on_reply(id, 200, body, Some("req-1".into()), None, false, T0 + 5.0, 0.5), DONE);
    assert_eq!(c.value(id).as_deref(), Some(r#"{"cardId":5000001,"status":"ACTIVE"}"#));
    assert!(c.event(id).unwrap().contains("\"durationMs\":5"));
    c.finish(id);
    assert_eq!(c.live(), 0);
}

#[wasm_bindgen_test]
fn retry_after_dates_work_under_wasm32() {
    for date in ["Sun, 29 Nov 2026 22:44:09 GMT", "Sunday, 29-Nov-26 22:44:09 GMT", "Sun Nov 29 22:44:09 2026"] {
        let mut c = core();
        string("1001");
        let id = start(&mut c, "issueCard");
        assert_eq!(c.next(id, T0), SEND);
        assert_eq!(c.on_reply(id, 503, String::new(), None, Some(date.into()), false, T0, 0.0), WAIT, "{date}");
        assert_eq!(c.deadline(), T0 + 3000.0, "{date}");
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
                    assert_eq!(parse_retry_after(&text, 0.0), expected, "{text}");
                    checked += 1;
                }
            }
        }
    }
    // Every weekday of one week: exactly one is right for each date.
    for name in DAYS {
        let text = format!("{}, 29 Nov 2026 22:44:09 GMT", &name[..3]);
        assert_eq!(parse_retry_after(&text, T0).is_some(), name == "Sunday", "{text}");
    }
    assert!(checked > 2000);
}

#[wasm_bindgen_test]
fn errors_cross_as_one_json_object() {
    let mut c = core();
    push(tag("badString"), None, 0.0);
    let id = start(&mut c, "issueCard");
    assert_eq!(c.next(id, T0), FAIL);
    let e = c.error(id);
    assert!(e.starts_with(r#"{"message":"userId must be"#), "{e}");
    assert!(e.contains(r#""field":"userId""#) && e.contains(r#""outcome":"notSent""#), "{e}");
}

#[wasm_bindgen_test]
fn hostile_numbers_tags_and_ids_never_trap() {
    let mut c = core();
    for t in [0u8, 4, 5, 14, 15, 200, 255] {
        for n in [f64::NAN, f64::INFINITY, -0.0, 1e300, -1.0, 9_007_199_254_740_993.0] {
            push(t, Some("x".into()), n);
            push(t, None, n);
            for o in 0..=12u8 {
                let id = c.start(o, n.is_nan(), t, t, n, t, n, t);
                let _ = c.next(id, n);
                let _ = c.on_reply(id, 0, String::new(), None, Some("\u{0}".into()), true, n, n);
                let _ = c.on_transport(id, t, n, n);
                let _ = c.on_timeout(id, n, n);
                let _ = c.on_token(id, u32::MAX, t, t, None, n);
                let _ = c.on_abort(id, true, n);
                let _ = (c.error(id), c.value(id), c.event(id), c.request(id), c.scrub(id, "4111 1111 1111 1111"));
                c.finish(id);
            }
        }
    }
    for id in [u32::MAX, 7, 0] {
        assert_eq!(c.next(id, T0), FAIL);
        c.finish(id);
    }
    assert_eq!(c.live(), 0);
    // Free functions.
    push(200, None, f64::NAN);
    assert!(activation_url().starts_with('{'));
    assert!(!is_valid_card_number(255, None));
    assert!(is_valid_card_number(tag("string"), Some("4111-1111-1111-1111".into())));
    // A client whose options are not an object.
    push(tag("number"), None, 1.0);
    let bad = Core::new();
    assert!(bad.config_error().unwrap().contains(r#""field":"options""#));
}

/// Writes `bytes` at the start of the module's scratch buffer, as
/// js/load/glue.js does before an export that reads strings.
fn scratch(bytes: &[u8]) {
    let p = abi::scratch(bytes.len());
    // SAFETY: `scratch` gives at least `bytes.len()` writable bytes.
    unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len()) };
}

/// The string an export handed out, read as the glue reads it.
fn out(len: i32) -> Option<String> {
    let len = usize::try_from(len).ok()?;
    // SAFETY: `ret` points at the address of the last string handed out,
    // which stays alive until the next one.
    let p = unsafe { (*abi::ret()).get() } as *const u8;
    Some(String::from_utf8(unsafe { core::slice::from_raw_parts(p, len) }.to_vec()).unwrap())
}

#[wasm_bindgen_test]
fn the_exports_cross_strings_through_memory() {
    scratch(b"4111 1111 1111 1111");
    assert!(abi::is_valid_card_number(tag("string"), 19));
    assert!(!abi::is_valid_card_number(tag("string"), 18));
    let described = out(abi::describe()).unwrap();
    assert!(described.starts_with("{\"tags\":[\"undefined\""), "{described}");

    // A client through its handle, a call to its end, strings both ways.
    let h = {
        push(tag("object"), None, 0.0);
        for _ in 0..10 {
            absent();
        }
        abi::core_new()
    };
    let e = out(abi::core_config_error(h)).unwrap();
    assert!(e.contains(r#""field":"accessToken""#), "{e}");
    abi::core_free(h);

    push(tag("object"), None, 0.0);
    absent();
    string("http://127.0.0.1:3010/rest");
    for _ in 0..4 {
        absent();
    }
    string("tok_wasm_test_secret");
    for _ in 0..3 {
        absent();
    }
    let h = abi::core_new();
    assert_eq!(abi::core_config_error(h), -1);
    string("1001");
    push(tag("number"), None, 5_000_001.0);
    let none = tag("undefined");
    let id = abi::core_start(h, op("activateCard"), true, none, none, 0.0, none, 0.0, none);
    assert_eq!(abi::core_next(h, id, T0), SEND);
    assert!(out(abi::core_request(h, id))
        .unwrap()
        .starts_with("POST\nhttp://127.0.0.1:3010/rest/users/1001/cards/5000001/activate\n"));
    let body = r#"{"success":true,"data":{"status":"ACTIVE"}}"#;
    let mut bytes = body.as_bytes().to_vec();
    bytes.extend_from_slice(b"req-9");
    scratch(&bytes);
    assert_eq!(abi::core_on_reply(h, id, 200, body.len() as i32, 5, -1, false, T0 + 1.0, 0.5), DONE);
    assert!(out(abi::core_event(h, id)).unwrap().contains(r#""requestId":"req-9""#));
    assert_eq!(out(abi::core_value(h, id)).as_deref(), Some(r#"{"status":"ACTIVE"}"#));
    abi::core_finish(h, id);
    assert_eq!(abi::core_live(h), 0);
    abi::core_free(h);
}

#[wasm_bindgen_test]
fn bytes_handles_and_lengths_from_javascript_never_trap() {
    // Not UTF-8, lengths past the buffer or negative: no string.
    scratch(&[0xff, 0xfe, b'4', 0xc3]);
    for len in [-5, -1, 0, 1, 3, 4, 5, i32::MAX] {
        abi::push(tag("string"), len, 0.0);
        let _ = abi::is_valid_card_number(tag("string"), len);
    }
    assert!(out(abi::activation_url()).unwrap().starts_with('{'));
    // Unknown and freed handles answer as a failed client.
    for h in [u32::MAX, 12345, 0] {
        assert_eq!(abi::core_next(h, 0, T0), FAIL);
        assert_eq!(abi::core_on_reply(h, 0, 200, i32::MAX, -7, 3, true, f64::NAN, f64::NAN), FAIL);
        assert_eq!(abi::core_on_token(h, 0, 0, 0, tag("string"), 99, T0), FAIL);
        assert_eq!(abi::core_start(h, 0, true, 0, 0, 0.0, 0, 0.0, 0), u32::MAX);
        assert!(out(abi::core_error(h, 0)).unwrap().contains(r#""field":"this""#));
        assert_eq!(out(abi::core_scrub(h, 0, -1)).as_deref(), Some(""));
        assert_eq!((abi::core_value(h, 0), abi::core_event(h, 0), abi::core_summary(h)), (-1, -1, -1));
        abi::core_finish(h, 0);
        abi::core_free(h);
    }
    // A card number scrubbed out of text that comes from anywhere.
    scratch(b"card 4111111111111111 declined");
    let h = {
        push(tag("number"), None, 1.0);
        abi::core_new()
    };
    assert_eq!(out(abi::core_scrub(h, 0, 30)).as_deref(), Some("card ************1111 declined"));
    abi::core_free(h);
}
