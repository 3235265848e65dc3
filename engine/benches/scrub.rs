//! Native cost of the error path's scrubbing: `cargo bench -p migo-cards-engine --bench scrub`.
//! Prints nanoseconds per operation: the fastest of 15 runs, the figure a
//! busy machine disturbs least. No assertion, figures only (the browser
//! figures are `make bench`'s).

use std::hint::black_box;
use std::time::Instant;

use migo_cards_engine::json;
use migo_cards_engine::response::{decode_with, Raw};
use migo_cards_engine::secret::Scrubber;

const SECRETS: [&str; 3] =
    ["vt+Q2FyZA/x9==", "4111111111111111", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMDAxIn0.sig_ABC-def"];

fn time(name: &str, mut f: impl FnMut()) {
    // `cargo bench --bench scrub -- WORD` runs only the cases naming WORD.
    if std::env::args().skip(1).find(|a| !a.starts_with("--")).is_some_and(|w| !name.contains(w.as_str())) {
        return;
    }
    let mut per_op = Vec::new();
    for _ in 0..15 {
        let n = 10_000;
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        per_op.push(start.elapsed().as_nanos() as f64 / f64::from(n));
    }
    let fastest = per_op.into_iter().fold(f64::INFINITY, f64::min);
    println!("{name:<62} {fastest:>9.0} ns");
}

fn main() {
    let plain = "card not found: the card 5000001 of user 1001 does not exist or was removed; \
                 check the cardId and try again (request 8f14e45f-ceea-467f-a0e6-1e6f6c5a2b11, 2026-11-29)";
    let echo = "card not found (/rest/users/1001/cards/5000001?token=vt%2BQ2FyZA%2Fx9%3D%3D) for card \
                4111 1111 1111 1111 and 5555-5555-5555-4444, token vt\\u00252BQ2FyZA\\u00252Fx9%3D%3D";
    let escaped = "\\u00e9\\u00e8\\u00e0 %C3%A9%C3%A8 ".repeat(6);
    let body = format!(
        r#"{{"success":false,"message":"x","errors":[{{"code":"7200","message":"{plain}","id":9007199254740993}}]}}"#
    );
    let data = r#"{"success":true,"data":{"cardId":5000001,"status":"ACTIVE","alias":"Groceries","maskedPan":"411111******1111","balance":"12.50"}}"#;
    println!("text lengths: plain {} B, echo {} B, escape-dense {} B", plain.len(), echo.len(), escaped.len());

    time("baseline: str::contains over the plain message", || {
        black_box(black_box(plain).contains(black_box("vt+Q2FyZA/x9==")));
    });
    time("Scrubber::new (3 secrets)", || {
        black_box(Scrubber::new(black_box(&SECRETS)));
    });
    let s = Scrubber::new(&SECRETS);
    time("scrub: plain message, nothing to hide", || {
        black_box(s.scrub(black_box(plain)));
    });
    time("scrub: message with 3 echoes and 2 card numbers", || {
        black_box(s.scrub(black_box(echo)));
    });
    time("scrub: escape-dense message", || {
        black_box(s.scrub(black_box(&escaped)));
    });
    time("scrub_json: an errors array", || {
        black_box(s.scrub_json(black_box(r#"[{"code":"7000","message":"card 4111 1111 1111 1111 is not eligible"}]"#)));
    });
    time("decode_with: error envelope (scrubbed message, errors, code)", || {
        let raw = Raw { status: 404, body: black_box(&body), request_id: Some("req-1") };
        black_box(decode_with(raw, &s)).ok();
    });
    time("decode_with: success envelope (exact numbers checked)", || {
        let raw = Raw { status: 200, body: black_box(data), request_id: None };
        black_box(decode_with(raw, &s)).ok();
    });
    time("json::exact_numbers: success data", || {
        black_box(json::exact_numbers(black_box(data)));
    });
    // The one-off path (`redact`), for comparison: a scrubber per text.
    time("redact (builds a Scrubber each time): plain message", || {
        black_box(migo_cards_engine::secret::redact(black_box(plain), &SECRETS));
    });
}
