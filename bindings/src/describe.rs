//! What the JS driver needs to know of the core, as the JSON `describe()`
//! hands out: the value tags, the client options, and
//! every operation's JS name with its arguments (a parameter
//! name, or a list of property names for an object argument). The module
//! hands out [`DESCRIBE`], written out by `make generate`; [`describe_json`]
//! builds the same text from the tables, and the tests below (native) and
//! tests/wasm.rs check that the two agree.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::engine::endpoints::{JsArg, ENDPOINTS};
use crate::engine::input::TAGS;
use crate::engine::json::json_string_into;

/// The description, built from the tables.
pub fn describe_json() -> String {
    let list = |names: &[&str], out: &mut String| {
        out.push('[');
        for (i, n) in names.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_string_into(n, out);
        }
        out.push(']');
    };
    let mut out = String::from("{\"tags\":");
    list(&TAGS, &mut out);
    out.push_str(",\"options\":");
    list(&crate::engine::client::OPTIONS, &mut out);
    out.push_str(",\"operations\":[");
    for (i, ep) in ENDPOINTS.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        json_string_into(ep.name, &mut out);
        out.push_str(",[");
        for (j, arg) in ep.args.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            match arg {
                JsArg::One(p) => json_string_into(p.field(), &mut out),
                JsArg::Fields(ps) => list(&ps.iter().map(|p| p.field()).collect::<Vec<_>>(), &mut out),
            }
        }
        out.push_str("]]");
    }
    out.push_str("]}");
    out
}

/// [`describe_json`]'s text, written out by `make generate` (gen/): smaller
/// in the module than building it. A native test and tests/wasm.rs check the
/// two agree.
// BEGIN GENERATED describe: `make generate` writes it from the tables
pub const DESCRIBE: &str = concat!(
    r#"{"tags":["undefined","null","false","true","number","string","bigint","symbol","function","object","unreadable","badString","signal","abortedSignal","timedOutSignal"],"#,
    r#""options":["environment","baseUrl","applicationId","clientId","maxRetries","timeoutMs","accessToken","getAccessToken","onRequest","fetch"],"#,
    r#""operations":["#,
    r#"["issueCard",["userId"]],"#,
    r#"["linkCard",["userId",["card","alias","clientId"]]],"#,
    r#"["activateCard",["userId","cardId"]],"#,
    r#"["blockCard",["userId","cardId"]],"#,
    r#"["unblockCard",["userId","cardId"]],"#,
    r#"["blockCardForUser",["cardId","authUserId"]],"#,
    r#"["unblockCardForUser",["cardId","authUserId"]],"#,
    r#"["updateCardAlias",["cardId","alias"]],"#,
    r#"["getCardDetails",["userId","cardId","viewToken"]],"#,
    r#"["createStatement",["cardId",["month","year"]]],"#,
    r#"["setCardPin",["cardId","pin"]],"#,
    r#"["setCardPinForUser",["cardId","authUserId","pin"]]"#,
    "]}",
);
// END GENERATED describe

#[cfg(test)]
mod tests {
    #[test]
    fn the_written_out_description_is_the_tables() {
        // On a change of the tables, `make generate` rewrites DESCRIBE.
        assert_eq!(super::DESCRIBE, super::describe_json());
    }
}
