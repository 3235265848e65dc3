//! Every error, request and decision of a broad set of inputs, pinned as
//! text (`pinned.txt`), so that a change of the core that should not change
//! what it says and does is seen not to. Each line is one case and what came
//! of it (an error as its full MigoError JSON, a request as its method, URL,
//! headers and body, a call as its actions), compared here line by line.
//!
//! `MIGO_PIN_WRITE=1 cargo test pinned` rewrites the file after a deliberate
//! change of behaviour: read its diff.

use crate::activation::activation_url;
use crate::call::{Action, CallInput, CutOff, Reply, SignalInput, TokenResult, Transport};
use crate::client::{Client, ClientInput};
use crate::config::{self, Config, ConfigInput};
use crate::endpoints::{endpoint, Op, Param, ENDPOINTS};
use crate::error::Error;
use crate::input::Input;
use crate::request::{self, Args};
use crate::response::{self, Body, Raw};
use crate::retry;
use crate::secret::Secret;
use crate::validate;

fn err(e: &Error) -> String {
    e.to_json()
}

fn res<T: core::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Ok(v) => format!("ok {v:?}"),
        Err(e) => err(&e),
    }
}

/// The inputs every validator sees.
fn inputs() -> Vec<Input> {
    let mut v = vec![
        Input::Absent,
        Input::Null,
        Input::Bool(true),
        Input::Number(0.0),
        Input::Number(-0.0),
        Input::Number(1.0),
        Input::Number(12.0),
        Input::Number(13.0),
        Input::Number(1.5),
        Input::Number(-1.0),
        Input::Number(2026.0),
        Input::Number(9_007_199_254_740_991.0),
        Input::Number(9_007_199_254_740_992.0),
        Input::Number(1e300),
        Input::Number(f64::NAN),
        Input::Number(f64::INFINITY),
        Input::Other("bigint"),
        Input::Other("function"),
        Input::Other("object"),
        Input::Other("string with unpaired surrogates"),
        Input::Unreadable,
    ];
    for s in [
        "",
        " ",
        "a",
        "u-1",
        ".",
        "..",
        "a b",
        "a\nb",
        "a\u{7f}b",
        "a\u{85}b",
        "é",
        "12a",
        "0012",
        "5000001",
        "4111111111111111",
        "4111 1111 1111 1111",
        " 4111-1111-1111-1111 ",
        "4111  1111 1111 1111",
        "4111111111111112",
        "41111111111",
        "41111111111111111111",
        "4111 1111 1111 111a",
        "-4111111111111111",
        "٤١١١",
        "vt+Q2FyZA/x9==",
        "tok_ok-._~",
        "production",
        "sandbox",
        "prod",
    ] {
        v.push(Input::from(s));
    }
    for (c, n) in [("x", 32), ("1", 32), ("1", 33), ("x", 64), ("é", 64), ("é", 65), ("x", 256), ("x", 257), ("é", 257)]
    {
        v.push(Input::Str(c.repeat(n)));
    }
    v
}

