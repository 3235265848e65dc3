//! Everything that restates the endpoint table (`engine::endpoints::ENDPOINTS`)
//! is written from it here: the README's method table, the TypeScript
//! declarations of the methods and their object arguments, `describe()`'s
//! text, and the operations list that migo-cards/testing exports (the JS
//! tests and the bench read it). What the table cannot say (a method's
//! sentence, its result type, a parameter's TypeScript type) is in
//! [`docs`], matched exhaustively on `Op` and `Param` so that a new
//! operation or parameter does not compile until it is described.
//!
//! `make generate` writes the files; `make test` (and `cargo test`) fail
//! while one of them differs from what would be written.

use std::fs;
use std::path::{Path, PathBuf};

use migo_cards::engine::endpoints::RetryClass;
use migo_cards::engine::endpoints::{Endpoint, JsArg, Method, Param, Seg, ENDPOINTS};
use migo_cards::engine::retry::{decide, Decision, Failure};

pub mod docs;

use docs::{op_doc, param_doc, CLASSES, METHODS};

/// The command that rewrites the generated files.
pub const COMMAND: &str = "make generate";

/// A generated part of a file: the whole file, or the lines between a
/// `BEGIN GENERATED <name>` line and an `END GENERATED <name>` line.
pub struct Output {
    pub file: &'static str,
    pub region: Option<&'static str>,
    pub text: String,
}

/// Every generated part, rendered from the table.
pub fn outputs() -> Vec<Output> {
    vec![
        Output { file: "README.md", region: Some("endpoints"), text: readme_table() },
        Output { file: "js/index.d.ts", region: Some("arguments"), text: ts_arguments() },
        Output { file: "js/index.d.ts", region: Some("methods"), text: ts_methods() },
        Output { file: "bindings/src/describe.rs", region: Some("describe"), text: describe_const() },
        Output { file: "js/testing/operations.js", region: None, text: operations_js() },
        Output { file: "js/testing/index.d.ts", region: Some("operations"), text: operations_dts() },
    ]
}

/// The file's text with `out` in place.
pub fn apply(current: &str, out: &Output) -> Result<String, String> {
    let Some(name) = out.region else { return Ok(out.text.clone()) };
    let begin = format!("BEGIN GENERATED {name}");
    let end = format!("END GENERATED {name}");
    let line_of = |marker: &str| {
        current
            .match_indices(marker)
            .map(|(i, _)| i)
            .next()
            .ok_or_else(|| format!("{}: no line with `{marker}`", out.file))
    };
    let (b, e) = (line_of(&begin)?, line_of(&end)?);
    let start = b + current[b..].find('\n').ok_or_else(|| format!("{}: `{begin}` ends the file", out.file))? + 1;
    let stop = current[..e].rfind('\n').map_or(0, |i| i + 1);
    if stop < start {
        return Err(format!("{}: `{end}` comes before `{begin}`", out.file));
    }
    Ok(format!("{}{}{}", &current[..start], out.text, &current[stop..]))
}

/// Rewrites what differs; returns the files written.
pub fn write(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for out in outputs() {
        let path = root.join(out.file);
        let current = fs::read_to_string(&path).unwrap_or_default();
        let next = apply(&current, &out)?;
        if next != current {
            fs::write(&path, next).map_err(|e| format!("{}: {e}", path.display()))?;
            written.push(path);
        }
    }
    Ok(written)
}

/// The generated parts that differ from what would be written.
pub fn stale(root: &Path) -> Result<Vec<String>, String> {
    let mut stale = Vec::new();
    for out in outputs() {
        let current = fs::read_to_string(root.join(out.file)).unwrap_or_default();
        if apply(&current, &out)? != current {
            stale.push(match out.region {
                Some(r) => format!("{} ({r})", out.file),
                None => out.file.to_owned(),
            });
        }
    }
    Ok(stale)
}

