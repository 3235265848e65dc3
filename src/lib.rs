//! migo-cards: the Migo Wallet Gateway card lifecycle, for JavaScript.
//!
//! - [`core`]: pure Rust, no I/O. Validation, the endpoint table, request
//!   building, response decoding, retry rules, the activation URL.
//! - `wasm` (only on `wasm32`): the JavaScript skin. It converts JS values to
//!   [`core::input::Input`], runs `fetch` with timeouts and retries as the core
//!   decides, and turns [`core::error::Error`] into a JS `MigoError`.

// `Error` is large (it carries everything a MigoError shows) but built only
// on the failure path; boxing it would buy nothing measurable.
#![allow(clippy::result_large_err)]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
