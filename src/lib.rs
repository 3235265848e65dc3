//! migo-cards: the module the npm package ships, made of the core
//! ([`engine`]: crate migo-cards-engine, pure Rust, no I/O) and the skin
//! (`wasm` and [`describe`]: crate migo-cards-bindings, the exports
//! js/api.js drives), with what only a finished module has: its allocator
//! and, without std, its panic handler.
//!
//! On wasm32 the two crates' sources are compiled here as modules of this
//! one crate, not linked as crates: generic code that both use is then
//! compiled once, where two crates each compile their own copy (a smaller
//! module; ARCHITECTURE.md gives the figure). Natively (the generator, the
//! tests) this crate re-exports the crates themselves.

// The published module is `no_std`: std's panic machinery keeps all of
// `core::fmt` in it (ARCHITECTURE.md gives the figure). The wasm tests link
// std, and with it std's panic handler (feature `std`).
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

#[cfg(target_arch = "wasm32")]
extern crate alloc;

// The engine's crate-level attributes (`no_std`) apply to this crate instead.
#[cfg(target_arch = "wasm32")]
#[allow(unused_attributes)]
#[path = "../engine/src/lib.rs"]
pub mod engine;
// The modules' `crate::prelude`: the engine's, as at the engine crate's root.
#[cfg(target_arch = "wasm32")]
use engine::prelude;
// Where the engine's `cat!` finds its trait, as at the engine crate's root.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub use engine::CatPiece;
#[cfg(target_arch = "wasm32")]
#[path = "../bindings/src/describe.rs"]
pub mod describe;
#[cfg(target_arch = "wasm32")]
#[path = "../bindings/src/exports.rs"]
pub mod wasm;

#[cfg(not(target_arch = "wasm32"))]
pub use migo_cards_bindings::describe;
#[cfg(not(target_arch = "wasm32"))]
pub use migo_cards_engine as engine;

// rlsf's TLSF (O(1) allocation and free, with wasm32 support) in its
// code-size build: smaller in the module than dlmalloc, std's on wasm32.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOC: rlsf::SmallGlobalTlsf = rlsf::SmallGlobalTlsf::new();

// Without std, a panic traps at once: nothing formats or prints it. The core
// is written so that nothing from JavaScript can reach a panic (tests/wasm.rs
// and the JS fuzz suites check it).
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo) -> ! {
    ::core::arch::wasm32::unreachable()
}