fn path_template(e: &Endpoint) -> String {
    e.path
        .iter()
        .map(|s| match s {
            Seg::Lit(l) => format!("/{l}"),
            Seg::Arg(p) => format!("/{{{}}}", p.field()),
        })
        .collect()
}

/// `METHOD /path?wire=…`, as the README and the declarations show a request.
fn request_line(e: &Endpoint) -> String {
    let mut line = format!("{} {}", e.method.as_str(), path_template(e));
    for (i, q) in e.query.iter().enumerate() {
        line.push_str(&format!("{}{}=…", if i == 0 { '?' } else { '&' }, q.wire()));
    }
    line
}

/// `{card, alias?}`: the body's wire names, optional ones marked.
fn body_fields(e: &Endpoint) -> String {
    let fields: Vec<String> =
        e.body.iter().map(|p| format!("{}{}", p.wire(), if e.optional.contains(p) { "?" } else { "" })).collect();
    format!("{{{}}}", fields.join(", "))
}

/// Whether a caller may leave the parameter out.
fn may_omit(e: &Endpoint, p: Param) -> bool {
    e.optional.contains(&p) || param_doc(p).defaulted
}

/// The failures `engine::retry::decide` retries for a class, in words.
pub fn retried_on(class: RetryClass) -> String {
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
        ("a 2xx it cannot read", Failure::Undecodable),
    ];
    let retried: Vec<&str> = failures
        .iter()
        .filter(|(_, f)| matches!(decide(class, *f, 1, 2, 0.0), Decision::Retry { .. }))
        .map(|(name, _)| *name)
        .collect();
    if retried.contains(&"503") {
        // "503" covers "503 with Retry-After".
        retried.iter().filter(|n| **n != "503 with Retry-After").copied().collect::<Vec<_>>().join(", ")
    } else {
        retried.join("; ")
    }
}

