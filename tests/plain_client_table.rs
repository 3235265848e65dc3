//! The benchmarks' plain-JS client (bench/plain/client.js) restates the
//! endpoint table by hand, as a developer without the SDK would; this holds
//! its rows to the one table (`core::endpoints::ENDPOINTS`), field by field.
//! tests/js/plain-client.test.mjs then checks that both build the same
//! requests and behave the same.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

use migo_cards::core::endpoints::{Endpoint, JsArg, Param, Seg, ENDPOINTS};
use migo_cards::core::retry::RetryClass;
use serde_json::{json, Value};

/// The rows of the plain client's `TABLE`: one JSON array per line.
fn plain_rows() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/plain/client.js");
    let src = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let body = &src[src.find("const TABLE = [").expect("bench/plain/client.js has a TABLE")..];
    let body = &body[..body.find("\n];").expect("TABLE ends with `];` on its own line")];
    body.lines()
        .skip(1)
        .map(|l| l.trim().trim_end_matches(','))
        .filter(|l| l.starts_with('['))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not one JSON array: {l}: {e}")))
        .collect()
}

fn names(ps: &[Param]) -> Value {
    json!(ps.iter().map(|p| p.field()).collect::<Vec<_>>())
}

/// What the plain client's row for `e` must be.
fn expected(e: &Endpoint) -> Value {
    let path: Vec<String> = e
        .path
        .iter()
        .map(|s| match s {
            Seg::Lit(l) => (*l).to_owned(),
            Seg::Arg(p) => format!("{{{}}}", p.field()),
        })
        .collect();
    let class = match e.retry {
        RetryClass::SetsState => "idempotent",
        RetryClass::ActsAtMostOnce => "creating",
        RetryClass::NeverRetried => "never",
    };
    let args: Vec<Value> = e
        .args
        .iter()
        .map(|a| match a {
            JsArg::One(p) => json!(p.field()),
            JsArg::Fields(ps) => names(ps),
        })
        .collect();
    json!([e.name, e.method.as_str(), path, names(e.query), names(e.body), names(e.optional), class, args])
}

#[test]
fn the_plain_clients_table_is_the_endpoint_table() {
    let rows = plain_rows();
    assert_eq!(rows.len(), ENDPOINTS.len(), "one row per operation");
    for (row, e) in rows.iter().zip(&ENDPOINTS) {
        assert_eq!(row, &expected(e), "{}: bench/plain/client.js's row differs from src/core/endpoints.rs", e.name);
    }
}
