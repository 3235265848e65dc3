use super::*;

const NOW: f64 = 1_700_000_000_000.0;

fn host(options: Value) -> Host {
    Host::new(serde_json::from_value(options).unwrap()).unwrap()
}

fn pairs(headers: &[(&str, &str)]) -> Vec<(String, String)> {
    headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn respond(answer: Answer) -> Reply {
    match answer {
        Answer::Respond(reply) => reply,
        other => panic!("not an answer: {other:?}"),
    }
}

const AUTH: (&str, &str) = ("authorization", "Bearer migo-test-token");

#[test]
fn options_are_checked() {
    for bad in [
        json!({"basePath": "rest"}),
        json!({"basePath": "/rest?x"}),
        json!({"users": []}),
        json!({"users": [""]}),
        json!({"tokens": ["a b"]}),
    ] {
        let err =
            Host::new(serde_json::from_value(bad.clone()).unwrap()).err().unwrap_or_else(|| panic!("{bad} accepted"));
        assert_eq!(err.kind, ErrorKind::Type, "{bad}");
        assert!(err.message.starts_with("createTestGateway: "), "{}", err.message);
    }
    // What serde refuses before Host::new (the bindings say "createTestGateway: " too).
    for bad in [json!({"seed": -1}), json!({"seed": 1.5}), json!({"port": 1}), json!([])] {
        assert!(serde_json::from_value::<Options>(bad.clone()).is_err(), "{bad}");
    }
    let h = host(json!({"basePath": "/api/v2", "users": ["u1"], "tokens": ["t1"], "seed": 9}));
    assert_eq!(h.gateway().config().base_path, "/api/v2");
}

#[test]
fn a_request_under_the_base_path_is_answered_with_a_request_id() {
    let mut h = host(json!({}));
    let headers = pairs(&[("authorization", "  Bearer migo-test-token "), ("x-application-id", "app")]);
    let reply = respond(h.fetch("POST", "/rest/users/1001/cards/virtuals", &headers, b"", NOW).unwrap());
    assert_eq!((reply.status, reply.status_text), (201, "Created"));
    assert_eq!(reply.header("x-request-id"), Some("req-000001"));
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body: Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(body["data"]["cardId"], 5_000_001);
    // The log has the request id too.
    let state = h.state();
    assert_eq!(state["requests"][0]["requestId"], "req-000001");
    assert_eq!(state["requests"][0]["headers"]["authorization"], "Bearer ***");
}

#[test]
fn headers_come_sorted_one_pair_per_name() {
    let mut h = host(json!({}));
    h.fault(Some(json!({"status": 503, "retryAfter": 2})), NOW).unwrap();
    let reply = respond(h.fetch("POST", "/rest/users/1001/cards/virtuals", &pairs(&[AUTH]), b"", NOW).unwrap());
    let names: Vec<&str> = reply.headers.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["content-type", "retry-after", "x-request-id"]);
}

#[test]
fn urls_outside_the_base_path_and_bad_requests_are_refused_like_fetch() {
    let mut h = host(json!({"basePath": "/api"}));
    let mut call = |method: &str, url: &str, headers: &[(&str, &str)]| h.fetch(method, url, &pairs(headers), b"", 0.0);
    let e = call("POST", "/rest/users/1001/cards/virtuals", &[]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Route);
    assert!(e.message.contains("/api"), "{}", e.message);
    assert_eq!(call("POST", "/apix/users", &[]).unwrap_err().kind, ErrorKind::Route);
    assert_eq!(call("PO ST", "/api/x", &[]).unwrap_err().kind, ErrorKind::Type);
    assert_eq!(call("POST", "/api/x", &[("bad name", "v")]).unwrap_err().kind, ErrorKind::Type);
    assert_eq!(call("POST", "/api/x", &[("x", "a\nb")]).unwrap_err().kind, ErrorKind::Type);
    // Not a ByteString: what Headers itself would refuse.
    assert_eq!(call("POST", "/api/x", &[("x", "\u{20ac}")]).unwrap_err().kind, ErrorKind::Type);
    // Latin-1 is fine (it is logged lossily, never echoed).
    assert!(call("POST", "/api/x", &[("x-application-id", "caf\u{e9}")]).is_ok());
    // Nothing refused reached the log.
    assert_eq!(h.state()["requests"].as_array().unwrap().len(), 1);
}

