//! The module's exports, made by wasm-bindgen, which
//! js/api.js drives. They move values between the JS driver and
//! [`crate::engine`]: no rule lives here, and nothing here can panic on what
//! JavaScript passes.
//!
//! - Values in: each JS value crosses as a tag (an index in
//!   [`TAGS`](crate::engine::input::TAGS), which `describe()` lists) and a
//!   number, one after the other in one list (`list`: tag, number, tag,
//!   number, ...); the strings' texts follow one another in `text`, each
//!   string's number being its `length`. Each consuming export takes them in
//!   the order [`describe`] gives.
//! - Results out: by value when the export returns (an [`Act`], strings
//!   copied out by the generated glue), or kept per call (a step's other
//!   numbers, [`StepField`]; a call's texts, [`Text`]), so that no export's result
//!   can be overwritten by another's.
//! - A client is a [`WasmClient`] object; the glue checks each use of it
//!   (a freed or re-entered client throws a JS error, never aliases).

#[allow(unused_imports)]
use crate::prelude::*;

use wasm_bindgen::prelude::*;

use crate::describe::DESCRIBE;
use crate::engine::activation;
use crate::engine::call::{Action, Call, CallInput, CutOff, Reply, SignalInput, TokenResult, Transport};
use crate::engine::client::{Client, ClientInput};
use crate::engine::config::ConfigInput;
use crate::engine::endpoints::{JsArg, ENDPOINTS};
use crate::engine::error::Error;
use crate::engine::input::{Input, STRING_TAG};
use crate::engine::request::Request;
use crate::engine::validate;

/// What the driver does next: a step's act.
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// Send the call's [`Text::Request`]; give up at `at`.
    Send,
    /// Do nothing until `at`, then [`WasmClient::on`] with `Event::Go`.
    Wait,
    /// Call the token provider for `ticket`, until `at`.
    FetchToken,
    /// Join the token fetch of `ticket`, until `at`.
    AwaitToken,
    /// The call succeeded: its value is the step's `body.slice(start, end)`,
    /// or its [`Text::Value`] when `start` is -1.
    Done,
    /// The call failed: its [`Text::Error`].
    Fail,
}

/// What happened to a call, for [`WasmClient::on`].
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A wait is over: go on.
    Go,
    /// The attempt failed without a reply: `fetch` rejected, or the body
    /// could not be read.
    Network,
    /// `fetch` threw before sending anything.
    NotSent,
    /// `fetch` gave something that is not a readable response.
    BadResponse,
    /// The step's deadline passed.
    TimedOut,
    /// The caller's signal fired.
    Aborted,
    /// The caller's signal fired before the attempt's request was passed to `fetch`.
    AbortedUnsent,
    /// The token provider rejected.
    TokenRejected,
    /// The token provider threw.
    TokenThrew,
}

/// How an answer's body ended after its status and headers arrived
/// ([`WasmClient::reply`]).
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// It arrived whole.
    Whole,
    /// The connection failed while it was read.
    ConnectionLost,
    /// The attempt's deadline passed while it was read.
    DeadlinePassed,
    /// The caller's signal fired while it was read.
    Aborted,
    /// The caller's signal fired while it was read, its reason a `TimeoutError`.
    AbortedByTimeout,
}

/// The texts of a call ([`WasmClient::text`]).
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    /// The request to send: lines of the method, URL, body (empty for
    /// none), then header names and values alternating.
    Request,
    /// The value of the finished call (JSON; none for no body).
    Value,
    /// The error of the failed call, as MigoError JSON (the unknown-call
    /// error for a call not known, or not failed).
    Error,
    /// The `onRequest` event of the call's last attempt (JSON).
    Event,
}

/// The numbers of a call's last step besides its [`Act`]
/// ([`WasmClient::step`]): `At`, the deadline of a send or token wait, or
/// the end of a wait (the driver's clock, ms); `Ticket`, a token step's
/// ticket; `Start` and `End`, where a done call's value lies in the body
/// last passed to [`WasmClient::reply`], as JS string indices (-1 when it
/// is not a part of it).
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepField {
    At = 0,
    Ticket = 1,
    Start = 2,
    End = 3,
}

