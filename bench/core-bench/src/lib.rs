//! What both drivers' bench builds add to their module (bench/wasm-bench,
//! bench/rust-driver with its `bench` feature; see BENCHMARKS.md): the
//! memory figures the leak check reads, and whole calls run through the core
//! inside the module (no JavaScript, no boundary), so the benchmark can tell
//! the core's share of a call's CPU from the driver's and the engine's.
//!
//! On wasm32, linking this crate makes the module allocate through a counting
//! wrapper around the same allocator the package uses (rlsf, this crate's
//! global allocator), so the benchmark sees live Rust heap
//! bytes: the wasm memory itself only ever grows, in 64 KiB pages, and would
//! hide a slow leak for a long time. The wrapper costs three integer updates
//! per allocation.

#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::borrow::ToOwned;
use alloc::vec;
use alloc::vec::Vec;

use migo_cards_engine::call::{Action, CallInput, Reply};
use migo_cards_engine::client::{Client, ClientInput};
use migo_cards_engine::config::ConfigInput;
use migo_cards_engine::endpoints::{Param, ENDPOINTS};
use migo_cards_engine::input::Input;

#[cfg(target_arch = "wasm32")]
pub use counting::bench_memory;

#[cfg(target_arch = "wasm32")]
mod counting {
    use alloc::string::String;
    use core::alloc::{GlobalAlloc, Layout};
    use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    use migo_cards_engine::text::Piece;

    /// The core's `cat!`, which it keeps to itself: text and integers joined
    /// without `core::fmt`.
    macro_rules! cat {
        ($($piece:expr),+ $(,)?) => {{
            let mut s = String::new();
            $( Piece::put(&$piece, &mut s); )+
            s
        }};
    }

    static HEAP: rlsf::SmallGlobalTlsf = rlsf::SmallGlobalTlsf::new();

    static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
    static LIVE_BLOCKS: AtomicUsize = AtomicUsize::new(0);
    static TOTAL_ALLOCS: AtomicUsize = AtomicUsize::new(0);

    /// rlsf, as the package has it, with counters added.
    struct Counting;

    // SAFETY: each method forwards its arguments to rlsf unchanged and only
    // updates counters, so GlobalAlloc's contract is rlsf's.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = HEAP.alloc(layout);
            if !p.is_null() {
                LIVE_BYTES.fetch_add(layout.size(), Relaxed);
                LIVE_BLOCKS.fetch_add(1, Relaxed);
                TOTAL_ALLOCS.fetch_add(1, Relaxed);
            }
            p
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            HEAP.dealloc(ptr, layout);
            LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
            LIVE_BLOCKS.fetch_sub(1, Relaxed);
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = HEAP.realloc(ptr, layout, new_size);
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

    /// Memory figures for the leak check, as JSON: `{wasmMemoryBytes` (the
    /// linear memory's length), `rustHeapLiveBytes` and `rustHeapLiveBlocks`
    /// (live Rust heap), `rustAllocations` (allocations so far), `heldBytes`,
    /// then `extra` (more members, each starting with a comma: the Rust driver's
    /// `externrefsLive`) and `}`. `held`: bytes of the two buffers the JS
    /// driver's skin keeps between calls (its scratch buffer, as large as the
    /// largest input so far, and the last string handed out, freed when the next
    /// goes out), left out of `rustHeapLiveBytes` so that the length of whatever
    /// string went out last does not read as heap growth.
    pub fn bench_memory(held: usize, extra: &str) -> String {
        // cat!, not format!: the bench build's size breakdown (BENCHMARKS.md)
        // should not count core::fmt, which the package does not have.
        cat!(
            "{\"wasmMemoryBytes\":",
            core::arch::wasm32::memory_size::<0>() * 65536,
            ",\"rustHeapLiveBytes\":",
            LIVE_BYTES.load(Relaxed).saturating_sub(held),
            ",\"rustHeapLiveBlocks\":",
            LIVE_BLOCKS.load(Relaxed),
            ",\"rustAllocations\":",
            TOTAL_ALLOCS.load(Relaxed),
            ",\"heldBytes\":",
            held,
            extra,
            "}"
        )
    }
}

/// The replies of the benchmark's stubbed `fetch` (bench/page reads the same files).
const OK_BODY: &str = include_str!("../../replies/ok.json");
const API_ERROR_BODY: &str = include_str!("../../replies/api-error.json");