fn validators(out: &mut Vec<String>) {
    for (i, input) in inputs().iter().enumerate() {
        let mut line = |what: &str, r: String| out.push(format!("validate {i} {what}: {r}"));
        line("path_id", res(validate::path_id("userId", input)));
        line("any_id", res(validate::any_id("authUserId", input)));
        line("card_id", res(validate::card_id(input)));
        line("card_number", res(validate::card_number(input).map(|s| s.expose().clone())));
        line("alias", res(validate::alias(input)));
        line("client_id", res(validate::client_id(input)));
        line("view_token", res(validate::view_token(input).map(|s| s.expose().clone())));
        line("month", res(validate::month(input)));
        line("year", res(validate::year(input)));
        line("header_value", res(validate::header_value("accessToken", input, 40, Error::config)));
        line("access_token", res(config::access_token(input).map(|s| s.expose().clone())));
        if let Input::Str(s) = input {
            line("query_text", res(validate::query_text("client", s)));
        }
        for field in ["environment", "baseUrl", "applicationId", "clientId", "maxRetries", "timeoutMs"] {
            let mut c = ConfigInput::default();
            let slot = match field {
                "environment" => &mut c.environment,
                "baseUrl" => &mut c.base_url,
                "applicationId" => &mut c.application_id,
                "clientId" => &mut c.client_id,
                "maxRetries" => &mut c.max_retries,
                _ => &mut c.timeout_ms,
            };
            *slot = Some(input.clone());
            let config = Config::from_input(&c).map(|c| {
                format!("{} {:?} {:?} {} {}", c.base_url, c.application_id, c.client_id, c.max_retries, c.timeout_ms)
            });
            line(field, res(config));
        }
        for (j, other) in [Input::Absent, Input::from("c-1"), Input::Number(3.0)].iter().enumerate() {
            line(&format!("activation userId/{j}"), res(activation_url(input, other, &Input::Absent)));
            line(&format!("activation client/{j}"), res(activation_url(other, input, &Input::from("sandbox"))));
        }
        line("activation environment", res(activation_url(&Input::from("1001"), &Input::Absent, input)));
        let options = [
            ClientInput { access_token: Some(input.clone()), ..Default::default() },
            ClientInput { get_access_token: Some(input.clone()), ..Default::default() },
            ClientInput {
                access_token: Some(input.clone()),
                get_access_token: Some(input.clone()),
                ..Default::default()
            },
            ClientInput { access_token: Some("t".into()), on_request: Some(input.clone()), ..Default::default() },
            ClientInput { access_token: Some("t".into()), fetch: Some(input.clone()), ..Default::default() },
        ];
        for (j, o) in options.iter().enumerate() {
            line(&format!("client/{j}"), res(Client::new(o).map(|c| c.summary_json())));
        }
        let call_options = [
            CallInput { options: input.clone(), ..Default::default() },
            CallInput { options: Input::Other("object"), max_retries: input.clone(), ..Default::default() },
            CallInput { options: Input::Other("object"), timeout_ms: input.clone(), ..Default::default() },
        ];
        for (j, o) in call_options.iter().enumerate() {
            line(&format!("call options/{j}"), started(Op::BlockCard, &valid(Op::BlockCard), o, true));
        }
    }
}

fn base_urls(out: &mut Vec<String>) {
    for raw in [
        "https://api.example.com/rest/",
        "HTTPS://API.example.com",
        "http://localhost:3010",
        "http://LOCALHOST:3010/",
        "http://127.0.0.1:8080/rest",
        "http://127.10.0.3/rest//",
        "http://[::1]:9000/rest",
        "http://[0:0:0:0:0:0:0:1]/",
        "https://[2001:db8::1]:443/x",
        "http://api.example.com",
        "http://127.0.0.1.evil.com",
        "http://127.0.0.256",
        "http://127.0.0",
        "http://128.0.0.1",
        "http://localhost.evil.com",
        "http://localhost@evil.com",
        "https://user:pw@api.example.com",
        "ftp://localhost",
        "https://",
        "https://a b.com",
        "https://ex\u{e4}mple.com",
        "https://api.example.com?x=1",
        "https://api.example.com#x",
        "https://api.example.com:99999",
        "https://api.example.com:65535",
        "https://api.example.com:",
        "https://api.example.com:8a",
        "https://[::1",
        "https://[]",
        "https://[::1]x",
        "https://a_b.com",
        "//api.example.com",
        "api.example.com",
        "javascript:alert(1)",
        "http:/localhost",
        "http://[::2]",
        "",
        &format!("https://a.com/{}", "x".repeat(2100)),
    ] {
        out.push(format!("base_url {raw:?}: {}", res(config::base_url(raw))));
    }
}

/// Valid arguments for `op`.
fn valid(op: Op) -> Vec<(Param, Input)> {
    endpoint(op)
        .params()
        .map(|p| {
            let v = match p {
                Param::UserId | Param::AuthUserId => Input::from("10 01/é"),
                Param::CardId => Input::Number(5_000_001.0),
                Param::ClientId => Input::from("acme co"),
                Param::Card => Input::from("4111 1111 1111 1111"),
                Param::Alias => Input::from("My \"card\"\\é"),
                Param::ViewToken => Input::from("vt+Q2FyZA/x9=="),
                Param::Month => Input::Number(3.0),
                Param::Year => Input::Number(2026.0),
                Param::Pin => Input::from("0420"),
            };
            (p, v)
        })
        .collect()
}

fn client(provider: bool) -> Client {
    Client::new(&ClientInput {
        config: ConfigInput {
            base_url: Some("http://127.0.0.1:3010/rest/".into()),
            application_id: Some("app-1".into()),
            ..Default::default()
        },
        access_token: (!provider).then(|| "tok_fixed_secret".into()),
        get_access_token: provider.then_some(Input::Other("function")),
        ..Default::default()
    })
    .unwrap()
}

