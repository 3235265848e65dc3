//! Bench-only exports (cargo feature `bench`, never in the published
//! package): the core's CPU cost without the network, and the memory
//! figures the leak check reads. Used by `bench/` (see BENCHMARKS.md).
//!
//! The feature also installs a counting wrapper around the default
//! allocator, so the benchmark can see live Rust heap bytes: the wasm
//! memory itself only ever grows, in 64 KiB pages, and would hide a slow
//! leak for a long time. The wrapper costs two integer updates per
//! allocation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use wasm_bindgen::prelude::*;

use crate::core::config::{Config, ConfigInput};
use crate::core::endpoints::{Endpoint, Param, ENDPOINTS};
use crate::core::input::Input;
use crate::core::request;
use crate::core::secret::Secret;

struct Counting;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE_BLOCKS: AtomicUsize = AtomicUsize::new(0);
static TOTAL_ALLOCS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            LIVE_BYTES.fetch_add(layout.size(), Relaxed);
            LIVE_BLOCKS.fetch_add(1, Relaxed);
            TOTAL_ALLOCS.fetch_add(1, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
        LIVE_BLOCKS.fetch_sub(1, Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
            LIVE_BYTES.fetch_add(new_size, Relaxed);
            TOTAL_ALLOCS.fetch_add(1, Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The string inputs of a benchmark call.
struct Vals<'a> {
    user_id: &'a str,
    alias: &'a str,
    card: &'a str,
    client_id: &'a str,
    view_token: &'a str,
}

/// The `(Param, Input)` pairs the wasm client would pass for `ep`, in a
/// stack array as the client's methods do (no endpoint takes more than 4).
fn inputs_for(ep: &Endpoint, v: &Vals, card_id: f64) -> ([(Param, Input); 4], usize) {
    let mut out = [
        (Param::Year, Input::Absent),
        (Param::Year, Input::Absent),
        (Param::Year, Input::Absent),
        (Param::Year, Input::Absent),
    ];
    let mut len = 0;
    for p in ep.params().take(4) {
        let value = match p {
            Param::UserId | Param::AuthUserId => Input::Str(v.user_id.to_owned()),
            Param::CardId => Input::Number(card_id),
            Param::Alias => Input::Str(v.alias.to_owned()),
            Param::Card => Input::Str(v.card.to_owned()),
            Param::ClientId => Input::Str(v.client_id.to_owned()),
            Param::ViewToken => Input::Str(v.view_token.to_owned()),
            Param::Month => Input::Number(3.0),
            Param::Year => Input::Number(2026.0),
        };
        out[len] = (p, value);
        len += 1;
    }
    (out, len)
}

/// The client configuration both bench exports plan against.
fn bench_config() -> Option<Config> {
    Config::from_input(&ConfigInput {
        base_url: Some(Input::Str("http://127.0.0.1:3010/rest".into())),
        ..Default::default()
    })
    .ok()
}

/// Validates and builds `n` requests for the endpoint `name` (one of
/// `activateCard`, `updateCardAlias`, `linkCard`, `getCardDetails`,
/// `createStatement`) entirely inside the module: `request::plan`
/// (validation and building), then the URL and header list the transport reads.
/// The card id varies per iteration (`card_id + (i & 1023)`) and the result
/// is a checksum, so nothing can be hoisted or optimised away. Returns
/// `u32::MAX` when the inputs are invalid or the name unknown.
#[wasm_bindgen(js_name = benchPlan)]
#[allow(clippy::too_many_arguments)]
pub fn bench_plan(
    name: &str,
    n: u32,
    user_id: &str,
    card_id: f64,
    alias: &str,
    card: &str,
    client_id: &str,
    view_token: &str,
) -> u32 {
    let Some(ep) = ENDPOINTS.iter().find(|e| e.name == name) else {
        return u32::MAX;
    };
    let Some(config) = bench_config() else {
        return u32::MAX;
    };
    let token = Secret::new(String::from("migo-test-token"));
    let vals = Vals { user_id, alias, card, client_id, view_token };
    let mut sum = 0u32;
    for i in 0..n {
        let id = card_id + f64::from(i & 1023);
        // What the wasm layer hands the core: freshly made `Input`s, by parameter.
        let (inputs, len) = inputs_for(ep, &vals, id);
        let Ok((req, _)) = request::plan(ep, &config, &token, &inputs[..len]) else {
            return u32::MAX;
        };
        let url = req.url();
        let headers = req.headers();
        sum = sum
            .wrapping_mul(31)
            .wrapping_add(url.len() as u32)
            .wrapping_add(u32::from(url.as_bytes()[url.len() - 1]))
            .wrapping_add(headers.len() as u32)
            .wrapping_add(req.body().map_or(0, |b| b.len() as u32));
    }
    sum
}

/// The URL `benchPlan` builds for one call, to check that the JavaScript
/// baseline builds the very same request.
#[wasm_bindgen(js_name = benchPlanOnce)]
pub fn bench_plan_once(
    name: &str,
    user_id: &str,
    card_id: f64,
    alias: &str,
    card: &str,
    client_id: &str,
    view_token: &str,
) -> Option<String> {
    let ep = ENDPOINTS.iter().find(|e| e.name == name)?;
    let config = bench_config()?;
    let vals = Vals { user_id, alias, card, client_id, view_token };
    let (inputs, len) = inputs_for(ep, &vals, card_id);
    let token = Secret::new(String::from("migo-test-token"));
    let (req, _) = request::plan(ep, &config, &token, &inputs[..len]).ok()?;
    let headers: Vec<String> = req.headers().iter().map(|(k, v)| format!("{k}: {v}")).collect();
    Some(format!("{} {}\n{}\n{}", req.method.as_str(), req.url(), headers.join("\n"), req.body().unwrap_or("")))
}

/// Memory figures for the leak check: the wasm linear memory's byte length,
/// the live Rust heap (bytes and blocks), allocations so far, and the JS
/// values Rust holds in wasm-bindgen's externref table.
#[wasm_bindgen(js_name = benchMemory)]
pub fn bench_memory() -> js_sys::Object {
    let o = js_sys::Object::new();
    let put = |k: &str, v: f64| {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_f64(v));
    };
    put("wasmMemoryBytes", (core::arch::wasm32::memory_size::<0>() * 65536) as f64);
    put("rustHeapLiveBytes", LIVE_BYTES.load(Relaxed) as f64);
    put("rustHeapLiveBlocks", LIVE_BLOCKS.load(Relaxed) as f64);
    put("rustAllocations", TOTAL_ALLOCS.load(Relaxed) as f64);
    put("externrefsLive", f64::from(wasm_bindgen::externref_heap_live_count()));
    o
}
