//! Whatever restates the endpoints outside the core is checked against the
//! one table (`core::endpoints::ENDPOINTS`): the README's method table, the
//! TypeScript declarations, and the JS test suites' own operation lists.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

use migo_cards::core::endpoints::{Endpoint, JsArg, Method, Param, Seg, ENDPOINTS};
use migo_cards::core::retry::RetryClass;

fn read(rel: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The JS argument names of a method, objects named as the README names them.
fn js_args(e: &Endpoint) -> Vec<String> {
    e.args
        .iter()
        .map(|a| match a {
            JsArg::One(p) => p.field().to_owned(),
            JsArg::Fields(ps) => {
                let fields: Vec<String> = ps
                    .iter()
                    .map(|p| {
                        if e.optional.contains(p) || *p == Param::ClientId {
                            format!("{}?", p.field())
                        } else {
                            p.field().to_owned()
                        }
                    })
                    .collect();
                format!("{{ {} }}", fields.join(", "))
            }
        })
        .collect()
}

fn path_template(e: &Endpoint) -> String {
    let mut out = String::new();
    for s in e.path {
        out.push('/');
        match s {
            Seg::Lit(l) => out.push_str(l),
            Seg::Arg(p) => out.push_str(&format!("{{{}}}", p.field())),
        }
    }
    out
}

/// What `core::retry::decide` retries for the endpoint's class, in words.
fn retried_on(e: &Endpoint) -> String {
    use migo_cards::core::retry::{decide, Decision, Failure};
    let st = |status| Failure::Status { status, retry_after_ms: None };
    let failures = [
        ("network", Failure::Network),
        ("timeout", Failure::Timeout),
        ("408", st(408)),
        ("429", st(429)),
        ("500", st(500)),
        ("502", st(502)),
        ("503", st(503)),
        ("503 with Retry-After", Failure::Status { status: 503, retry_after_ms: Some(1000) }),
        ("504", st(504)),
        ("409", st(409)),
    ];
    let retried: Vec<&str> = failures
        .iter()
        .filter(|(_, f)| matches!(decide(e.retry, *f, 1, 2, 0.0), Decision::Retry { .. }))
        .map(|(name, _)| *name)
        .collect();
    match (e.retry, retried.as_slice()) {
        (RetryClass::Never, []) => "never (the view token is single use)".into(),
        // "503" covers "503 with Retry-After".
        (_, r) if r.contains(&"503") => {
            r.iter().filter(|n| **n != "503 with Retry-After").copied().collect::<Vec<_>>().join(", ")
        }
        (_, r) => r.join("; "),
    }
}

/// The README's method rows, rendered from the table.
fn readme_rows() -> String {
    let mut rows = String::from("| method | request | retried on |\n|---|---|---|\n");
    for e in &ENDPOINTS {
        let mut request = format!("`{} {}", e.method.as_str(), path_template(e));
        for (i, q) in e.query.iter().enumerate() {
            request.push_str(&format!("{}{}=…", if i == 0 { '?' } else { '&' }, q.wire()));
        }
        request.push('`');
        if e.has_body() {
            let fields: Vec<String> = e
                .body
                .iter()
                .map(|p| if e.optional.contains(p) { format!("{}?", p.wire()) } else { p.wire().to_owned() })
                .collect();
            request.push_str(&format!(" body `{{{}}}`", fields.join(", ")));
        } else if e.method == Method::Post {
            request.push_str(" (no body)");
        }
        rows.push_str(&format!("| `{}({})` | {} | {} |\n", e.name, js_args(e).join(", "), request, retried_on(e)));
    }
    rows
}

#[test]
fn the_readme_method_table_is_the_endpoint_table() {
    let readme = read("README.md");
    let expected = readme_rows();
    let start = readme.find("<!-- endpoints -->\n").expect("README has <!-- endpoints -->") + 19;
    let end = readme.find("<!-- /endpoints -->").expect("README has <!-- /endpoints -->");
    assert_eq!(&readme[start..end], expected, "README.md's method table, rendered from the table:\n{expected}");
}

#[test]
fn the_typescript_declarations_declare_each_method_with_its_arguments() {
    let dts = read("js/index.d.ts");
    let class = &dts[dts.find("export declare class MigoClient").unwrap()..];
    let class = &class[..class.find("\n}\n").unwrap()];
    let declared: Vec<&str> = class
        .lines()
        .filter_map(|l| l.trim().split_once("(").map(|(n, _)| n))
        .filter(|n| n.ends_with("Card") || n.contains("Card") || n.contains("Statement"))
        .collect();
    let names: Vec<&str> = ENDPOINTS.iter().map(|e| e.name).collect();
    assert_eq!(declared, names, "MigoClient methods in js/index.d.ts, in table order");
    for e in &ENDPOINTS {
        let line = class.lines().find(|l| l.trim().starts_with(&format!("{}(", e.name))).unwrap();
        let params: Vec<&str> = line[line.find('(').unwrap() + 1..line.rfind("):").unwrap()]
            .split(", ")
            .map(|p| p.split(':').next().unwrap().trim_end_matches('?'))
            .collect();
        let mut expected: Vec<String> = e
            .args
            .iter()
            .map(|a| match a {
                JsArg::One(p) => p.field().to_owned(),
                JsArg::Fields(_) => params[e.args.iter().position(|x| x == a).unwrap()].to_owned(),
            })
            .collect();
        expected.push("options".into());
        assert_eq!(params, expected, "{}", e.name);
    }
}

fn class_name(c: RetryClass) -> &'static str {
    match c {
        RetryClass::Idempotent => "IDEMPOTENT",
        RetryClass::Creating => "CREATING",
        RetryClass::Never => "NEVER",
    }
}

#[test]
fn the_fault_scenarios_cover_each_operation_with_its_class_method_and_path() {
    let src = read("tests/js/fault-scenarios.mjs");
    let rows: Vec<&str> = src.lines().filter(|l| l.trim_start().starts_with("{ name: \"")).collect();
    assert_eq!(rows.len(), ENDPOINTS.len(), "one scenario row per operation");
    for e in &ENDPOINTS {
        let row =
            rows.iter().find(|r| r.contains(&format!("name: \"{}\"", e.name))).unwrap_or_else(|| panic!("{}", e.name));
        assert!(row.contains(&format!("cls: CLASS.{}", class_name(e.retry))), "{}: {row}", e.name);
        assert!(row.contains(&format!("method: \"{}\"", e.method.as_str())), "{}: {row}", e.name);
        // The path's literal segments, in order, with one value for each argument.
        let path = &row[row.find("path: ").unwrap()..];
        let path = &path[path.find(['`', '"']).unwrap() + 1..];
        let path = &path[..path.find(['`', '"']).unwrap()];
        let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        assert_eq!(segs.len(), e.path.len(), "{}: {path}", e.name);
        for (s, seg) in segs.iter().zip(e.path) {
            if let Seg::Lit(l) = seg {
                assert_eq!(s, l, "{}: {path}", e.name);
            }
        }
    }
}

#[test]
fn the_fuzz_suite_knows_each_method_and_its_arity() {
    let src = read("tests/js/fuzz.test.mjs");
    for e in &ENDPOINTS {
        let row = src
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("[\"{}\", [", e.name)))
            .unwrap_or_else(|| panic!("{}", e.name));
        let arity = row.matches('"').count() / 2 - 1;
        assert_eq!(arity, e.args.len() + 1, "{}: {row}", e.name);
    }
    let rows = src.lines().filter(|l| l.trim_start().starts_with("[\"") && l.contains("\"options\"]]")).count();
    assert_eq!(rows, ENDPOINTS.len());
}
