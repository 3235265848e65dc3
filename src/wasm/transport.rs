//! `fetch`, timers and cancellation. Everything that can throw is bound with
//! `catch`, and no Rust closure is handed to JS (timers and listeners get
//! bound JS functions), so nothing is leaked or called after being dropped.

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

/// Marks an abort caused by our own timer, to tell it from the caller's.
const TIMEOUT_REASON: &str = "migo-cards:timeout";

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
        let Some(m) = get_raw(&self.0, method).and_then(|m| m.dyn_into::<Function>().ok()) else {
            return false;
        };
        m.call2(&self.0, &JsValue::from_str("abort"), f).is_ok()
    }
}

/// Removes what it added when dropped, whichever way the attempt ends.
struct Cleanup<'a> {
    timer: JsValue,
    signal: Option<&'a Signal>,
    listener: Option<Function>,
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        let _ = clear_timeout(&self.timer);
        if let (Some(s), Some(l)) = (self.signal, &self.listener) {
            s.listen("removeEventListener", l);
        }
    }
}

fn bound_abort(ctrl: &AbortController, reason: &JsValue) -> Option<Function> {
    let abort: Function<fn(JsValue) -> JsValue> =
        Reflect::get(ctrl, &JsValue::from_str("abort")).ok()?.dyn_into().ok()?;
    Some(abort.bind1(ctrl, reason).unchecked_into())
}

/// One attempt: sends `req`, waits for the whole body, within `timeout_ms`.
pub async fn send(req: &Request, timeout_ms: u32, signal: Option<&Signal>) -> Result<Reply, SendError> {
    let ctrl = AbortController::new().map_err(|_| SendError::Network)?;
    let mut cleanup = Cleanup { timer: JsValue::UNDEFINED, signal, listener: None };
    if let Some(on_timeout) = bound_abort(&ctrl, &JsValue::from_str(TIMEOUT_REASON)) {
        cleanup.timer = set_timeout(&on_timeout, f64::from(timeout_ms)).unwrap_or(JsValue::UNDEFINED);
    }
    if let Some(s) = signal {
        if let Some(on_abort) = bound_abort(&ctrl, &JsValue::UNDEFINED) {
            if s.listen("addEventListener", &on_abort) {
                cleanup.listener = Some(on_abort);
            }
        }
        if s.aborted() {
            return Err(SendError::Aborted);
        }
    }
    let classify = |ctrl: &AbortController| {
        if signal.is_some_and(Signal::aborted) {
            SendError::Aborted
        } else if ctrl.signal().aborted() {
            SendError::Timeout
        } else {
            SendError::Network
        }
    };

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
    init.set_signal(Some(&ctrl.signal()));

    let promise = fetch_with_init(&req.url(), &init).map_err(|_| classify(&ctrl))?;
    let resp: Response = JsFuture::from(promise).await.map_err(|_| classify(&ctrl))?.unchecked_into();
    let text = resp.text().map_err(|_| classify(&ctrl))?;
    let body = JsFuture::from(text).await.map_err(|_| classify(&ctrl))?.as_string().unwrap_or_default();
    let header = |name: &str| resp.headers().get(name).ok().flatten();
    Ok(Reply { status: resp.status(), body, request_id: header("x-request-id"), retry_after: header("retry-after") })
}

/// Waits `ms`, or until the caller aborts (then `Err`).
pub async fn sleep(ms: u32, signal: Option<&Signal>) -> Result<(), ()> {
    let mut cleanup = Cleanup { timer: JsValue::UNDEFINED, signal, listener: None };
    let promise = Promise::new(&mut |resolve, reject| {
        match set_timeout(&resolve, f64::from(ms)) {
            Ok(t) => cleanup.timer = t,
            Err(_) => drop(resolve.call0(&JsValue::UNDEFINED)),
        }
        if let Some(s) = signal {
            if s.listen("addEventListener", &reject) {
                cleanup.listener = Some(reject);
            }
        }
    });
    if signal.is_some_and(Signal::aborted) {
        return Err(());
    }
    JsFuture::from(promise).await.map(|_| ()).map_err(|_| ())
}

/// Milliseconds since the epoch, for `Retry-After` dates.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