#[test]
fn delays_are_steps_and_an_abandoned_request_is_never_processed() {
    let mut h = host(json!({}));
    let auth = pairs(&[AUTH]);
    let url = "/rest/users/1001/cards/virtuals";
    assert_eq!(h.fault(Some(json!({"delayMs": 250, "times": 2})), NOW), Ok(1));
    let Answer::Wait { ms, exchange } = h.fetch("POST", url, &auth, b"", NOW).unwrap() else { panic!("no wait") };
    assert_eq!(ms, 250.0);
    // The client gives up: nothing is created, the log keeps no status.
    h.abandon(exchange);
    assert_eq!(h.resume(exchange, NOW).unwrap_err().kind, ErrorKind::Protocol);
    let Answer::Wait { exchange, .. } = h.fetch("POST", url, &auth, b"", NOW).unwrap() else { panic!("no wait") };
    assert_eq!(h.resume(999, 0.0).unwrap_err().kind, ErrorKind::Protocol);
    let done = respond(h.resume(exchange, NOW).unwrap());
    assert_eq!(done.status, 201);
    assert_eq!(done.header("x-request-id"), Some("req-000002"));
    let state = h.state();
    assert_eq!(state["cards"].as_array().unwrap().len(), 1);
    assert_eq!(state["requests"][0]["status"], Value::Null);
    assert_eq!(state["requests"][1]["status"], 201);
}

/// Interleaved requests each get their own answer: nothing is shared
/// between calls but the gateway's state.
#[test]
fn interleaved_exchanges_keep_their_own_answers() {
    let mut h = host(json!({}));
    let auth = pairs(&[AUTH]);
    h.fault(Some(json!({"path": "/users/1001/cards/virtuals", "delayMs": 10})), NOW).unwrap();
    h.fault(Some(json!({"path": "/users/1002/cards/virtuals", "status": 503, "delayMs": 10})), NOW).unwrap();
    let Answer::Wait { exchange: a, .. } = h.fetch("POST", "/rest/users/1001/cards/virtuals", &auth, b"", NOW).unwrap()
    else {
        panic!("no wait")
    };
    let Answer::Wait { exchange: b, .. } = h.fetch("POST", "/rest/users/1002/cards/virtuals", &auth, b"", NOW).unwrap()
    else {
        panic!("no wait")
    };
    let c = respond(h.fetch("POST", "/rest/users/alice/cards/virtuals", &auth, b"", NOW).unwrap());
    let b = respond(h.resume(b, NOW).unwrap());
    let a = respond(h.resume(a, NOW).unwrap());
    let ids = [&a, &b, &c].map(|r| (r.status, r.header("x-request-id").unwrap().to_string()));
    assert_eq!(ids, [(201, "req-000001".into()), (503, "req-000002".into()), (201, "req-000003".into())]);
    let user = |r: &Reply| serde_json::from_slice::<Value>(&r.body).unwrap()["data"]["userId"].clone();
    assert_eq!((user(&a), user(&c)), (json!("1001"), json!("alice")));
}

#[test]
fn admin_methods_answer_values_or_typed_errors() {
    let mut h = host(json!({}));
    let card = h.add_card(Some(json!({"userId": "1001", "status": "ACTIVE"})), NOW).unwrap();
    assert_eq!(card["cardId"], 5_000_001);
    assert!(h.view_token(json!(5_000_001), NOW).unwrap().starts_with("vt_"));
    assert!(h.view_token(json!("5000001"), NOW).unwrap().starts_with("vt_"));
    assert_eq!(h.config(Some(json!({"envelope": "statusCode"})), NOW).unwrap(), "statusCode");
    assert_eq!(h.config(None, NOW).unwrap(), "statusCode");
    assert_eq!(h.fault(Some(json!({"status": 500})), NOW), Ok(1));
    for (result, kind, start) in [
        (h.view_token(json!(42), NOW).map(|_| ()), ErrorKind::NotFound, "viewToken: card not found"),
        (h.view_token(Value::Null, NOW).map(|_| ()), ErrorKind::Type, "viewToken: cardId"),
        (h.add_card(Some(json!({"userId": "ghost"})), NOW).map(|_| ()), ErrorKind::NotFound, "addCard: user not found"),
        (h.add_card(None, NOW).map(|_| ()), ErrorKind::Type, "addCard: invalid body"),
        (h.fault(Some(json!({"delay": 5})), NOW).map(|_| ()), ErrorKind::Type, "fault: invalid body"),
        (h.fault(Some(json!({"times": 0})), NOW).map(|_| ()), ErrorKind::Type, "fault: times"),
        (h.config(Some(json!({"envelope": 3})), NOW).map(|_| ()), ErrorKind::Type, "config: invalid body"),
    ] {
        let e = result.unwrap_err();
        assert_eq!(e.kind, kind, "{}", e.message);
        assert!(e.message.starts_with(start), "{}", e.message);
    }
    h.clear_faults();
    assert_eq!(h.state()["faults"], json!([]));
    h.reset();
    assert_eq!(h.state()["cards"], json!([]));
}