/// The README's retry column: the class's rule, then what it retries.
pub fn retry_column(class: RetryClass) -> String {
    let on = retried_on(class);
    let rule = docs::class_doc(class).rule;
    if on.is_empty() {
        rule.to_owned()
    } else {
        format!("{rule}: retried on {on}")
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// The JS arguments as the README writes them: `userId, { card, alias? }`.
fn readme_args(e: &Endpoint) -> String {
    let args: Vec<String> = e
        .args
        .iter()
        .map(|a| match a {
            JsArg::One(p) => p.field().to_owned(),
            JsArg::Fields(ps) => {
                let fields: Vec<String> =
                    ps.iter().map(|p| format!("{}{}", p.field(), if may_omit(e, *p) { "?" } else { "" })).collect();
                format!("{{ {} }}", fields.join(", "))
            }
        })
        .collect();
    args.join(", ")
}

pub fn readme_table() -> String {
    let mut rows = String::from("| method | request | retry class |\n|---|---|---|\n");
    for e in &ENDPOINTS {
        let mut request = format!("`{}`", request_line(e));
        if e.has_body() {
            request.push_str(&format!(" body `{}`", body_fields(e)));
        } else if e.method != Method::Get {
            request.push_str(" (no body)");
        }
        rows.push_str(&format!("| `{}({})` | {} | {} |\n", e.name, readme_args(e), request, retry_column(e.retry)));
    }
    rows
}

/// The interfaces of the methods' object arguments, each once.
pub fn ts_arguments() -> String {
    let mut out = String::new();
    let mut seen: Vec<&str> = Vec::new();
    for e in &ENDPOINTS {
        let doc = op_doc(e.op);
        for (i, a) in e.args.iter().enumerate() {
            let JsArg::Fields(ps) = a else { continue };
            let (_, interface) = doc.object_args.iter().find(|(at, _)| *at == i).copied().unwrap_or_else(|| {
                panic!("{}: argument {i} is an object: name it in gen/src/docs.rs (object_args)", e.name)
            });
            if seen.contains(&interface) {
                continue;
            }
            seen.push(interface);
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("/** The object argument of `{}`. */\nexport interface {interface} {{\n", e.name));
            for p in *ps {
                let pd = param_doc(*p);
                if !pd.doc.is_empty() {
                    out.push_str(&format!("  /** {} */\n", pd.doc));
                }
                let q = if may_omit(e, *p) { "?" } else { "" };
                out.push_str(&format!("  {}{q}: {};\n", p.field(), pd.ts));
            }
            out.push_str("}\n");
        }
    }
    out
}

pub fn ts_methods() -> String {
    let mut out = String::new();
    for e in &ENDPOINTS {
        let doc = op_doc(e.op);
        let mut request = format!("`{}`", request_line(e));
        if e.has_body() {
            request.push_str(&format!(" with `{}`", body_fields(e)));
        }
        out.push_str(&format!("  /** {}: {request}. {}. */\n", doc.summary, capitalized(&retry_column(e.retry))));
        let mut params: Vec<String> = e
            .args
            .iter()
            .enumerate()
            .map(|(i, a)| match a {
                JsArg::One(p) => format!("{}: {}", p.field(), param_doc(*p).ts),
                JsArg::Fields(_) => {
                    let (_, interface) = doc.object_args.iter().find(|(at, _)| *at == i).copied().unwrap();
                    format!("{}: {interface}", docs::object_arg_name(interface))
                }
            })
            .collect();
        params.push("options?: CallOptions".into());
        out.push_str(&format!("  {}({}): Promise<{}>;\n", e.name, params.join(", "), doc.result));
    }
    out
}

/// `DESCRIBE`, `describe_json()` written out one operation a line.
pub fn describe_const() -> String {
    let json = migo_cards::describe::describe_json();
    let ops_at = json.find("\"operations\":[").expect("describe has operations") + "\"operations\":[".len();
    let (head, ops) = json.split_at(ops_at);
    let ops = ops.strip_suffix("]}").expect("describe ends with the operations");
    let mut out = String::from("pub const DESCRIBE: &str = concat!(\n");
    // The head: one line per top-level key.
    let head = head.strip_suffix("\"operations\":[").unwrap();
    let mut depth = 0;
    let mut from = 0;
    for (i, c) in head.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push_str(&format!("    r#\"{}\"#,\n", &head[from..=i]));
                from = i + 1;
            }
            _ => {}
        }
    }
    out.push_str(&format!("    r#\"{}\"operations\":[\"#,\n", &head[from..]));
    let mut depth = 0;
    let mut from = 0;
    for (i, c) in ops.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    let end = if ops[i + 1..].starts_with(',') { i + 2 } else { i + 1 };
                    out.push_str(&format!("    r#\"{}\"#,\n", &ops[from..end]));
                    from = end;
                }
            }
            _ => {}
        }
    }
    out.push_str("    \"]}\",\n);\n");
    out
}

