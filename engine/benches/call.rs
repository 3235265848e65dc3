//! Native cost of whole calls through the core, as a driver makes them:
//! `cargo bench -p migo-cards-engine --bench call`. Prints nanoseconds per call (the
//! fastest of 15 runs) for the success path, a validation error and an API
//! error. Figures only; the browser figures are `make bench`'s.

use std::hint::black_box;
use std::time::Instant;

use migo_cards_engine::call::{Action, CallInput, Reply};
use migo_cards_engine::client::{Client, ClientInput};
use migo_cards_engine::config::ConfigInput;
use migo_cards_engine::endpoints::{endpoint, Op, Param};
use migo_cards_engine::input::Input;

fn time(name: &str, mut f: impl FnMut()) {
    // `-- WORD` runs only the cases naming WORD; `MIGO_BENCH_ONCE=N` runs N
    // calls and prints nothing (for `valgrind --tool=callgrind`, which counts
    // instructions whatever the machine's load).
    if std::env::args().skip(1).find(|a| !a.starts_with("--")).is_some_and(|w| !name.contains(w.as_str())) {
        return;
    }
    if let Some(n) = std::env::var("MIGO_BENCH_ONCE").ok().and_then(|n| n.parse::<u32>().ok()) {
        for _ in 0..n {
            f();
        }
        return;
    }
    let mut best = f64::INFINITY;
    for _ in 0..15 {
        let n = 20_000;
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        best = best.min(start.elapsed().as_nanos() as f64 / f64::from(n));
    }
    println!("{name:<50} {best:>9.0} ns");
}

fn main() {
    let mut client = Client::new(&ClientInput {
        config: ConfigInput { base_url: Some("http://127.0.0.1:3010/rest".into()), ..Default::default() },
        access_token: Some("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMDAxIn0.sig_ABC-def".into()),
        ..Default::default()
    })
    .unwrap();
    let ok = r#"{"success":true,"data":{"cardId":5000001,"userId":"1001","status":"ACTIVE","alias":"Groceries","maskedPan":"************1111","balance":"10.5000"}}"#;
    let conflict = r#"{"success":false,"message":"conflict","errors":[{"code":"7213","message":"card 4111 1111 1111 1111 is ACTIVE, token eyJhbGciOiJIUzI1NiJ9"}]}"#;
    let alias = |a: &str| vec![(Param::CardId, Input::Number(5_000_001.0)), (Param::Alias, Input::Str(a.into()))];
    let mut run = |inputs: Vec<(Param, Input)>, op: Op, status: u16, body: &str| {
        let id = client.start(endpoint(op), &inputs, &CallInput::default(), true);
        let mut a = client.next(id, 1.0);
        if let Action::Send { .. } = a {
            let req = client.call(id).unwrap().request().unwrap();
            black_box((req.url(), req.headers(), req.body().map(str::len)));
            let reply = Reply { status, body: body.into(), request_id: Some("req-1".into()), ..Default::default() };
            a = client.on_reply(id, reply, 2.0, 0.5);
        }
        match a {
            Action::Done => black_box(client.call(id).unwrap().value().map(str::len)),
            _ => black_box(Some(client.call(id).and_then(|c| c.error()).map(|e| e.to_json().len()).unwrap_or(0))),
        };
        client.finish(id);
    };
    time("success: updateCardAlias, 200", || run(alias("Groceries"), Op::UpdateCardAlias, 200, ok));
    time("validation: updateCardAlias(id, \"\")", || run(alias(""), Op::UpdateCardAlias, 200, ok));
    time("API error: linkCard, 409 echoing card and token", || {
        let inputs = vec![
            (Param::UserId, Input::from("1001")),
            (Param::Card, Input::from("4111 1111 1111 1111")),
            (Param::ClientId, Input::from("acme")),
        ];
        run(inputs, Op::LinkCard, 409, conflict)
    });
}