fn request_text(c: &Client, id: u32) -> String {
    match c.call(id).and_then(|c| c.request()) {
        Some(r) => format!(
            "{} {} | {} | {:?} | {:?} | {:?}",
            r.method.as_str(),
            r.url(),
            r.redacted_url(),
            r.headers(),
            r.body(),
            r
        ),
        None => "no request".into(),
    }
}

fn outcome(c: &Client, id: u32, a: Action) -> String {
    let call = c.call(id).unwrap();
    let tail = match a {
        Action::Done => format!("value {:?} span {:?}", call.value(), call.value_span()),
        Action::Fail => err(call.error().unwrap()),
        _ => String::new(),
    };
    format!("{a:?} {tail} event {:?}", c.event_json(id))
}

fn started(op: Op, args: &[(Param, Input)], input: &CallInput, has_fetch: bool) -> String {
    let mut c = client(false);
    let id = c.start(endpoint(op), args, input, has_fetch);
    let a = c.next(id, 1000.0);
    format!("{} {}", outcome(&c, id, a), request_text(&c, id))
}

fn calls(out: &mut Vec<String>) {
    // Every endpoint's request, and each argument missing or bad in turn.
    for e in &ENDPOINTS {
        let args = valid(e.op);
        out.push(format!("request {}: {}", e.name, started(e.op, &args, &CallInput::default(), true)));
        for i in 0..args.len() {
            for bad in [Input::Absent, Input::Bool(false), Input::from("")] {
                let mut a = args.clone();
                a[i].1 = bad.clone();
                out.push(format!(
                    "request {} arg {i} {bad:?}: {}",
                    e.name,
                    started(e.op, &a, &CallInput::default(), true)
                ));
            }
        }
        let built = request::build(e, &Args::default(), &client(false).config().clone(), &Secret::new("t".into()));
        out.push(format!("build {} without arguments: {}", e.name, res(built.map(|r| r.url()))));
    }
    for (j, signal) in [
        SignalInput::Live,
        SignalInput::Aborted { timeout: false },
        SignalInput::Aborted { timeout: true },
        SignalInput::Invalid("number"),
    ]
    .into_iter()
    .enumerate()
    {
        let input = CallInput { signal, ..Default::default() };
        out.push(format!("signal {j}: {}", started(Op::BlockCard, &valid(Op::BlockCard), &input, true)));
    }
    out.push(format!("no fetch: {}", started(Op::BlockCard, &valid(Op::BlockCard), &CallInput::default(), false)));

    // Replies, for each retry class, with the decisions that follow.
    let x20 = "x".repeat(20);
    let replies: Vec<(u16, &str, Option<&str>, bool)> = vec![
        (200, r#"{"success":true,"data":{"cardId":9007199254740993,"x":"é😀"}}"#, None, false),
        (200, r#" {"statusCode":201,"data":[1,2.5e3]} "#, None, false),
        (204, "", None, false),
        (200, "42", None, false),
        (200, "{\"success\": tru", None, false),
        (200, r#"{"success":false,"errors":[{"code":"7210","message":"not updated"}]}"#, None, false),
        (200, r#"{"statusCode":422,"message":"card expired"}"#, None, false),
        (
            400,
            r#"{"success":false,"errors":[{"code":"7000","message":"card 4111 1111 1111 1111 \u0001bad vt+Q2FyZA/x9=="}]}"#,
            None,
            false,
        ),
        (401, r#"{"success":false,"errors":[{"code":"TOKEN_EXPIRED","message":"expired"}]}"#, None, false),
        (404, r#"{"statusCode":404,"message":"User not found","errors":[{"code":7100}]}"#, None, false),
        (
            409,
            r#"{"success":false,"message":"conflict","errors":[{"code":"7213","message":"Card status invalid"}]}"#,
            None,
            false,
        ),
        (429, "", Some("2"), false),
        (429, "", Some("61"), false),
        (503, "<html>", Some("Sun, 29 Nov 2026 22:44:09 GMT"), false),
        (503, "", Some("Sunday, 29-Nov-26 22:44:09 GMT"), false),
        (503, "", Some("Sun Nov 29 22:44:09 2026"), false),
        (503, "", Some("soon"), false),
        (500, &x20, None, false),
        (502, r#"{"success":false,"message":"x"}"#, None, false),
        (0, "", None, false),
        (307, "", None, false),
        (200, "{}", None, true),
    ];
    for op in [Op::BlockCard, Op::IssueCard, Op::GetCardDetails] {
        for (status, body, retry_after, redirected) in &replies {
            let mut c = client(false);
            let id = c.start(endpoint(op), &valid(op), &CallInput::default(), true);
            let mut now = 1_795_992_246_000.0;
            let mut a = c.next(id, now);
            let mut log = Vec::new();
            for _ in 0..4 {
                if !matches!(a, Action::Send { .. }) {
                    break;
                }
                now += 10.0;
                let reply = Reply {
                    status: *status,
                    body: (*body).into(),
                    request_id: Some("req-4111111111111111".into()),
                    retry_after: retry_after.map(Into::into),
                    redirected: *redirected,
                    wall_ms: now,
                    ..Default::default()
                };
                a = c.on_reply(id, reply, now, 0.5);
                log.push(outcome(&c, id, a));
                if let Action::Wait { until } = a {
                    now = until;
                    a = c.next(id, now);
                }
            }
            out.push(format!("reply {op:?} {status} {body:?} {retry_after:?} {redirected}: {}", log.join(" / ")));
        }
        // Answers cut off after their status, by the connection or the deadline.
        for (status, retry_after) in [(200, None), (201, None), (404, None), (503, Some("0")), (503, None)] {
            for how in [CutOff::Connection, CutOff::Deadline] {
                let mut c = client(false);
                let id = c.start(endpoint(op), &valid(op), &CallInput::default(), true);
                let mut a = c.next(id, 0.0);
                let mut log = Vec::new();
                for _ in 0..2 {
                    if !matches!(a, Action::Send { .. }) {
                        break;
                    }
                    let reply = Reply {
                        status,
                        request_id: Some("req-4111111111111111".into()),
                        retry_after: retry_after.map(Into::into),
                        cut_off: Some(how),
                        ..Default::default()
                    };
                    a = c.on_reply(id, reply, 5.0, 0.5);
                    log.push(outcome(&c, id, a));
                    if let Action::Wait { until } = a {
                        a = c.next(id, until);
                    }
                }
                out.push(format!("cut off {op:?} {status} {retry_after:?} {how:?}: {}", log.join(" / ")));
            }
        }
        for what in [Transport::Network, Transport::NotSent, Transport::BadResponse] {
            let mut c = client(false);
            let id = c.start(endpoint(op), &valid(op), &CallInput::default(), true);
            c.next(id, 0.0);
            let a = c.on_transport(id, what, 5.0, 0.0);
            out.push(format!("transport {op:?} {what:?}: {}", outcome(&c, id, a)));
        }
        let mut c = client(false);
        let id = c.start(endpoint(op), &valid(op), &CallInput::default(), true);
        c.next(id, 0.0);
        let a = c.on_timeout(id, 30_000.0, 0.99);
        out.push(format!("timeout {op:?}: {}", outcome(&c, id, a)));
        // A lost answer, then a state conflict.
        let mut c = client(false);
        let id = c.start(endpoint(op), &valid(op), &CallInput::default(), true);
        c.next(id, 0.0);
        let mut a = c.on_transport(id, Transport::Network, 5.0, 0.0);
        if let Action::Wait { until } = a {
            c.next(id, until);
            let reply = Reply {
                status: 409,
                body: r#"{"success":false,"errors":[{"code":"7213"}]}"#.into(),
                ..Default::default()
            };
            a = c.on_reply(id, reply, until + 1.0, 0.0);
        }
        out.push(format!("lost then conflict {op:?}: {}", outcome(&c, id, a)));
        for timeout in [false, true] {
            let mut c = client(false);
            let id = c.start(endpoint(op), &valid(op), &CallInput::default(), true);
            c.next(id, 0.0);
            let a = c.on_abort(id, timeout, true, 3.0);
            out.push(format!("abort {op:?} {timeout}: {}", outcome(&c, id, a)));
        }
    }
    // The token provider.
    for result in [
        TokenResult::Value(Input::from("tok_new")),
        TokenResult::Value(Input::from("")),
        TokenResult::Value(Input::from("a b")),
        TokenResult::Value(Input::Number(1.0)),
        TokenResult::Rejected,
        TokenResult::Threw,
    ] {
        let mut c = client(true);
        let id = c.start(endpoint(Op::BlockCard), &valid(Op::BlockCard), &CallInput::default(), true);
        let first = c.next(id, 0.0);
        let a = c.on_token(id, 1, result.clone(), 1.0);
        out.push(format!("token {result:?}: {first:?} {} {}", outcome(&c, id, a), request_text(&c, id)));
    }
    let mut c = client(true);
    let id = c.start(endpoint(Op::BlockCard), &valid(Op::BlockCard), &CallInput::default(), true);
    c.next(id, 0.0);
    let a = c.on_timeout(id, 30_000.0, 0.0);
    out.push(format!("token wait timeout: {}", outcome(&c, id, a)));
    // Scrubbing what the driver passes on.
    let mut c = client(false);
    let id = c.start(endpoint(Op::GetCardDetails), &valid(Op::GetCardDetails), &CallInput::default(), true);
    c.next(id, 0.0);
    for text in ["token vt%2BQ2FyZA%2Fx9%3D%3D and 5555-5555-5555-4444", "tok_fixed_secret", "plain"] {
        out.push(format!("scrub {text:?}: {:?}", c.call(id).unwrap().scrub(text)));
    }
}

fn decoding(out: &mut Vec<String>) {
    for (status, body) in [
        (200, r#"{"success":true,"data":{"a":1}}"#),
        (200, r#"{"success":"yes","data":1}"#),
        (200, r#"{"statusCode":"201"}"#),
        (200, r#"{"statusCode":70000,"data":1}"#),
        (200, r#"{"statusCode":404.0,"data":1}"#),
        (200, r#"{"statusCode":-404,"data":1}"#),
        (500, r#"{"success":false,"errors":[{"code":"","message":""}]}"#),
        (500, r#"{"success":false,"errors":[{"code":123456789012345678901,"message":"m"}]}"#),
        (500, r#"{"success":false,"errors":{"code":"7000"},"message":"\u00e9\ud800x"}"#),
        (500, r#"{"success":false,"errors":[],"message":"a\u0085b\u009fc"}"#),
        (418, ""),
        (418, "not json"),
    ] {
        let raw = Raw { status, body, request_id: Some("id\u{7f}") };
        let r = response::decode(raw, &["vt+Q2FyZA/x9=="]).map(|b| match b {
            Body::Empty => "empty".to_owned(),
            Body::Json(t) => t.into_owned(),
        });
        out.push(format!("decode {status} {body:?}: {}", res(r)));
    }
    let long = format!(r#"{{"success":false,"message":"{}"}}"#, "é".repeat(400));
    out.push(format!(
        "decode long: {}",
        res(response::decode(Raw { status: 500, body: &long, request_id: None }, &[]).map(|_| ()))
    ));
    for v in [
        "0",
        " 12 ",
        "9999999999",
        "99999999999",
        "000000000000000000001",
        "18446744073709551616",
        "+1",
        "-1",
        "1.5",
        "Sun, 29 Nov 2026 22:44:09 GMT",
        "Sunday, 29-Nov-69 22:44:09 GMT",
        "Sunday, 29-Nov-70 22:44:09 GMT",
        "Sun Nov  9 22:44:09 2026",
        "Funday, 29-Nov-26 22:44:09 GMT",
        "Sun, 31 Nov 2026 22:44:09 GMT",
        "é, 29-Nov-26 22:44:09 GMT",
    ] {
        out.push(format!("retry_after {v:?}: {:?}", retry::parse_retry_after(v, None, 1_795_992_246_000.0)));
    }
}

fn all() -> Vec<String> {
    let mut out = Vec::new();
    validators(&mut out);
    base_urls(&mut out);
    calls(&mut out);
    decoding(&mut out);
    out
}

#[test]
fn every_error_request_and_decision_is_as_pinned() {
    let got = all().join("\n") + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/pinned.txt");
    if std::env::var_os("MIGO_PIN_WRITE").is_some() {
        std::fs::write(path, &got).unwrap();
        return;
    }
    let pinned = std::fs::read_to_string(path).unwrap();
    for (i, (g, p)) in got.lines().zip(pinned.lines()).enumerate() {
        assert_eq!(g, p, "line {}", i + 1);
    }
    assert_eq!(got.lines().count(), pinned.lines().count());
}
