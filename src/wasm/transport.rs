//! `fetch`, timers and cancellation. Everything that can throw is bound with
//! `catch`, and no Rust closure is handed to JS (timers and listeners get
//! bound JS functions), so nothing is leaked or called after being dropped.
//!
//! The synchronous parts are `#[inline(never)]` functions outside the async
//! bodies: the async state machines stay small, and so does the module.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestInit, Response};

use super::convert::{get_raw, set};
use crate::core::request::Request;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn fetch_with_init(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_name = setTimeout)]
    fn set_timeout(f: &Function, ms: f64) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;
}

pub enum SendError {
    Network,
    Timeout,
    Aborted,
}

pub struct Reply {
    pub status: u16,
    pub body: String,
    pub request_id: Option<String>,
    pub retry_after: Option<String>,
}

/// The caller's `AbortSignal`, checked to be usable when the call starts.
#[derive(Clone)]
pub struct Signal(JsValue);

impl Signal {
    /// Accepts anything shaped like an `AbortSignal`.
    pub fn from_js(v: &JsValue) -> Option<Signal> {
        let aborted = get_raw(v, "aborted")?;
        let add = get_raw(v, "addEventListener")?;
        let remove = get_raw(v, "removeEventListener")?;
        (aborted.as_bool().is_some() && add.is_function() && remove.is_function()).then(|| Signal(v.clone()))
    }

    pub fn aborted(&self) -> bool {
        get_raw(&self.0, "aborted").and_then(|v| v.as_bool()).unwrap_or(false)
    }

    fn listen(&self, method: &str, f: &Function) -> bool {
        let Some(m) = get_raw(&self.0, method).and_then(|m| m.dyn_into::<Function>().ok()) else { return false };
        m.call2(&self.0, &JsValue::from_str("abort"), f).is_ok()
    }
}

/// A timer and an abort listener, removed when dropped, whichever way the
/// wait ends.
struct Guard<'a> {
    timer: JsValue,
    signal: Option<&'a Signal>,
    listener: Option<Function>,
}

impl<'a> Guard<'a> {
    #[inline(never)]
    fn arm(timer: Option<(u32, &Function)>, signal: Option<&'a Signal>, on_abort: Option<Function>) -> Guard<'a> {
        let timer = timer.and_then(|(ms, f)| set_timeout(f, f64::from(ms)).ok()).unwrap_or(JsValue::UNDEFINED);
        let listener = match (signal, on_abort) {
            (Some(s), Some(f)) if s.listen("addEventListener", &f) => Some(f),
            _ => None,
        };
        Guard { timer, signal, listener }
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        let _ = clear_timeout(&self.timer);
        if let (Some(s), Some(l)) = (self.signal, &self.listener) {
            s.listen("removeEventListener", l);
        }
    }
}

/// `ctrl.abort.bind(ctrl)`: a JS function that aborts the attempt.
fn bound_abort(ctrl: &AbortController) -> Option<Function> {
    let abort: Function<fn(JsValue) -> JsValue> =
        Reflect::get(ctrl, &JsValue::from_str("abort")).ok()?.dyn_into().ok()?;
    Some(abort.bind0(ctrl).unchecked_into())
}

/// One attempt in flight: its controller, timer and listener.
struct Attempt<'a> {
    ctrl: AbortController,
    signal: Option<&'a Signal>,
    _guard: Guard<'a>,
}

