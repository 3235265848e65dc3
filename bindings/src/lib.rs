//! migo-cards-bindings: the JavaScript skin of migo-cards. On wasm32, the
//! module's exports, made by wasm-bindgen, which js/api.js drives
//! (`exports`); everywhere, what the driver is told of the core
//! (`describe`), which the generator (gen/) writes out natively.
//!
//! No rule lives here: each export moves values between JavaScript and
//! [`migo_cards_engine`].

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

use migo_cards_engine as engine;

pub mod describe;

#[cfg(target_arch = "wasm32")]
mod exports;
#[cfg(target_arch = "wasm32")]
pub use exports::*;
