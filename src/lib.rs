//! migo-cards: the Migo Wallet Gateway card lifecycle, for JavaScript.
//!
//! - [`core`]: pure Rust, no I/O. Validation, the endpoint table, request
//!   building, response decoding, and the whole call as a state machine
//!   ([`core::call`]): attempts, retries, tokens, deadlines, outcome.
//! - `wasm` (only on `wasm32`): exports that move numbers and strings
//!   between the core and the JavaScript driver (`js/api.js`), which only
//!   performs what the core decides: `fetch`, timers, the token provider.

// `Error` is large (it carries everything a MigoError shows) but built only
// on the failure path; boxing it would buy nothing measurable.
#![allow(clippy::result_large_err)]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

// talc instead of the default dlmalloc: a well-kept allocator made for
// wasm, and smaller (see README, Measured).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics"), not(feature = "bench")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