fn js_list<T: AsRef<str>>(items: impl IntoIterator<Item = T>) -> String {
    let items: Vec<String> = items.into_iter().map(|s| format!("\"{}\"", s.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

fn fields(ps: &[Param]) -> String {
    js_list(ps.iter().map(|p| p.field()))
}

/// The operations list migo-cards/testing exports.
pub fn operations_js() -> String {
    let mut out = String::from(
        "// The card operations as engine/src/endpoints.rs describes them, written by\n\
         // `make generate` (gen/): edit the table, not this file. Parameters are\n\
         // named as the caller knows them; `wire` maps those named otherwise on the\n\
         // wire.\n\
         export const operations = Object.freeze([\n",
    );
    for e in &ENDPOINTS {
        let args: Vec<String> = e
            .args
            .iter()
            .map(|a| match a {
                JsArg::One(p) => format!("\"{}\"", p.field()),
                JsArg::Fields(ps) => fields(ps),
            })
            .collect();
        out.push_str(&format!(
            "  Object.freeze({{ name: \"{}\", method: \"{}\", path: \"{}\", query: {}, body: {}, optional: {}, retry: \"{}\", args: [{}] }}),\n",
            e.name,
            e.method.as_str(),
            path_template(e),
            fields(e.query),
            fields(e.body),
            fields(e.optional),
            docs::class_doc(e.retry).js,
            args.join(", "),
        ));
    }
    out.push_str("]);\n\n/** Wire names that differ from the caller's. */\nexport const wire = Object.freeze({");
    let renamed: Vec<String> = Param::ALL
        .iter()
        .filter(|p| p.wire() != p.field())
        .map(|p| format!(" {}: \"{}\"", p.field(), p.wire()))
        .collect();
    out.push_str(&renamed.join(","));
    out.push_str(" });\n");
    out
}

/// The types of the operations list, in migo-cards/testing's declarations.
pub fn operations_dts() -> String {
    let union = |xs: Vec<String>| xs.iter().map(|x| format!("\"{x}\"")).collect::<Vec<_>>().join(" | ");
    let mut out = String::new();
    out.push_str("/** An operation's HTTP method. */\n");
    out.push_str(&format!(
        "export type OperationMethod = {};\n",
        union(METHODS.iter().map(|m| m.as_str().to_owned()).collect())
    ));
    out.push_str("/** When a failed attempt is tried again:");
    for c in CLASSES {
        let d = docs::class_doc(c);
        out.push_str(&format!(" `{}` {};", d.js, d.rule));
    }
    out.pop();
    out.push_str(". */\n");
    out.push_str(&format!(
        "export type RetryClass = {};\n",
        union(CLASSES.iter().map(|c| docs::class_doc(*c).js.to_owned()).collect())
    ));
    out.push_str(&format!(
        "/** A method of `MigoClient` that calls the gateway. */\nexport type OperationName = {};\n",
        union(ENDPOINTS.iter().map(|e| e.name.to_owned()).collect())
    ));
    out.push_str(&format!(
        "/** A parameter, as the caller names it. */\nexport type ParamName = {};\n",
        union(Param::ALL.iter().map(|p| p.field().to_owned()).collect())
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn the_generated_files_are_fresh() {
        let stale = stale(&root()).unwrap();
        assert!(stale.is_empty(), "stale: run `{COMMAND}` ({})", stale.join(", "));
    }

    #[test]
    fn describe_const_is_describe_json_written_out() {
        // The text as Rust would read the concat!: the pieces joined.
        let text = describe_const();
        let joined: String = text
            .lines()
            .filter_map(|l| {
                let l = l.trim().strip_suffix(',')?;
                l.strip_prefix("r#\"")
                    .and_then(|l| l.strip_suffix("\"#"))
                    .or_else(|| l.strip_prefix('"')?.strip_suffix('"'))
            })
            .collect();
        assert_eq!(joined, migo_cards::describe::describe_json());
    }

    #[test]
    fn a_region_is_replaced_between_its_markers_only() {
        let out = Output { file: "f", region: Some("x"), text: "new\n".into() };
        let before = "a\n<!-- BEGIN GENERATED x -->\nold\nold\n<!-- END GENERATED x -->\nb\n";
        assert_eq!(apply(before, &out).unwrap(), "a\n<!-- BEGIN GENERATED x -->\nnew\n<!-- END GENERATED x -->\nb\n");
        assert!(apply("no markers\n", &out).is_err());
    }

    #[test]
    fn the_retry_column_follows_the_class_rule() {
        assert_eq!(retry_column(RetryClass::NeverRetried), "never retried");
        assert_eq!(retry_column(RetryClass::ActsAtMostOnce), "acts at most once: retried on 429; 503 with Retry-After");
        assert_eq!(
            retry_column(RetryClass::SetsState),
            "sets a state: retried on network, timeout, 408, 429, 502, 503, 504"
        );
    }
}
