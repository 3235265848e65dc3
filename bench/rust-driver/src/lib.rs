//! The Rust-driver variant that bench/ measures (built by `bench/run.sh`
//! only, never published): the two ways of driving the sans-IO core are
//! JavaScript (`js/api.js`, the published package) and a thin async loop in
//! Rust with wasm-bindgen-futures, gloo-net and gloo-timers, which is this
//! module. Its `bench` feature adds `benchCall`, `benchMemory` and the
//! counting allocator, as the JS driver's bench build has them.
//!
//! It holds no rule: like `js/api.js` it reads the JS values into
//! [`Input`]s, asks [`Client`] what to do, performs the action (fetch,
//! wait, call the token provider, tell `onRequest`) and reports back. It
//! exposes the same JS shape as `MigoClient` of `js/api.js` (constructor
//! options, the ten methods with their trailing `{ signal, timeoutMs,
//! maxRetries }`, `free`, `environment`, `baseUrl`, `toJSON`, `toString`,
//! `activationUrl`, `isValidCardNumber`), with two differences a bench does
//! not meet: a method called detached from its client throws wasm-bindgen's
//! own error, and a custom `fetch` is called with one `Request` object.
//!
//! No `RefCell` borrow of the client is held across a call into
//! JavaScript: a getter, `fetch`, `getAccessToken` or `onRequest` may call
//! the client again.

#![cfg(target_arch = "wasm32")]

// The package's allocator; the bench build counts through migo-cards-bench's.
#[cfg(not(feature = "bench"))]
#[global_allocator]
static ALLOC: rlsf::SmallGlobalTlsf = rlsf::SmallGlobalTlsf::new();

/// The bench-only exports, as the JS driver's bench build has them.
#[cfg(feature = "bench")]
#[wasm_bindgen(js_name = benchMemory)]
pub fn bench_memory() -> String {
    let externrefs = wasm_bindgen::externref_heap_live_count().to_string();
    migo_cards_bench::bench_memory(0, &format!(",\"externrefsLive\":{externrefs}"))
}

