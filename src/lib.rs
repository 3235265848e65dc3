//! migo-cards: the Migo Wallet Gateway card lifecycle, for JavaScript.
//!
//! - [`engine`]: pure Rust, no I/O. Validation, the endpoint table, request
//!   building, response decoding, and the whole call as a state machine
//!   ([`engine::call`]): attempts, retries, tokens, deadlines, outcome.
//! - `wasm` (only on `wasm32`, left out by the `no-exports` feature): the
//!   wasm-bindgen exports that move values between the core and the
//!   JavaScript driver (`js/api.js`), which only performs what the core
//!   decides: `fetch`, timers, the token provider.

// `Error` is large (it carries everything a MigoError shows) but built only
// on the failure path; boxing it would buy nothing measurable.
#![allow(clippy::result_large_err)]
// The published module is `no_std` (alloc only): std's panic machinery keeps
// all of `core::fmt` in the module, and a panic here can only trap anyway
// (README, "Measured": the figure that decided it). Native builds, the wasm
// tests and modules that link the core with std keep it (feature `std`).
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

/// What std's prelude gives, for the `no_std` build (a no-op under std).
pub(crate) mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::String;
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod engine;
mod platform;

#[cfg(all(target_arch = "wasm32", not(feature = "no-exports")))]
pub mod wasm;
// What the JS driver is told of the core (its `describe` export): natively
// too, for the generator (gen/) that writes its text out.
#[cfg(any(not(target_arch = "wasm32"), not(feature = "no-exports")))]
#[path = "wasm/describe.rs"]
pub mod describe;

// rlsf's TLSF (O(1) allocation and free, with wasm32 support) instead of
// the default dlmalloc, in its code-size build: 0.26 KB of wasm less than
// talc, which it replaced, and no slower in bench_call.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics"), not(feature = "external-allocator")))]
#[global_allocator]
static ALLOC: rlsf::SmallGlobalTlsf = rlsf::SmallGlobalTlsf::new();

// The `external-allocator` feature: allocation goes to three functions that
// the crate linking this one defines. Forwarding, rather than leaving out the
// allocator, keeps this crate's own cdylib (which cargo links even when the
// crate is a dependency) linkable without std.
#[cfg(all(target_arch = "wasm32", feature = "external-allocator"))]
mod external_allocator {
    use core::alloc::{GlobalAlloc, Layout};

    extern "Rust" {
        fn migo_cards_alloc(layout: Layout) -> *mut u8;
        fn migo_cards_dealloc(ptr: *mut u8, layout: Layout);
        fn migo_cards_realloc(ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8;
    }

    struct External;

    // SAFETY: the contract of each function is GlobalAlloc's, passed on unchanged.
    unsafe impl GlobalAlloc for External {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            migo_cards_alloc(layout)
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            migo_cards_dealloc(ptr, layout)
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            migo_cards_realloc(ptr, layout, new_size)
        }
    }

    #[global_allocator]
    static ALLOC: External = External;
}

// Without std, a panic traps at once: nothing formats or prints it. The core
// is written so that nothing from JavaScript can reach a panic (tests/wasm.rs
// and the JS fuzz suites check it).
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo) -> ! {
    ::core::arch::wasm32::unreachable()
}