/// A step's [`StepField`] numbers, and its [`Act`].
fn step(c: &Client, id: u32, a: Action) -> ([f64; 4], Act) {
    let (act, at, ticket) = match a {
        Action::Send { deadline } => (Act::Send, deadline, 0),
        Action::Wait { until } => (Act::Wait, until, 0),
        Action::FetchToken { ticket, deadline } => (Act::FetchToken, deadline, ticket),
        Action::AwaitToken { ticket, deadline } => (Act::AwaitToken, deadline, ticket),
        Action::Done => (Act::Done, 0.0, 0),
        Action::Fail => (Act::Fail, 0.0, 0),
    };
    let (start, end) = match (a, c.call(id).and_then(Call::value_span)) {
        (Action::Done, Some((s, e))) => (s as f64, e as f64),
        _ => (-1.0, -1.0),
    };
    ([at, f64::from(ticket), start, end], act)
}

/// The values of `list` and `text` (see the module's doc), in order.
fn values(list: &[f64], text: &str) -> vec::IntoIter<Input> {
    let mut rest = text;
    let mut out = Vec::with_capacity(list.len() / 2);
    for pair in list.chunks_exact(2) {
        // A tag out of u8's range reads as an unknown tag (`as` saturates).
        let (tag, number) = (pair[0] as u8, pair[1]);
        let string = (tag == STRING_TAG).then(|| take_utf16(&mut rest, number));
        out.push(Input::from_tag(tag, string, number));
    }
    out.into_iter()
}

/// The first `units` UTF-16 code units of `rest` (a JS string's `length`),
/// as a String; `rest` moves past them.
fn take_utf16(rest: &mut &str, units: f64) -> String {
    let mut seen = 0.0;
    let mut end = rest.len();
    for (i, c) in rest.char_indices() {
        if seen >= units {
            end = i;
            break;
        }
        seen += c.len_utf16() as f64;
    }
    let head = rest.get(..end).unwrap_or_default().to_owned();
    *rest = rest.get(end..).unwrap_or_default();
    head
}

/// The next value; `undefined` once they run out.
fn pop(values: &mut vec::IntoIter<Input>) -> Input {
    values.next().unwrap_or(Input::Absent)
}

/// What the driver needs to know of the core: [`DESCRIBE`].
#[wasm_bindgen]
pub fn describe() -> String {
    DESCRIBE.to_owned()
}

/// A client of the core: its options, and its calls by id.
#[wasm_bindgen]
pub struct WasmClient {
    client: Client,
    /// Each call's last step's numbers, by call id.
    steps: Vec<[f64; 4]>,
}

#[wasm_bindgen]
impl WasmClient {
    /// A client from the values of the options argument and then each
    /// option, in `options` order; none for unusable options (their error:
    /// [`options_error`]).
    pub fn create(list: &[f64], text: &str) -> Option<WasmClient> {
        client(list, text).ok().map(|client| WasmClient { client, steps: Vec::new() })
    }

    /// `{environment, baseUrl, applicationId?}` (JSON): no secret.
    pub fn summary(&self) -> String {
        self.client.summary_json()
    }

    /// Starts operation `op` (its index in `operations`) with its arguments'
    /// values, then the call options' four (the options argument,
    /// `maxRetries`, `timeoutMs`, `signal`): the call's id, whose first
    /// step [`WasmClient::on`] `Go` gives. An unknown operation fails the
    /// call. `has_fetch`: a fetch function exists.
    pub fn start(&mut self, op: u8, list: &[f64], text: &str, has_fetch: bool) -> u32 {
        let mut v = values(list, text);
        let Some(ep) = ENDPOINTS.get(usize::from(op)) else {
            return u32::MAX;
        };
        let mut inputs = Vec::new();
        for arg in ep.args {
            let params = match arg {
                JsArg::One(p) => core::slice::from_ref(p),
                JsArg::Fields(ps) => ps,
            };
            for p in params {
                inputs.push((*p, pop(&mut v)));
            }
        }
        // The signal crosses as its tag alone (a state, see `TAGS`).
        let signal = list.get((inputs.len() + 3) * 2).map_or(0, |&t| t as u8);
        let input = CallInput {
            options: pop(&mut v),
            max_retries: pop(&mut v),
            timeout_ms: pop(&mut v),
            signal: SignalInput::from_tag(signal),
        };
        self.client.start(ep, &inputs, &input, has_fetch)
    }