#[test]
fn numbers_beyond_what_javascript_holds_become_floats() {
    let mut v =
        json!({"a": [u64::MAX, i64::MIN, 9_007_199_254_740_991u64, 1.5, -3], "b": {"c": 9_007_199_254_740_993u64}});
    js_numbers(&mut v);
    assert_eq!(v["a"][0].as_f64(), Some(u64::MAX as f64));
    assert!(v["a"][0].is_f64() && v["a"][1].is_f64() && v["b"]["c"].is_f64());
    assert_eq!(v["a"][2], json!(9_007_199_254_740_991u64));
    assert!(v["a"][2].is_u64());
    assert_eq!((v["a"][3].clone(), v["a"][4].clone()), (json!(1.5), json!(-3)));
}

#[test]
fn the_same_seed_gives_the_same_cards_and_view_tokens() {
    let run = |seed: u64| {
        let mut h = host(json!({"seed": seed}));
        let card = h.add_card(Some(json!({"userId": "alice"})), NOW).unwrap();
        (card, h.view_token(json!(5_000_001), NOW).unwrap())
    };
    assert_eq!(run(42), run(42));
    assert_ne!(run(42), run(43));
}

/// Nothing the wrapper (or a caller behind it) passes may panic the module.
#[test]
fn garbage_in_never_panics() {
    let mut h = host(json!({}));
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let urls = [
        "/rest/users/1001/cards/5000001?token=vt_x",
        "/rest/users/%ff/cards",
        "/rest/cards/99999999999999999999",
        "",
        "rest",
        "/rest/\u{0}",
        "/rest/users/1001/cards/virtuals",
    ];
    let methods = ["GET", "POST", "PATCH", "", "P\u{e9}", "DELETE"];
    let headers = [
        pairs(&[]),
        pairs(&[AUTH, ("content-type", "application/json")]),
        pairs(&[("\u{0}", "x")]),
        pairs(&[("x", "\u{ff}\u{100}")]),
    ];
    let values = [
        json!(null),
        json!({}),
        json!({"delayMs": 5}),
        json!({"userId": "1001", "pan": 4111111111111111u64}),
        json!({"cardId": 5000001}),
        json!({"envelope": "statusCode"}),
        json!([1, [2, {"x": u64::MAX}]]),
        json!("x"),
        json!(1e300),
    ];
    for _ in 0..4000 {
        let now = (next() % 3) as f64 * f64::from(u32::MAX);
        let len = (next() % 64) as usize;
        let body: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let value = values[(next() % values.len() as u64) as usize].clone();
        let _ = match next() % 9 {
            0..=2 => {
                let m = methods[(next() % methods.len() as u64) as usize];
                let u = urls[(next() % urls.len() as u64) as usize];
                h.fetch(m, u, &headers[(next() % headers.len() as u64) as usize], &body, now).map(|_| ())
            }
            3 => h.resume((next() % 4) as u32, now).map(|_| ()),
            4 => h.view_token(value, now).map(|_| ()),
            5 => h.fault(Some(value), now).map(|_| ()),
            6 => h.add_card(Some(value), now).map(|_| ()),
            7 => h.config(Some(value), now).map(|_| ()),
            _ => h.admin_http(methods[(next() % 6) as usize], "/faults", &body, now).map(|_| ()),
        };
    }
}