#[cfg(feature = "bench")]
#[wasm_bindgen(js_name = benchCall)]
pub fn bench_call(case_name: &str, n: u32) -> u32 {
    migo_cards_bench::bench_call(case_name, n)
}

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use futures_util::future::{select, Either};
use futures_util::pin_mut;
use gloo_net::http::{Method, RequestBuilder, Response};
use gloo_timers::future::TimeoutFuture;
use js_sys::{Function, JsString, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{AbortController, RequestRedirect, ResponseType};

use migo_cards_engine::activation;
use migo_cards_engine::call::{Action, CallInput, Reply, SignalInput, TokenResult, Transport};
use migo_cards_engine::client::{CallId, Client, ClientInput};
use migo_cards_engine::config::ConfigInput;
use migo_cards_engine::endpoints::{JsArg, Param, ENDPOINTS};
use migo_cards_engine::error::Error;
use migo_cards_engine::input::Input;
use migo_cards_engine::json::json_string_into;
use migo_cards_engine::validate;

thread_local! {
    /// The JS `MigoError` class (`js/error.js`), handed over by the entry's `init`.
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called once by the entry after the module is loaded: the class every
/// rejection is an instance of.
#[wasm_bindgen(js_name = setErrorClass)]
pub fn set_error_class(class: Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(class));
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// The core's reading of a JS value (what `tag` does in `js/api.js`).
fn input(v: &JsValue) -> Input {
    if let Some(s) = v.dyn_ref::<JsString>() {
        // A string UTF-8 cannot carry unchanged is refused, not altered.
        return if s.is_well_formed() {
            Input::Str(String::from(s))
        } else {
            Input::Other("string with unpaired surrogates")
        };
    }
    if let Some(n) = v.as_f64() {
        return Input::Number(n);
    }
    if let Some(b) = v.as_bool() {
        return Input::Bool(b);
    }
    if v.is_undefined() {
        Input::Absent
    } else if v.is_null() {
        Input::Null
    } else if v.is_function() {
        Input::Other("function")
    } else if v.is_symbol() {
        Input::Other("symbol")
    } else if v.is_bigint() {
        Input::Other("bigint")
    } else {
        Input::Other("object")
    }
}

/// `obj[key]` for objects only; `Err` when a getter or a Proxy trap throws.
fn get(obj: &JsValue, key: &str) -> Result<JsValue, ()> {
    if !obj.is_object() {
        return Ok(JsValue::UNDEFINED);
    }
    Reflect::get(obj, &JsValue::from_str(key)).map_err(|_| ())
}

fn read(obj: &JsValue, key: &str) -> Input {
    get(obj, key).map_or(Input::Unreadable, |v| input(&v))
}

fn is_timeout(reason: &JsValue) -> bool {
    get(reason, "name").ok().and_then(|n| n.as_string()).is_some_and(|n| n == "TimeoutError")
}

/// The caller's `signal`: how the core should see it, and the object to
/// listen on while it is live.
fn signal_input(s: &JsValue) -> (SignalInput, Option<JsValue>) {
    if s.is_undefined() || s.is_null() {
        return (SignalInput::Absent, None);
    }
    let (Ok(aborted), Ok(add), Ok(remove)) =
        (get(s, "aborted"), get(s, "addEventListener"), get(s, "removeEventListener"))
    else {
        return (SignalInput::Invalid("a value that could not be read"), None);
    };
    if aborted.as_bool().is_none() || !add.is_function() || !remove.is_function() {
        return (SignalInput::Invalid(input(s).type_name()), None);
    }
    if aborted.is_falsy() {
        return (SignalInput::Live, Some(s.clone()));
    }
    let timeout = get(s, "reason").is_ok_and(|r| is_timeout(&r));
    (SignalInput::Aborted { timeout }, None)
}

/// A `MigoError` from the core's JSON (`Error::to_json`), `cause` nested or
/// given. The details object is made without `message` and `cause` on the
/// Rust side (one `JSON.parse`), rather than deleting them from a parsed
/// object, which would leave V8 a slow dictionary-mode object to copy.
fn to_error(json: &str, cause: JsValue) -> JsValue {
    let Some(members) = migo_cards_engine::json::object(json) else {
        return js_sys::Error::new("migo-cards: an error could not be read").into();
    };
    let mut details = String::from("{");
    let (mut message, mut inner) = (String::new(), None);
    for (key, raw) in &members {
        match key.as_ref() {
            "message" => message = migo_cards_engine::json::string(raw).unwrap_or_default(),
            "cause" => inner = Some(*raw),
            _ => {
                if details.len() > 1 {
                    details.push(',');
                }
                json_string_into(key, &mut details);
                details.push(':');
                details.push_str(raw);
            }
        }
    }
    details.push('}');
    let cause = inner.map_or(cause, |raw| to_error(raw, JsValue::UNDEFINED));
    let details = JSON::parse(&details).unwrap_or(JsValue::UNDEFINED);
    let args = js_sys::Array::of3(&JsValue::from_str(&message), &details, &cause);
    let class = ERROR_CLASS.with(|c| c.borrow().clone());
    match class.map(|c| Reflect::construct(&c, &args)) {
        Some(Ok(e)) => e,
        _ => js_sys::Error::new(&message).into(),
    }
}

/// A scrubbed copy of what `fetch` threw, for `cause`: name and message only.
fn failure_cause(client: &RefCell<Client>, id: CallId, error: &JsValue) -> JsValue {
    let mut message =
        get(error, "message").ok().and_then(|m| m.as_string()).or_else(|| error.as_string()).unwrap_or_default();
    let inner = get(error, "cause").and_then(|c| get(&c, "message")).ok().and_then(|m| m.as_string());
    if let Some(inner) = inner.filter(|m| !m.is_empty()) {
        message = format!("{message} ({inner})");
    }
    let name = get(error, "name").ok().and_then(|m| m.as_string()).unwrap_or_else(|| "Error".into());
    let scrubbed = match client.borrow().call(id) {
        Some(call) => call.scrub(&message),
        None => migo_cards_engine::secret::redact(&message, &[]),
    };
    let copy = js_sys::Error::new(&scrubbed);
    copy.set_name(&name);
    copy.into()
}

/// How a wait ended.
enum Ended<T> {
    Done(T),
    TimedOut,
    Aborted(JsValue),
}

/// Resolves when `signal` fires; its listener is removed when dropped.
struct AbortWait {
    signal: JsValue,
    listener: Option<Function>,
    fired: JsFuture,
}

impl AbortWait {
    fn new(signal: &JsValue) -> AbortWait {
        let mut listener = None;
        let promise = Promise::new(&mut |resolve, _| {
            if let Ok(add) = get(signal, "addEventListener").and_then(|f| f.dyn_into::<Function>().map_err(|_| ())) {
                if add.call2(signal, &JsValue::from_str("abort"), &resolve).is_ok() {
                    listener = Some(resolve);
                }
            }
        });
        AbortWait { signal: signal.clone(), listener, fired: JsFuture::from(promise) }
    }
}

impl Drop for AbortWait {
    fn drop(&mut self) {
        if let (Some(l), Ok(remove)) = (&self.listener, get(&self.signal, "removeEventListener")) {
            if let Ok(remove) = remove.dyn_into::<Function>() {
                let _ = remove.call2(&self.signal, &JsValue::from_str("abort"), l);
            }
        }
    }
}

/// Runs `f` until it ends, `deadline` (epoch ms) passes, or `signal` fires,
/// whichever comes first. The timer and the listener go when it returns.
async fn within<F: Future>(f: F, deadline: f64, signal: Option<&JsValue>) -> Ended<F::Output> {
    let ms = (deadline - now()).clamp(0.0, f64::from(i32::MAX)) as u32;
    let timer = TimeoutFuture::new(ms);
    let abort = async {
        match signal {
            Some(s) => {
                let mut wait = AbortWait::new(s);
                let _ = (&mut wait.fired).await;
                get(s, "reason").unwrap_or(JsValue::UNDEFINED)
            }
            None => futures_util::future::pending().await,
        }
    };
    pin_mut!(f, timer, abort);
    match select(f, select(timer, abort)).await {
        Either::Left((v, _)) => Ended::Done(v),
        Either::Right((Either::Left(_), _)) => Ended::TimedOut,
        Either::Right((Either::Right((reason, _)), _)) => Ended::Aborted(reason),
    }
}

/// What one attempt came to.
enum Answer {
    Reply(Reply),
    Failed(Transport, Option<JsValue>),
}

/// One shared client: the core, and the functions given as options.
struct Inner {
    core: RefCell<Client>,
    fetch: Option<Function>,
    get_token: Option<Function>,
    on_request: Option<Function>,
    /// The token fetch in progress: its ticket and the provider's promise
    /// (`None` when the provider threw).
    token: RefCell<Option<(u32, Option<Promise>)>>,
}

/// Sends the request of call `id` with gloo-net and reads the whole answer.
async fn attempt(inner: &Inner, id: CallId, abort: &web_sys::AbortSignal) -> Answer {
    let Some(req) = inner.core.borrow().call(id).and_then(|c| c.request()).cloned() else {
        return Answer::Failed(Transport::NotSent, None);
    };
    let method = match req.method.as_str() {
        "GET" => Method::GET,
        "PATCH" => Method::PATCH,
        _ => Method::POST,
    };
    let mut builder =
        RequestBuilder::new(&req.url()).method(method).redirect(RequestRedirect::Manual).abort_signal(Some(abort));
    for (name, value) in req.headers() {
        builder = builder.header(name, value);
    }
    let built = match req.body() {
        Some(body) => builder.body(body),
        None => builder.build(),
    };
    let Ok(request) = built else {
        return Answer::Failed(Transport::NotSent, None);
    };
    // The `fetch` option, else the global one, called here rather than by
    // gloo-net's `send`, which panics (aborting the module) when a replaced
    // global `fetch` gives something that is not a `Response`.
    let f = inner.fetch.clone().or_else(|| get(&js_sys::global(), "fetch").ok()?.dyn_into::<Function>().ok());
    let Some(f) = f else {
        return Answer::Failed(Transport::NotSent, None);
    };
    let raw: web_sys::Request = request.into();
    let Ok(pending) = f.call1(&JsValue::UNDEFINED, &raw) else {
        return Answer::Failed(Transport::NotSent, None);
    };
    let res = match JsFuture::from(Promise::resolve(&pending)).await {
        Ok(r) => r,
        Err(e) => return Answer::Failed(Transport::Network, Some(e)),
    };
    let Ok(raw) = res.dyn_into::<web_sys::Response>() else {
        return Answer::Failed(Transport::BadResponse, None);
    };
    // A second handle to the same object (`raw.clone()` would be `Response.clone()`).
    let res = Response::from(Clone::clone(&raw));
    let status = if res.type_() == ResponseType::Opaqueredirect { 0 } else { res.status() };
    let headers = res.headers();
    let request_id = headers.get("x-request-id");
    let retry_after = headers.get("retry-after");
    let date = headers.get("date");
    let redirected = res.redirected();
    // web-sys's `text` rather than gloo-net's, which unwraps (a panic) when
    // a subclass's `text()` throws.
    let body = match raw.text() {
        Ok(p) => JsFuture::from(p).await.map(|t| t.as_string()),
        Err(e) => Err(e),
    };
    match body {
        Ok(Some(body)) => {
            let wall_ms = js_sys::Date::now();
            Answer::Reply(Reply { status, body, request_id, retry_after, date, wall_ms, redirected, cut_off: None })
        }
        Ok(None) => Answer::Failed(Transport::BadResponse, None),
        // The body could not be read: the connection failed mid-answer.
        Err(e) => Answer::Failed(Transport::Network, Some(e)),
    }
}

/// The provider's promise for `ticket`: started now (`start`) or joined.
fn token_promise(inner: &Inner, ticket: u32, start: bool) -> Result<Promise, TokenResult> {
    if start {
        let promise = match inner.get_token.as_ref().map(|f| f.call0(&JsValue::UNDEFINED)) {
            Some(Ok(v)) => Some(Promise::resolve(&v)),
            _ => None,
        };
        *inner.token.borrow_mut() = Some((ticket, promise));
    }
    match &*inner.token.borrow() {
        Some((t, Some(p))) if *t == ticket => Ok(p.clone()),
        Some((t, None)) if *t == ticket => Err(TokenResult::Threw),
        _ => Err(TokenResult::Rejected),
    }
}

/// Tells `onRequest` of call `id`'s last attempt; what it throws is ignored.
fn report(inner: &Inner, id: CallId) {
    let Some(hook) = &inner.on_request else { return };
    let event = inner.core.borrow().event_json(id);
    if let Some(Ok(e)) = event.map(|e| JSON::parse(&e)) {
        let _ = hook.call1(&JsValue::UNDEFINED, &e);
    }
}

/// Runs call `id` to its end: performs each action the core returns.
async fn drive(inner: Rc<Inner>, id: CallId, signal: Option<JsValue>) -> Result<JsValue, JsValue> {
    let mut cause = JsValue::UNDEFINED;
    let mut action = inner.core.borrow_mut().next(id, now());
    let signal = signal.as_ref();
    let result = loop {
        action = match action {
            Action::Send { deadline } => {
                let Ok(ctrl) = AbortController::new() else {
                    break Err(to_error(&Error::network("AbortController is missing").to_json(), cause));
                };
                let ended = within(attempt(&inner, id, &ctrl.signal()), deadline, signal).await;
                let (t, jitter) = (now(), js_sys::Math::random());
                let next = match ended {
                    Ended::Done(Answer::Reply(reply)) => inner.core.borrow_mut().on_reply(id, reply, t, jitter),
                    Ended::Done(Answer::Failed(what, error)) => {
                        if let Some(e) = error {
                            cause = failure_cause(&inner.core, id, &e);
                        }
                        inner.core.borrow_mut().on_transport(id, what, t, jitter)
                    }
                    Ended::TimedOut => {
                        ctrl.abort();
                        inner.core.borrow_mut().on_timeout(id, t, jitter)
                    }
                    Ended::Aborted(reason) => {
                        ctrl.abort_with_reason(&reason);
                        let timeout = is_timeout(&reason);
                        cause = reason;
                        inner.core.borrow_mut().on_abort(id, timeout, true, t)
                    }
                };
                report(&inner, id);
                next
            }
            Action::Wait { until } => match within(futures_util::future::pending::<()>(), until, signal).await {
                Ended::Aborted(reason) => {
                    let timeout = is_timeout(&reason);
                    cause = reason;
                    inner.core.borrow_mut().on_abort(id, timeout, true, now())
                }
                _ => inner.core.borrow_mut().next(id, now()),
            },
            Action::FetchToken { ticket, deadline } | Action::AwaitToken { ticket, deadline } => {
                let start = matches!(action, Action::FetchToken { .. });
                let result = match token_promise(&inner, ticket, start) {
                    Err(settled) => Ended::Done(Err(settled)),
                    Ok(p) => match within(JsFuture::from(p), deadline, signal).await {
                        Ended::Done(Ok(v)) => Ended::Done(Ok(v)),
                        Ended::Done(Err(_)) => Ended::Done(Err(TokenResult::Rejected)),
                        Ended::TimedOut => Ended::TimedOut,
                        Ended::Aborted(r) => Ended::Aborted(r),
                    },
                };
                let t = now();
                match result {
                    Ended::Done(Ok(value)) => {
                        inner.core.borrow_mut().on_token(id, ticket, TokenResult::Value(input(&value)), t)
                    }
                    Ended::Done(Err(how)) => inner.core.borrow_mut().on_token(id, ticket, how, t),
                    Ended::TimedOut => inner.core.borrow_mut().on_timeout(id, t, js_sys::Math::random()),
                    Ended::Aborted(reason) => {
                        let timeout = is_timeout(&reason);
                        cause = reason;
                        inner.core.borrow_mut().on_abort(id, timeout, true, t)
                    }
                }
            }
            Action::Done => {
                let value = inner.core.borrow().call(id).and_then(|c| c.value()).map(str::to_owned);
                break Ok(value.map_or(Ok(JsValue::UNDEFINED), |v| JSON::parse(&v)).unwrap_or(JsValue::UNDEFINED));
            }
            Action::Fail => {
                let json = inner.core.borrow().call(id).and_then(|c| c.error()).map(Error::to_json);
                let json =
                    json.unwrap_or_else(|| Error::config("this", "this call is not known to the client").to_json());
                break Err(to_error(&json, cause));
            }
        };
    };
    inner.core.borrow_mut().finish(id);
    result
}

#[wasm_bindgen(js_name = MigoClient)]
pub struct MigoClient {
    inner: Rc<Inner>,
    summary: String,
}

fn function(v: &JsValue) -> Option<Function> {
    v.dyn_ref::<Function>().cloned()
}

#[wasm_bindgen(js_class = MigoClient)]
impl MigoClient {
    /// Validates `options` now; throws a MigoError of kind "config" naming
    /// the option at fault.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<MigoClient, JsValue> {
        if !options.is_object() {
            let e = Error::config("options", "new MigoClient(options) needs an options object");
            return Err(to_error(&e.to_json(), JsValue::UNDEFINED));
        }
        // Everything is read before the core sees any of it: a getter may run any code.
        let raw: Vec<Result<JsValue, ()>> =
            migo_cards_engine::client::OPTIONS.iter().map(|k| get(&options, k)).collect();
        let value = |i: usize| raw[i].as_ref().map_or(Input::Unreadable, input);
        let present = |i: usize| Some(value(i));
        let client_input = ClientInput {
            config: ConfigInput {
                environment: present(0),
                base_url: present(1),
                application_id: present(2),
                client_id: present(3),
                max_retries: present(4),
                timeout_ms: present(5),
            },
            access_token: present(6),
            get_access_token: present(7),
            on_request: present(8),
            fetch: present(9),
        };
        let client = Client::new(&client_input).map_err(|e| to_error(&e.to_json(), JsValue::UNDEFINED))?;
        let func = |i: usize| raw[i].as_ref().ok().and_then(function);
        let summary = client.summary_json();
        let inner = Inner {
            core: RefCell::new(client),
            fetch: func(9),
            get_token: func(7),
            on_request: func(8),
            token: RefCell::new(None),
        };
        Ok(MigoClient { inner: Rc::new(inner), summary })
    }

    /// Starts operation `name` with the method's arguments: the call's promise.
    fn call(&self, name: &str, args: &[&JsValue], options: &JsValue) -> Promise {
        let Some(ep) = ENDPOINTS.iter().find(|e| e.name == name) else {
            return Promise::reject(&JsValue::from_str("unknown operation"));
        };
        // Everything is read before anything reaches the core.
        let mut inputs: Vec<(Param, Input)> = Vec::with_capacity(4);
        for (arg, value) in ep.args.iter().zip(args) {
            match arg {
                JsArg::One(p) => inputs.push((*p, input(value))),
                JsArg::Fields(ps) => inputs.extend(ps.iter().map(|p| (*p, read(value, p.field())))),
            }
        }
        let options_input = input(options);
        let (max_retries, timeout_ms, signal) = if options.is_object() {
            (read(options, "maxRetries"), read(options, "timeoutMs"), get(options, "signal"))
        } else {
            (Input::Absent, Input::Absent, Ok(JsValue::UNDEFINED))
        };
        let (signal_in, signal) = match signal {
            Ok(s) => signal_input(&s),
            Err(()) => (SignalInput::Invalid("a value that could not be read"), None),
        };
        let has_fetch = self.inner.fetch.is_some() || get(&js_sys::global(), "fetch").is_ok_and(|f| f.is_function());
        let call_input = CallInput { options: options_input, max_retries, timeout_ms, signal: signal_in };
        let id = self.inner.core.borrow_mut().start(ep, &inputs, &call_input, has_fetch);
        future_to_promise(drive(self.inner.clone(), id, signal))
    }

    #[wasm_bindgen(js_name = issueCard)]
    pub fn issue_card(&self, user_id: JsValue, options: JsValue) -> Promise {
        self.call("issueCard", &[&user_id], &options)
    }

    #[wasm_bindgen(js_name = linkCard)]
    pub fn link_card(&self, user_id: JsValue, card: JsValue, options: JsValue) -> Promise {
        self.call("linkCard", &[&user_id, &card], &options)
    }

    #[wasm_bindgen(js_name = activateCard)]
    pub fn activate_card(&self, user_id: JsValue, card_id: JsValue, options: JsValue) -> Promise {
        self.call("activateCard", &[&user_id, &card_id], &options)
    }

    #[wasm_bindgen(js_name = blockCard)]
    pub fn block_card(&self, user_id: JsValue, card_id: JsValue, options: JsValue) -> Promise {
        self.call("blockCard", &[&user_id, &card_id], &options)
    }

    #[wasm_bindgen(js_name = unblockCard)]
    pub fn unblock_card(&self, user_id: JsValue, card_id: JsValue, options: JsValue) -> Promise {
        self.call("unblockCard", &[&user_id, &card_id], &options)
    }

    #[wasm_bindgen(js_name = blockCardForUser)]
    pub fn block_card_for_user(&self, card_id: JsValue, auth_user_id: JsValue, options: JsValue) -> Promise {
        self.call("blockCardForUser", &[&card_id, &auth_user_id], &options)
    }

    #[wasm_bindgen(js_name = unblockCardForUser)]
    pub fn unblock_card_for_user(&self, card_id: JsValue, auth_user_id: JsValue, options: JsValue) -> Promise {
        self.call("unblockCardForUser", &[&card_id, &auth_user_id], &options)
    }

    #[wasm_bindgen(js_name = updateCardAlias)]
    pub fn update_card_alias(&self, card_id: JsValue, alias: JsValue, options: JsValue) -> Promise {
        self.call("updateCardAlias", &[&card_id, &alias], &options)
    }

    #[wasm_bindgen(js_name = getCardDetails)]
    pub fn get_card_details(
        &self,
        user_id: JsValue,
        card_id: JsValue,
        view_token: JsValue,
        options: JsValue,
    ) -> Promise {
        self.call("getCardDetails", &[&user_id, &card_id, &view_token], &options)
    }

    #[wasm_bindgen(js_name = createStatement)]
    pub fn create_statement(&self, card_id: JsValue, period: JsValue, options: JsValue) -> Promise {
        self.call("createStatement", &[&card_id, &period], &options)
    }

    /// The environment this client talks to.
    #[wasm_bindgen(getter)]
    pub fn environment(&self) -> String {
        self.inner.core.borrow().config().environment.as_str().to_owned()
    }

    /// The API base URL in use (no trailing slash).
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.core.borrow().config().base_url.clone()
    }

    /// `{environment, baseUrl, applicationId?}`: no secret.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        JSON::parse(&self.summary).unwrap_or(JsValue::UNDEFINED)
    }

    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("MigoClient({}, {})", self.environment(), self.base_url())
    }
}

/// The hosted card-activation webview URL for a cardholder.
#[wasm_bindgen(js_name = activationUrl)]
pub fn activation_url(options: JsValue) -> Result<String, JsValue> {
    let (user_id, client, environment) =
        (read(&options, "userId"), read(&options, "client"), read(&options, "environment"));
    activation::activation_url(&user_id, &client, &environment).map_err(|e| to_error(&e.to_json(), JsValue::UNDEFINED))
}

/// The card-number verification `linkCard` applies. Never throws.
#[wasm_bindgen(js_name = isValidCardNumber)]
pub fn is_valid_card_number(card: JsValue) -> bool {
    validate::card_number(&input(&card)).is_ok()
}
