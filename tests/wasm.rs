//! wasm-bindgen tests: the compiled module's exports (bindings/src/exports.rs),
//! driven from Rust the way js/api.js drives them, in Node and in headless
//! Chromium (`make test` runs both). They check what only the wasm build can
//! show: the exports' value crossing (tags, numbers, a string's length in
//! UTF-16 units), the core's rules under wasm32 (Retry-After dates are read
//! by the engine's `Date` there, checked here against httpdate), that each
//! result is the caller's own whatever runs in between, and that hostile
//! numbers, tags, lengths and ids from JavaScript never trap the module.
#![cfg(target_arch = "wasm32")]

use migo_cards::wasm::{self as w, Act, Body, Event, StepField, Text, WasmClient};
use wasm_bindgen_test::*;

const T0: f64 = 1_795_992_246_000.0; // 2026-11-29T22:44:06Z

fn tag(name: &str) -> u8 {
    migo_cards::engine::input::TAGS.iter().position(|t| *t == name).unwrap() as u8
}

/// JS values as js/api.js's `pack` sends them.
#[derive(Clone, Copy)]
enum V<'a> {
    S(&'a str),
    N(f64),
    T(&'a str),
}

/// `pack` of js/api.js: each value's tag and number (a string's UTF-16
/// length), and the texts joined.
fn pack(values: &[V]) -> (Vec<f64>, String) {
    let (mut list, mut text) = (vec![], String::new());
    for v in values {
        match *v {
            V::S(s) => {
                list.extend([f64::from(tag("string")), s.encode_utf16().count() as f64]);
                text.push_str(s);
            }
            V::N(n) => list.extend([f64::from(tag("number")), n]),
            V::T(t) => list.extend([f64::from(tag(t)), 0.0]),
        }
    }
    (list, text)
}

const ABSENT: V = V::T("undefined");

/// A client with a fixed token and a loopback base URL, as `new MigoClient` makes it.
fn client() -> WasmClient {
    // The options argument, then environment, baseUrl, applicationId,
    // clientId, maxRetries, timeoutMs, accessToken, getAccessToken,
    // onRequest, fetch.
    let (l, s) = pack(&[
        V::T("object"),
        ABSENT,
        V::S("http://127.0.0.1:3010/rest"),
        V::S("app-1"),
        ABSENT,
        ABSENT,
        ABSENT,
        V::S("tok_wasm_test_secret"),
        ABSENT,
        ABSENT,
        ABSENT,
    ]);
    WasmClient::create(&l, &s).unwrap()
}

/// The operation's index, as `describe()` lists them.
fn op(name: &str) -> u8 {
    assert!(w::describe().contains(&format!("[\"{name}\",")));
    migo_cards::engine::endpoints::ENDPOINTS.iter().position(|e| e.name == name).unwrap() as u8
}

/// A call's step as the driver sees it: its act, then the numbers it reads.
struct Step {
    id: u32,
    act: Act,
    numbers: [f64; 4],
}

fn step(c: &WasmClient, id: u32, act: Act) -> Step {
    let numbers = [StepField::At, StepField::Ticket, StepField::Start, StepField::End].map(|f| c.step(id, f));
    Step { id, act, numbers }
}

/// A step's number, by field.
fn at(step: &Step, f: StepField) -> f64 {
    step.numbers[f as usize]
}

fn act(step: &Step) -> u8 {
    step.act as u8
}

fn id(step: &Step) -> u32 {
    step.id
}

const SEND: u8 = Act::Send as u8;
const WAIT: u8 = Act::Wait as u8;
const DONE: u8 = Act::Done as u8;
const FAIL: u8 = Act::Fail as u8;

/// Starts `name` at `T0` with `args` and no call options, as
/// `client.name(...args)` does: its first step.
fn start(c: &mut WasmClient, name: &str, args: &[V]) -> Step {
    let mut all = args.to_vec();
    all.extend([ABSENT, ABSENT, ABSENT, ABSENT]);
    let (l, s) = pack(&all);
    let id = c.start(op(name), &l, &s, true);
    let act = c.on(id, Event::Go, false, 0, T0, 0.5);
    step(c, id, act)
}

/// The request lines of call `id`.
fn request_lines(c: &WasmClient, id: u32) -> Vec<String> {
    c.text(id, Text::Request).unwrap().split('\n').map(str::to_owned).collect()
}

/// `reply` as the driver sends it for a body that arrived whole, the wall clock reading `now`.
fn reply(
    c: &mut WasmClient,
    id: u32,
    status: u16,
    body: &str,
    request_id: Option<&str>,
    retry_after: Option<&str>,
    now: f64,
) -> Step {
    reply_with(c, id, status, body, request_id, retry_after, None, Body::Whole, now, now)
}

/// `reply` with the Date header, how the body ended, and the wall clock apart.
#[allow(clippy::too_many_arguments)]
fn reply_with(
    c: &mut WasmClient,
    id: u32,
    status: u16,
    body: &str,
    request_id: Option<&str>,
    retry_after: Option<&str>,
    date: Option<&str>,
    ended: Body,
    now: f64,
    wall: f64,
) -> Step {
    fn value(s: Option<&str>) -> V<'_> {
        s.map_or(ABSENT, V::S)
    }
    let (l, s) = pack(&[V::S(body), value(request_id), value(retry_after), value(date)]);
    let act = c.reply(id, status, false, ended, &l, &s, now, wall, 0.5);
    step(c, id, act)
}