    /// A number of call `id`'s last step; NaN for a call with none.
    pub fn step(&self, id: u32, field: StepField) -> f64 {
        let at = usize::try_from(id).ok();
        at.and_then(|i| self.steps.get(i)).map_or(f64::NAN, |s| s[field as usize & 3])
    }

    /// Keeps call `id`'s step after action `a`: its act.
    fn act(&mut self, id: u32, a: Action) -> Act {
        let (numbers, act) = step(&self.client, id, a);
        let Ok(i) = usize::try_from(id) else { return act };
        if i >= self.steps.len() && self.client.call(id).is_some() {
            self.steps.resize(i + 1, [0.0; 4]);
        }
        if let Some(slot) = self.steps.get_mut(i) {
            *slot = numbers;
        }
        act
    }

    /// What call `id` does after `event`; `timeout_reason`: an abort's
    /// reason is a `TimeoutError`; `ticket`: a token event's ticket.
    pub fn on(&mut self, id: u32, event: Event, timeout_reason: bool, ticket: u32, now: f64, jitter: f64) -> Act {
        let c = &mut self.client;
        let a = match event {
            Event::Go => c.next(id, now),
            Event::Network => c.on_transport(id, Transport::Network, now, jitter),
            Event::NotSent => c.on_transport(id, Transport::NotSent, now, jitter),
            Event::BadResponse => c.on_transport(id, Transport::BadResponse, now, jitter),
            Event::TimedOut => c.on_timeout(id, now, jitter),
            Event::Aborted => c.on_abort(id, timeout_reason, true, now),
            Event::AbortedUnsent => c.on_abort(id, timeout_reason, false, now),
            Event::TokenRejected => c.on_token(id, ticket, TokenResult::Rejected, now),
            Event::TokenThrew => c.on_token(id, ticket, TokenResult::Threw, now),
        };
        self.act(id, a)
    }

    /// The gateway replied with `status`; the values are its body, its
    /// `x-request-id`, its `Retry-After` and its `Date` (strings, or absent);
    /// `redirected`: a redirect was followed; `body`: whether the body
    /// arrived whole. `now` is the driver's clock, `wall` its wall clock
    /// (Unix epoch ms), which a `Retry-After` date counts from when the
    /// answer has no `Date`.
    #[allow(clippy::too_many_arguments)]
    pub fn reply(
        &mut self,
        id: u32,
        status: u16,
        redirected: bool,
        body: Body,
        list: &[f64],
        text: &str,
        now: f64,
        wall: f64,
        jitter: f64,
    ) -> Act {
        let mut v = values(list, text);
        let mut string = || match pop(&mut v) {
            Input::Str(s) => Some(s),
            _ => None,
        };
        let text = string().unwrap_or_default();
        let (request_id, retry_after, date) = (string(), string(), string());
        let cut_off = match body {
            Body::Whole => None,
            Body::ConnectionLost => Some(CutOff::Connection),
            Body::DeadlinePassed => Some(CutOff::Deadline),
            Body::Aborted => Some(CutOff::Aborted { timeout: false }),
            Body::AbortedByTimeout => Some(CutOff::Aborted { timeout: true }),
        };
        let reply = Reply { status, body: text, request_id, retry_after, date, wall_ms: wall, redirected, cut_off };
        let a = self.client.on_reply(id, reply, now, jitter);
        self.act(id, a)
    }

    /// The token provider resolved for `ticket` with the value given.
    pub fn token(&mut self, id: u32, ticket: u32, list: &[f64], text: &str, now: f64) -> Act {
        let value = pop(&mut values(list, text));
        let a = self.client.on_token(id, ticket, TokenResult::Value(value), now);
        self.act(id, a)
    }