/// One benchmark case: the operation, its arguments as a driver hands them
/// to the core, and the reply the gateway gives (none when nothing is sent).
type Case = (&'static str, Vec<(Param, Input)>, Option<Reply>);

/// The case named `name` (see [`bench_call`]).
fn case(name: &str) -> Option<Case> {
    let reply = |status: u16, body: &str| Reply {
        status,
        body: body.to_owned(),
        request_id: Some("req-000001".into()),
        ..Default::default()
    };
    Some(match name {
        // The success path the benchmark's calls take: a rename.
        "ok" => (
            "updateCardAlias",
            vec![(Param::CardId, Input::Number(5000001.0)), (Param::Alias, "Groceries".into())],
            Some(reply(200, OK_BODY)),
        ),
        // Refused by validation: nothing is sent.
        "validation" => {
            ("updateCardAlias", vec![(Param::CardId, Input::Number(5000001.0)), (Param::Alias, "".into())], None)
        }
        // An API error whose `errors` echo the card number and the token:
        // decoding, scrubbing both out and the error's JSON.
        "apiError" => (
            "linkCard",
            vec![
                (Param::UserId, "1001".into()),
                (Param::Card, "4111 1111 1111 1111".into()),
                (Param::ClientId, "acme".into()),
            ],
            Some(reply(409, API_ERROR_BODY)),
        ),
        _ => return None,
    })
}

/// Runs `n` whole calls of `case` (`"ok"`, `"validation"` or `"apiError"`)
/// through a [`Client`] inside the module, as a driver would but without
/// JavaScript: start, next, the request as the driver reads it (URL,
/// headers, body), the reply, then the value or the error's JSON, and
/// finish. Returns a checksum of what came out, so nothing is optimised
/// away; `u32::MAX` for an unknown case or a call that ended otherwise than
/// the case expects.
pub fn bench_call(case_name: &str, n: u32) -> u32 {
    let Some((op, inputs, reply)) = case(case_name) else {
        return u32::MAX;
    };
    let Some(ep) = ENDPOINTS.iter().find(|e| e.name == op) else {
        return u32::MAX;
    };
    let input = ClientInput {
        config: ConfigInput { base_url: Some("http://127.0.0.1:3010/rest".into()), ..Default::default() },
        access_token: Some("migo-test-token".into()),
        ..Default::default()
    };
    let Ok(mut client) = Client::new(&input) else {
        return u32::MAX;
    };
    let mut sum = 0u32;
    for i in 0..n {
        let now = f64::from(i);
        // Fresh inputs per call, as a driver makes them.
        let id = client.start(ep, &inputs.clone(), &CallInput::default(), true);
        let mut action = client.next(id, now);
        if let (Action::Send { .. }, Some(r)) = (action, &reply) {
            let Some(req) = client.call(id).and_then(|c| c.request()) else {
                return u32::MAX;
            };
            let url = req.url();
            sum = sum.wrapping_mul(31).wrapping_add(url.len() as u32);
            for (name, value) in req.headers() {
                sum = sum.wrapping_add((name.len() + value.len()) as u32);
            }
            sum = sum.wrapping_add(req.body().map_or(0, |b| b.len() as u32));
            action = client.on_reply(id, r.clone(), now + 1.0, 0.5);
        }
        let out = match action {
            Action::Done => client.call(id).and_then(|c| c.value()).map(str::len),
            Action::Fail => client.call(id).and_then(|c| c.error()).map(|e| e.to_json().len()),
            _ => None,
        };
        let expected = if case_name == "ok" { Action::Done } else { Action::Fail };
        match out {
            Some(len) if action == expected => sum = sum.wrapping_mul(31).wrapping_add(len as u32),
            _ => return u32::MAX,
        }
        client.finish(id);
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::bench_call;

    // The bench's cases still run through the core as each case expects.
    #[test]
    fn every_case_ends_as_expected() {
        for case in ["ok", "validation", "apiError"] {
            assert_ne!(bench_call(case, 3), u32::MAX, "{case}");
            assert_eq!(bench_call(case, 3), bench_call(case, 3), "{case}");
        }
        assert_eq!(bench_call("nope", 1), u32::MAX);
    }
}