#[wasm_bindgen_test]
fn describe_lists_what_the_core_has() {
    let d = w::describe();
    assert_eq!(d, migo_cards::describe::describe_json());
    assert!(d.starts_with("{\"tags\":[\"undefined\""), "{d}");
}

#[wasm_bindgen_test]
fn a_call_crosses_as_tags_numbers_and_strings() {
    let mut c = client();
    assert_eq!(
        c.summary(),
        r#"{"environment":"production","baseUrl":"http://127.0.0.1:3010/rest","applicationId":"app-1"}"#
    );
    let s = start(&mut c, "activateCard", &[V::S("1001"), V::N(5_000_001.0)]);
    let id = id(&s);
    assert_eq!(act(&s), SEND);
    assert_eq!(at(&s, StepField::At), T0 + 30_000.0);
    let expected = [
        "POST",
        "http://127.0.0.1:3010/rest/users/1001/cards/5000001/activate",
        "",
        "authorization",
        "Bearer tok_wasm_test_secret",
        "x-application-id",
        "app-1",
    ];
    assert_eq!(request_lines(&c, id), expected);
    let body = r#"{"success":true,"data":{"cardId":5000001,"status":"ACTIVE"}}"#;
    let s = reply(&mut c, id, 200, body, Some("req-1"), None, T0 + 5.0);
    assert_eq!(act(&s), DONE);
    // The value is a part of the body: its span, as JS string indices.
    let (a, b) = (at(&s, StepField::Start) as usize, at(&s, StepField::End) as usize);
    assert_eq!(&body[a..b], r#"{"cardId":5000001,"status":"ACTIVE"}"#);
    assert_eq!(c.text(id, Text::Value).as_deref(), Some(r#"{"cardId":5000001,"status":"ACTIVE"}"#));
    let event = c.text(id, Text::Event).unwrap();
    assert!(event.contains("\"durationMs\":5") && event.contains(r#""requestId":"req-1""#), "{event}");
    // What the driver passes on from elsewhere loses the call's secrets.
    let scrubbed = c.scrub(id, "failed: Bearer tok_wasm_test_secret for 4111111111111111");
    assert!(!scrubbed.contains("tok_wasm_test_secret") && !scrubbed.contains("4111111111111111"), "{scrubbed}");
    c.finish(id);
    assert_eq!(c.live_calls(), 0);
    assert_eq!(c.on(id, Event::Go, false, 0, T0, 0.5) as u8, FAIL, "a finished call is forgotten");
}

/// Strings cross by their UTF-16 length: text beyond ASCII, astral
/// characters and empty strings each land in their own value.
#[wasm_bindgen_test]
fn strings_of_any_script_cross_whole() {
    let mut c = client();
    let alias = "Épargne 💳 ★";
    let s = start(&mut c, "updateCardAlias", &[V::N(5_000_001.0), V::S(alias)]);
    assert_eq!(act(&s), SEND);
    let lines = request_lines(&c, id(&s));
    assert_eq!(lines[2], format!("{{\"alias\":\"{alias}\"}}"));
    let s = start(&mut c, "linkCard", &[V::S("1001"), V::S("4111111111111111"), V::S(""), V::S("ü")]);
    let e = c.text(id(&s), Text::Error).unwrap();
    assert_eq!(act(&s), FAIL, "{e}");
}

/// Whatever the driver calls between a step and the read of what it needs
/// (a report, another call's start and steps, a scrub, a value), each call's
/// request and each step's numbers stay its own.
#[wasm_bindgen_test]
fn each_result_is_its_own_whatever_runs_in_between() {
    let mut c = client();
    let first = start(&mut c, "updateCardAlias", &[V::N(5_000_001.0), V::S("Groceries")]);
    let a = id(&first);
    let before = request_lines(&c, a);
    // A 429 whose Retry-After is due: the retry's send step comes at once.
    let s = reply(&mut c, a, 429, "", None, Some("0"), T0 + 1.0);
    assert_eq!(act(&s), SEND);
    // Every export the driver can call, between the send step and its request.
    let _ = c.text(a, Text::Event);
    let _ = c.scrub(a, "x 4111111111111111");
    let other = start(&mut c, "issueCard", &[V::S("1002")]);
    let b = id(&other);
    let _ = c.text(b, Text::Request);
    let _ = c.text(b, Text::Event);
    let _ = c.on(b, Event::Network, false, 0, T0 + 3.0, 0.5);
    let _ = c.text(b, Text::Error).unwrap();
    let _ = w::describe();
    let string = f64::from(tag("string"));
    let _ = w::activation_url(&[string, 4.0, string, 1.0, string, 7.0], "1001xsandbox");
    let (card, card_text) = pack(&[V::S("4111111111111111")]);
    let _ = w::is_valid_card_number(&card, &card_text);
    assert_eq!(request_lines(&c, a), before);
    assert_eq!(before[..3], ["PATCH", "http://127.0.0.1:3010/rest/cards/5000001", r#"{"alias":"Groceries"}"#]);
    // The step's numbers, read after all of that, are still the retry's.
    assert_eq!(step(&c, a, s.act).numbers, s.numbers);
    assert_eq!(at(&s, StepField::At), T0 + 1.0 + 30_000.0);
    assert_eq!(id(&s), a);
}

#[wasm_bindgen_test]
fn retry_after_dates_work_under_wasm32() {
    for date in ["Sun, 29 Nov 2026 22:44:09 GMT", "Sunday, 29-Nov-26 22:44:09 GMT", "Sun Nov 29 22:44:09 2026"] {
        let mut c = client();
        let s = start(&mut c, "issueCard", &[V::S("1001")]);
        assert_eq!(act(&s), SEND);
        assert_eq!(request_lines(&c, id(&s))[..2], ["POST", "http://127.0.0.1:3010/rest/users/1001/cards/virtuals"]);
        let s = reply(&mut c, id(&s), 503, "", None, Some(date), T0);
        assert_eq!(act(&s), WAIT, "{date}");
        assert_eq!(at(&s, StepField::At), T0 + 3000.0, "{date}");
    }
}

/// A Retry-After date counts from the answer's `Date`, whatever the wall
/// clock and the driver's monotonic clock read.
#[wasm_bindgen_test]
fn a_retry_after_date_counts_from_the_answers_date() {
    let mut c = client();
    let s = start(&mut c, "issueCard", &[V::S("1001")]);
    let ra = Some("Sun, 29 Nov 2026 22:44:09 GMT");
    let date = Some("Sun, 29 Nov 2026 22:44:06 GMT");
    let s = reply_with(&mut c, id(&s), 503, "", None, ra, date, Body::Whole, T0, T0 - 3_600_000.0);
    assert_eq!(act(&s), WAIT);
    assert_eq!(at(&s, StepField::At), T0 + 3000.0);
}

#[wasm_bindgen_test]
fn an_answer_cut_off_after_its_status_crosses_with_its_status_and_request_id() {
    for (ended, kind) in [(Body::ConnectionLost, "network"), (Body::DeadlinePassed, "timeout")] {
        let mut c = client();
        let s = start(&mut c, "issueCard", &[V::S("1001")]);
        let s = reply_with(&mut c, id(&s), 201, "", Some("req-9"), None, None, ended, T0 + 5.0, T0 + 5.0);
        assert_eq!(act(&s), FAIL);
        let e = c.text(id(&s), Text::Error).unwrap();
        for part in [
            &format!(r#""kind":"{kind}""#),
            r#""status":201"#,
            r#""requestId":"req-9""#,
            r#""outcome":"unknown""#,
            r#""attempts":1"#,
        ] {
            assert!(e.contains(part), "{e}");
        }
    }
}

/// The module reads HTTP dates with the engine's `Date` (engine/src/platform.rs):
/// every form, valid or not (day 0..39 of each month, every weekday, years
/// around the two-digit pivot, out-of-range times), must read as httpdate
/// reads it natively.
#[wasm_bindgen_test]
fn http_dates_read_by_the_engine_as_httpdate_reads_them() {
    use migo_cards::engine::retry::parse_retry_after;
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
    let mut c = client();
    let s = start(&mut c, "issueCard", &[V::T("badString")]);
    assert_eq!(act(&s), FAIL);
    assert_eq!(c.on(id(&s), Event::Go, false, 0, T0, 0.5) as u8, FAIL);
    let e = c.text(id(&s), Text::Error).unwrap();
    assert!(e.starts_with(r#"{"message":"userId must be"#), "{e}");
    assert!(e.contains(r#""field":"userId""#) && e.contains(r#""outcome":"notSent""#), "{e}");
}

#[wasm_bindgen_test]
fn unusable_options_give_their_error_and_no_client() {
    // Not an object.
    let (l, s) = pack(&[V::N(1.0)]);
    assert!(WasmClient::create(&l, &s).is_none());
    let e = w::options_error(&l, &s).unwrap();
    assert!(e.contains(r#""field":"options""#) && e.contains(r#""kind":"config""#), "{e}");
    // An object without a token.
    let mut values = vec![V::T("object")];
    values.extend([ABSENT; 10]);
    let (l, s) = pack(&values);
    assert!(WasmClient::create(&l, &s).is_none());
    assert!(w::options_error(&l, &s).unwrap().contains(r#""field":"accessToken""#));
    // Usable options have no error.
    let (l, s) = pack(&[V::T("object"), ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, V::S("tok")]);
    assert_eq!(w::options_error(&l, &s), None);
}

#[wasm_bindgen_test]
fn hostile_numbers_tags_lengths_and_ids_never_trap() {
    let mut c = client();
    for t in [0.0, 4.0, 5.0, 14.0, 15.0, 200.0, 255.0, 256.0, -1.0, f64::NAN, 5.5] {
        for n in [f64::NAN, f64::INFINITY, -0.0, 1e300, -1.0, 9_007_199_254_740_993.0] {
            for o in 0..=12u8 {
                // Odd lengths, tags out of range, lengths past the text.
                let id = c.start(o, &[t, n, t, n, t, n, t], "x💳", n.is_nan());
                let _ = [StepField::At, StepField::Ticket, StepField::Start, StepField::End].map(|f| c.step(id, f));
                for event in [
                    Event::Go,
                    Event::Network,
                    Event::NotSent,
                    Event::BadResponse,
                    Event::TimedOut,
                    Event::Aborted,
                    Event::AbortedUnsent,
                    Event::TokenRejected,
                    Event::TokenThrew,
                ] {
                    let _ = c.on(id, event, n.is_nan(), u32::MAX, n, n);
                }
                for ended in [Body::Whole, Body::ConnectionLost, Body::DeadlinePassed] {
                    let _ = c.reply(id, 0, true, ended, &[t, n, 5.0, 1.0, t], "\0", n, n, n);
                }
                let _ = c.token(id, u32::MAX, &[t, n], "", n);
                let _ = (
                    c.text(id, Text::Request),
                    c.text(id, Text::Value),
                    c.text(id, Text::Error).unwrap(),
                    c.text(id, Text::Event),
                );
                let _ = c.scrub(id, "4111 1111 1111 1111");
                c.finish(id);
            }
        }
    }
    for id in [u32::MAX, 7, 0] {
        assert_eq!(c.on(id, Event::Go, false, 0, T0, 0.5) as u8, FAIL);
        assert!(c.text(id, Text::Error).unwrap().contains(r#""field":"this""#));
        assert_eq!((c.text(id, Text::Request), c.text(id, Text::Value), c.text(id, Text::Event)), (None, None, None));
        c.finish(id);
    }
    assert_eq!(c.live_calls(), 0);
    // Free functions.
    assert!(w::activation_url(&[200.0, f64::NAN], "").starts_with('{'));
    assert!(w::activation_url(&[5.0, 1e9, 5.0, -1.0, 5.0, f64::NAN], "ab").starts_with('{'));
    assert!(w::activation_url(&[f64::NAN, -1.0, 1e300, f64::INFINITY, -0.0], "ab").starts_with('{'));
    assert!(!w::is_valid_card_number(&[255.0, 0.0], ""));
    assert!(!w::is_valid_card_number(&[], ""));
    // A string whose length runs past the text: only what there is.
    assert!(!w::is_valid_card_number(&[f64::from(tag("string")), 16.0], "4111"));
    let (l, s) = pack(&[V::S("4111-1111-1111-1111")]);
    assert!(w::is_valid_card_number(&l, &s));
}

#[wasm_bindgen_test]
fn a_card_number_is_scrubbed_from_text_of_any_call() {
    let c = client();
    assert_eq!(c.scrub(0, "card 4111111111111111 declined"), "card ************1111 declined");
}
