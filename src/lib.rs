//! migo-cards: the module the npm package ships. It links the skin
//! ([`migo-cards-bindings`](wasm), the exports js/api.js drives) over the
//! core ([`engine`], pure Rust, no I/O), and adds what only a finished
//! module has: its allocator and, without std, its panic handler.

// The published module is `no_std`: std's panic machinery keeps all of
// `core::fmt` in it (ARCHITECTURE.md gives the figure). The wasm tests link
// std, and with it std's panic handler (feature `std`).
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

#[cfg(target_arch = "wasm32")]
pub use migo_cards_bindings as wasm;
pub use migo_cards_bindings::describe;
pub use migo_cards_engine as engine;

// rlsf's TLSF (O(1) allocation and free, with wasm32 support) instead of the
// default dlmalloc, in its code-size build (ARCHITECTURE.md gives the figures).
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
