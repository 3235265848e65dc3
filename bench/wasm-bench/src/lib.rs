//! The JS driver's bench build (bench/run.sh): the package's module, `no_std`
//! as published, with the exports js/api.js drives, plus `benchCall` and
//! `benchMemory`, allocating through the counting allocator of
//! migo-cards-bench.

#![cfg_attr(target_arch = "wasm32", no_std)]

// Links the package's exports into this module.
#[cfg(target_arch = "wasm32")]
pub use migo_cards_bindings::*;

// As the package's: a panic traps at once.
#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo) -> ! {
    ::core::arch::wasm32::unreachable()
}

#[cfg(target_arch = "wasm32")]
mod exports {
    extern crate alloc;

    use alloc::string::String;
    use wasm_bindgen::prelude::*;

    /// `benchCall(case, n)`: see `migo_cards_bench::bench_call`.
    #[wasm_bindgen(js_name = benchCall)]
    pub fn bench_call(name: &str, n: u32) -> u32 {
        migo_cards_bench::bench_call(name, n)
    }

    /// `benchMemory()` (the JS driver holds no JS values in the module: no
    /// externref count).
    #[wasm_bindgen(js_name = benchMemory)]
    pub fn bench_memory() -> String {
        migo_cards_bench::bench_memory(0, "")
    }
}
