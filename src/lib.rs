//! migo-cards: the Migo Wallet Gateway card lifecycle, for JavaScript.
//!
//! - [`core`]: pure Rust, no I/O. Validation, the endpoint table, request
//!   building, response decoding, retry rules, the activation URL.
//! - `wasm` (only on `wasm32`): the JavaScript skin. It converts JS values to
//!   [`core::input::Input`], runs `fetch` with timeouts and retries as the core
//!   decides, and turns [`core::error::Error`] into a JS `MigoError`.

pub mod core;

#[cfg(target_arch = "wasm32")]
mod wasm;
