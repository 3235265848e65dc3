//! The module's exports: one gateway per instance, frames in and out.
//!
//! The wrapper calls `mg_alloc(len)`, writes a frame there and hands it to
//! `mg_create` or `mg_call` (which take it back); the answer frame is then
//! at `mg_out_ptr()` for `mg_out_len()` bytes, until the next call.

use std::cell::RefCell;

use crate::{Host, HostError};

thread_local! {
    static HOST: RefCell<Option<Host>> = const { RefCell::new(None) };
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Room for `len` bytes, owned by the caller until passed back.
#[no_mangle]
pub extern "C" fn mg_alloc(len: usize) -> *mut u8 {
    Box::into_raw(vec![0u8; len].into_boxed_slice()).cast::<u8>()
}

/// Takes back a buffer from [`mg_alloc`].
fn take(ptr: *mut u8, len: usize) -> Box<[u8]> {
    // SAFETY: the wrapper passes exactly a pointer and length from mg_alloc,
    // once; the box returns the allocation to the allocator.
    unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) }
}

fn answer(result: Result<Vec<u8>, HostError>) -> u32 {
    let (code, bytes) = match result {
        Ok(bytes) => (0, bytes),
        Err(e) => (1, e.to_frame()),
    };
    OUT.with(|out| *out.borrow_mut() = bytes);
    code
}

/// Creates this instance's gateway from an options frame. 0: done; 1: the
/// answer frame is an error.
#[no_mangle]
pub extern "C" fn mg_create(ptr: *mut u8, len: usize) -> u32 {
    let input = take(ptr, len);
    let result = Host::create(&input).map(|host| {
        HOST.with(|h| *h.borrow_mut() = Some(host));
        crate::frame(&serde_json::json!({}), &[])
    });
    answer(result)
}

/// Runs operation `op` (see the `OP_` constants) on an input frame; `now_ms`
/// is `Date.now()`. 0: the answer frame is the result; 1: it is an error.
#[no_mangle]
pub extern "C" fn mg_call(op: u32, ptr: *mut u8, len: usize, now_ms: f64) -> u32 {
    let input = take(ptr, len);
    let result = HOST.with(|h| match h.borrow_mut().as_mut() {
        Some(host) => host.call(op, &input, now_ms),
        None => Err(HostError::new("protocol", "no gateway: mg_create first")),
    });
    answer(result)
}

#[no_mangle]
pub extern "C" fn mg_out_ptr() -> *const u8 {
    OUT.with(|out| out.borrow().as_ptr())
}

#[no_mangle]
pub extern "C" fn mg_out_len() -> usize {
    OUT.with(|out| out.borrow().len())
}