impl<'a> Attempt<'a> {
    /// Arms the timeout and the caller's signal, then calls `fetch`.
    #[inline(never)]
    fn start(req: &Request, timeout_ms: u32, signal: Option<&'a Signal>) -> Result<(Attempt<'a>, Promise), SendError> {
        let ctrl = AbortController::new().map_err(|_| SendError::Network)?;
        let abort = bound_abort(&ctrl).ok_or(SendError::Network)?;
        let guard = Guard::arm(Some((timeout_ms, &abort)), signal, Some(abort.clone()));
        let attempt = Attempt { ctrl, signal, _guard: guard };
        if signal.is_some_and(Signal::aborted) {
            return Err(SendError::Aborted);
        }
        let init = RequestInit::new();
        init.set_method(req.method.as_str());
        let headers = Object::new();
        for (name, value) in req.headers() {
            set(&headers, name, &JsValue::from_str(value));
        }
        init.set_headers(&headers);
        if let Some(body) = req.body() {
            init.set_body(&JsValue::from_str(body));
        }
        init.set_signal(Some(&attempt.ctrl.signal()));
        let promise = fetch_with_init(&req.url(), &init).map_err(|_| attempt.failed())?;
        Ok((attempt, promise))
    }

    /// Why the attempt failed: the caller aborted, our timer fired, or the
    /// network failed.
    #[inline(never)]
    fn failed(&self) -> SendError {
        if self.signal.is_some_and(Signal::aborted) {
            SendError::Aborted
        } else if self.ctrl.signal().aborted() {
            SendError::Timeout
        } else {
            SendError::Network
        }
    }
}

#[inline(never)]
fn reply(resp: &Response, body: JsValue) -> Reply {
    let header = |name: &str| resp.headers().get(name).ok().flatten();
    Reply {
        status: resp.status(),
        body: body.as_string().unwrap_or_default(),
        request_id: header("x-request-id"),
        retry_after: header("retry-after"),
    }
}

/// One attempt: sends `req` and reads the whole body, within `timeout_ms`.
pub async fn send(req: &Request, timeout_ms: u32, signal: Option<&Signal>) -> Result<Reply, SendError> {
    let (attempt, promise) = Attempt::start(req, timeout_ms, signal)?;
    let resp: Response = JsFuture::from(promise).await.map_err(|_| attempt.failed())?.unchecked_into();
    let text = resp.text().map_err(|_| attempt.failed())?;
    let body = JsFuture::from(text).await.map_err(|_| attempt.failed())?;
    Ok(reply(&resp, body))
}

/// Waits `ms`, or until the caller aborts (then `Err`).
pub async fn sleep(ms: u32, signal: Option<&Signal>) -> Result<(), ()> {
    let mut guard = None;
    let promise =
        Promise::new(&mut |resolve, reject| guard = Some(Guard::arm(Some((ms, &resolve)), signal, Some(reject))));
    if signal.is_some_and(Signal::aborted) {
        return Err(());
    }
    let result = JsFuture::from(promise).await.map(|_| ()).map_err(|_| ());
    drop(guard);
    result
}

/// Why [`wait`] stopped without a value.
pub enum Stop {
    /// The caller's signal fired.
    Aborted,
    /// `timeout_ms` passed first.
    TimedOut,
    /// The promise rejected.
    Rejected,
}

/// Awaits `promise` for at most `timeout_ms`, and no longer than the caller
/// wants (their signal).
pub async fn wait(promise: Promise, timeout_ms: u32, signal: Option<&Signal>) -> Result<JsValue, Stop> {
    // The stopper resolves to a marker of its own on timeout and rejects on
    // abort; racing it against `promise` tells the three apart.
    let marker = JsValue::from(Object::new());
    let mut guard = None;
    let stopper = Promise::new(&mut |resolve, reject| {
        let on_timeout: Function = resolve.bind1(&JsValue::UNDEFINED, &marker).unchecked_into();
        guard = Some(Guard::arm(Some((timeout_ms, &on_timeout)), signal, Some(reject)));
    });
    let result = JsFuture::from(Promise::race(&js_sys::Array::of2(&promise, &stopper))).await;
    drop(guard);
    match result {
        _ if signal.is_some_and(Signal::aborted) => Err(Stop::Aborted),
        Ok(v) if v == marker => Err(Stop::TimedOut),
        Ok(v) => Ok(v),
        Err(_) => Err(Stop::Rejected),
    }
}

/// Milliseconds since the epoch, for `Retry-After` dates.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
