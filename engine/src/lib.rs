//! migo-cards-engine: the sans-IO core of migo-cards, every decision the
//! SDK makes, as plain Rust. Nothing here touches JavaScript, the network or
//! a clock (but for `platform`'s date arithmetic); `cargo test` checks it
//! natively. The crate `migo-cards-bindings` exports it to JavaScript.
//!
//! Its modules stand in layers; each uses only modules of the layers below
//! it (the test `layers_hold` reads the sources and fails otherwise):
//!
//! 1. `text`, `input`, `endpoints`, `platform`: byte and digit helpers, the
//!    values a caller passes, the endpoint table, and the platform's dates.
//! 2. `json`: reading, writing and scrubbing JSON text.
//! 3. `error`, `secret`: the typed error, secrets and the scrubber.
//! 4. `validate`: every rule about what a caller may pass.
//! 5. `config`, `token`: the client's options and its access token.
//! 6. `request`, `response`, `retry`, `activation`: one attempt's request,
//!    the reading of its answer, whether to try again, and the webview URL.
//! 7. `call`: one operation from first attempt to outcome.
//! 8. `client`: the operations by name, over `call`.

// `no_std` (alloc only) in the module: std's panic machinery keeps all of
// `core::fmt` in it (ARCHITECTURE.md gives the figure).
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

/// What std's prelude gives, for the `no_std` build (a no-op under std).
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::String;
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

/// Joins text and integers into a `String`, as `format!` with plain `{}`
/// would, without `core::fmt` (ARCHITECTURE.md gives its size). Each piece
/// is a [`text::Piece`].
macro_rules! cat {
    ($($piece:expr),+ $(,)?) => {{
        let mut s = alloc::string::String::new();
        $( $crate::CatPiece::put(&$piece, &mut s); )+
        s
    }};
}

#[doc(hidden)]
pub use text::Piece as CatPiece;

pub mod endpoints;
pub mod input;
mod platform;
pub mod text;

pub mod json;

pub mod error;
pub mod secret;

pub mod validate;

pub mod config;
pub mod token;

pub mod activation;
pub mod request;
pub mod response;
pub mod retry;

pub mod call;

pub mod client;

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "pinned_tests.rs"]
mod pinned_tests;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod layers {
    /// Each module's layer, as the module documentation lists them.
    const LAYERS: &[(&str, u8, &str)] = &[
        ("text", 1, include_str!("text.rs")),
        ("input", 1, include_str!("input.rs")),
        ("endpoints", 1, include_str!("endpoints.rs")),
        ("platform", 1, include_str!("platform.rs")),
        ("json", 2, include_str!("json.rs")),
        ("error", 3, include_str!("error.rs")),
        ("secret", 3, include_str!("secret.rs")),
        ("validate", 4, include_str!("validate.rs")),
        ("config", 5, include_str!("config.rs")),
        ("token", 5, include_str!("token.rs")),
        ("activation", 6, include_str!("activation.rs")),
        ("request", 6, include_str!("request.rs")),
        ("response", 6, include_str!("response.rs")),
        ("retry", 6, include_str!("retry.rs")),
        ("call", 7, include_str!("call.rs")),
        ("client", 8, include_str!("client.rs")),
    ];

    /// The engine modules a source names (`super::m` or `crate::m`)
    /// outside its comments and its test module.
    fn uses(source: &str) -> Vec<String> {
        let end = ["\n#[cfg(test)]", "\n#[cfg(all(test"].iter().filter_map(|m| source.find(m)).min();
        let code = &source[..end.unwrap_or(source.len())];
        let mut found = Vec::new();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for prefix in ["super::", "crate::"] {
                for (i, _) in line.match_indices(prefix) {
                    let rest = &line[i + prefix.len()..];
                    let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                    if !name.is_empty() && !["super", "prelude"].contains(&name.as_str()) && !found.contains(&name) {
                        found.push(name);
                    }
                }
            }
        }
        found
    }

    #[test]
    fn layers_hold() {
        let layer = |name: &str| LAYERS.iter().find(|(n, _, _)| *n == name).map(|(_, l, _)| *l);
        let mut wrong = Vec::new();
        for (name, own, source) in LAYERS {
            for used in uses(source) {
                match layer(&used) {
                    Some(l) if l < *own => {}
                    Some(l) => wrong.push(format!("{name} (layer {own}) uses {used} (layer {l})")),
                    None => wrong.push(format!("{name} uses {used}, which has no layer")),
                }
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    /// The sources compile as this crate and as a module of crate
    /// migo-cards (its src/lib.rs), so a module names its siblings through
    /// `super::`; `crate::` reaches only the prelude, which both roots have.
    #[test]
    fn modules_reach_each_other_through_super() {
        for (name, _, source) in LAYERS {
            let end = ["\n#[cfg(test)]", "\n#[cfg(all(test"].iter().filter_map(|m| source.find(m)).min();
            let code = &source[..end.unwrap_or(source.len())];
            for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                let named = line.replace("$crate::", "").replace("crate::prelude::", "");
                assert!(!named.contains("crate::"), "{name}.rs: `{}` names `crate::`; use `super::`", line.trim());
            }
        }
    }

    #[test]
    fn every_module_has_a_layer() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        for entry in std::fs::read_dir(dir).unwrap() {
            let file = entry.unwrap().file_name().into_string().unwrap();
            let Some(name) = file.strip_suffix(".rs") else { continue };
            if name == "lib" || name.ends_with("_tests") {
                continue;
            }
            assert!(LAYERS.iter().any(|(n, _, _)| *n == name), "{name}.rs has no layer in LAYERS");
        }
    }
}