    /// A text of call `id` (see [`Text`]), computed from the call's own
    /// state: it stays the same until the call moves on, whatever else runs
    /// in between.
    pub fn text(&self, id: u32, which: Text) -> Option<String> {
        let call = self.client.call(id);
        match which {
            Text::Request => call.and_then(Call::request).map(encode),
            Text::Value => call?.value().map(str::to_owned),
            Text::Error => Some(call.and_then(Call::error).map_or_else(|| unknown_call().to_json(), Error::to_json)),
            Text::Event => call?.event_json(),
        }
    }

    /// `text` without any secret of call `id` nor any card number, for what
    /// the driver passes on from elsewhere (a fetch error's message).
    pub fn scrub(&self, id: u32, text: &str) -> String {
        match self.client.call(id) {
            Some(call) => call.scrub(text),
            None => crate::engine::secret::redact(text, &[]),
        }
    }

    /// Forgets call `id`.
    pub fn finish(&mut self, id: u32) {
        self.client.finish(id);
        if let Some(slot) = usize::try_from(id).ok().and_then(|i| self.steps.get_mut(i)) {
            *slot = [f64::NAN; 4];
        }
    }
}

/// The MigoError JSON of unusable client options (as [`WasmClient::create`]
/// takes them); none for usable ones.
#[wasm_bindgen(js_name = optionsError)]
pub fn options_error(list: &[f64], text: &str) -> Option<String> {
    client(list, text).err().map(|e| e.to_json())
}

/// The core's client for the options' values.
fn client(list: &[f64], text: &str) -> Result<Client, Error> {
    let mut v = values(list, text);
    if !matches!(pop(&mut v), Input::Other("object")) {
        return Err(Error::config("options", "new MigoClient(options) needs an options object"));
    }
    // Fields are evaluated in the order written: `options` order.
    let mut next = || Some(pop(&mut v));
    let config = ConfigInput {
        environment: next(),
        base_url: next(),
        application_id: next(),
        client_id: next(),
        max_retries: next(),
        timeout_ms: next(),
    };
    Client::new(&ClientInput {
        config,
        access_token: next(),
        get_access_token: next(),
        on_request: next(),
        fetch: next(),
    })
}

impl WasmClient {
    /// Calls started and not finished (leak checks; not exported).
    pub fn live_calls(&self) -> u32 {
        self.client.live_calls() as u32
    }
}

/// What a call id the core does not know gives.
fn unknown_call() -> Error {
    Error::config("this", "this call is not known to the client")
}

fn encode(r: &Request) -> String {
    let headers = r.headers();
    let body = r.body().unwrap_or("");
    // Room for the method, URL and headers of a request with a token of up
    // to ~300 bytes; a longer one costs a reallocation.
    let mut out = String::with_capacity(512 + body.len());
    out.push_str(r.method.as_str());
    out.push('\n');
    r.url_into(&mut out);
    out.push('\n');
    out.push_str(body);
    for (name, value) in headers {
        out.push('\n');
        out.push_str(name);
        out.push('\n');
        out.push_str(value);
    }
    out
}

/// The hosted card-activation webview URL from the values of `userId`,
/// `client` and `environment`; an error comes out as MigoError JSON, which
/// starts with `{` where a URL never does.
#[wasm_bindgen(js_name = activationUrl)]
pub fn activation_url(list: &[f64], text: &str) -> String {
    let mut v = values(list, text);
    let (user_id, client, environment) = (pop(&mut v), pop(&mut v), pop(&mut v));
    activation::activation_url(&user_id, &client, &environment).unwrap_or_else(|e| e.to_json())
}

/// The card-number verification `linkCard` applies to the value given. Never throws.
#[wasm_bindgen(js_name = isValidCardNumber)]
pub fn is_valid_card_number(list: &[f64], text: &str) -> bool {
    validate::card_number(&pop(&mut values(list, text))).is_ok()
}
