//! The JavaScript skin: what moves numbers and strings between the JS driver
//! (`js/api.js`) and [`crate::core`]. No rule lives here, no JS object is
//! touched, and nothing here can panic on what JavaScript passes: every
//! value arrives as a tag with its string or number.
//!
//! This file is the skin as Rust functions (what tests/wasm.rs drives);
//! [`abi`] exports them to JavaScript as plain wasm functions of numbers,
//! with strings in linear memory (js/load/glue.js is the other side).
//!
//! Inputs cross by [`push`]: the driver pushes each argument, then the call
//! that consumes them ([`Core::new`], [`Core::start`], [`activation_url`])
//! pops them in the order [`describe`] gives.

#[allow(unused_imports)]
use crate::prelude::*;

pub mod abi;
#[cfg(feature = "bench")]
pub(crate) mod bench;

use core::cell::RefCell;

use crate::core::activation;
use crate::core::call::{Action, CallInput, Reply, SignalInput, TokenResult, Transport};
use crate::core::client::{Client, ClientInput};
use crate::core::config::ConfigInput;
use crate::core::endpoints::{JsArg, ENDPOINTS};
use crate::core::error::Error;
use crate::core::input::{Input, TAGS};
use crate::core::request::{json_string_into, Request};
use crate::core::validate;

/// The pushed arguments. wasm32 without the atomics feature has one thread,
/// so a plain static serves (no `thread_local!` without std).
struct Pushed(RefCell<Vec<Input>>);
// SAFETY: this module is built for wasm32 without threads (checked below;
// lib.rs's allocator has the same condition), so the static is never shared.
unsafe impl Sync for Pushed {}
#[cfg(target_feature = "atomics")]
compile_error!("the wasm exports keep their pushed arguments in a static: a threaded build needs a thread-local");
static PUSHED: Pushed = Pushed(RefCell::new(Vec::new()));

/// Pushes one argument for the next consuming call.
pub fn push(tag: u8, text: Option<String>, number: f64) {
    PUSHED.0.borrow_mut().push(Input::from_tag(tag, text, number));
}

/// Takes everything pushed, in push order.
fn take() -> Vec<Input> {
    core::mem::take(&mut *PUSHED.0.borrow_mut())
}

/// Action codes, in [`describe`]'s `actions` order.
const ACTIONS: [&str; 6] = ["send", "wait", "fetchToken", "awaitToken", "done", "fail"];
/// Transport failures, in [`describe`]'s `transport` order.
const TRANSPORT: [&str; 3] = ["network", "notSent", "badResponse"];

/// What the driver needs to know of the core, as JSON: the value tags, the
/// client options, the action and transport codes, and every operation's
/// JS name with its arguments (a parameter name, or a list of property names
/// for an object argument), straight from the endpoint table.
pub fn describe() -> String {
    let list = |names: &[&str], out: &mut String| {
        out.push('[');
        for (i, n) in names.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_string_into(n, out);
        }
        out.push(']');
    };
    let mut out = String::from("{\"tags\":");
    list(&TAGS, &mut out);
    out.push_str(",\"options\":");
    list(&crate::core::client::OPTIONS, &mut out);
    out.push_str(",\"actions\":");
    list(&ACTIONS, &mut out);
    out.push_str(",\"transport\":");
    list(&TRANSPORT, &mut out);
    out.push_str(",\"operations\":[");
    for (i, ep) in ENDPOINTS.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        json_string_into(ep.name, &mut out);
        out.push_str(",[");
        for (j, arg) in ep.args.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            match arg {
                JsArg::One(p) => json_string_into(p.field(), &mut out),
                JsArg::Fields(ps) => list(&ps.iter().map(|p| p.field()).collect::<Vec<_>>(), &mut out),
            }
        }
        out.push_str("]]");
    }
    out.push_str("]}");
    out
}

/// An action's code: its index in [`ACTIONS`].
pub(super) const fn action_code(a: Action) -> u8 {
    match a {
        Action::Send { .. } => 0,
        Action::Wait { .. } => 1,
        Action::FetchToken { .. } => 2,
        Action::AwaitToken { .. } => 3,
        Action::Done => 4,
        Action::Fail => 5,
    }
}

/// A client's core: its options, token and calls. `MigoClient` in
/// `js/api.js` owns one (through a handle, see [`abi`]).
pub struct Core {
    client: Result<Client, Error>,
    /// The last action's time and ticket, read right after it is returned.
    deadline: f64,
    ticket: u32,
}

impl Core {
    /// Pops the client options pushed in `options` order (after one value
    /// for the options argument itself).
    pub fn new() -> Core {
        let mut pushed = take().into_iter();
        let mut next = || pushed.next();
        let options = next().unwrap_or(Input::Absent);
        let client = if matches!(options, Input::Other("object")) {
            // Fields are evaluated in the order written: `OPTIONS` order.
            let input = ClientInput {
                config: ConfigInput {
                    environment: next(),
                    base_url: next(),
                    application_id: next(),
                    client_id: next(),
                    max_retries: next(),
                    timeout_ms: next(),
                },
                access_token: next(),
                get_access_token: next(),
                on_request: next(),
                fetch: next(),
            };
            Client::new(&input)
        } else {
            Err(Error::config("options", "new MigoClient(options) needs an options object"))
        };
        Core { client, deadline: 0.0, ticket: 0 }
    }

    /// The error of unusable options, as MigoError JSON; `undefined` when fine.
    pub fn config_error(&self) -> Option<String> {
        self.client.as_ref().err().map(Error::to_json)
    }

    /// `{environment, baseUrl, applicationId?}`.
    pub fn summary(&self) -> String {
        self.client.as_ref().map(Client::summary_json).unwrap_or_default()
    }

    /// Starts operation `op` (its index in `operations`) with its arguments
    /// pushed in order, and the call options as tags and numbers. Returns the
    /// call id. `has_fetch`: a fetch function exists.
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        &mut self,
        op: u8,
        has_fetch: bool,
        options: u8,
        retries_tag: u8,
        retries: f64,
        timeout_tag: u8,
        timeout: f64,
        signal: u8,
    ) -> u32 {
        let pushed = take();
        let (Ok(client), Some(ep)) = (self.client.as_mut(), ENDPOINTS.get(usize::from(op))) else {
            return u32::MAX;
        };
        // Each parameter with its value, in push order (plain loops: the
        // chained flat_map and zip were 0.1 KB more of the module).
        let mut values = pushed.into_iter();
        let mut inputs = Vec::new();
        for arg in ep.args {
            let params = match arg {
                JsArg::One(p) => core::slice::from_ref(p),
                JsArg::Fields(ps) => ps,
            };
            for p in params {
                inputs.push((*p, values.next().unwrap_or(Input::Absent)));
            }
        }
        let input = CallInput {
            options: Input::from_tag(options, None, 0.0),
            max_retries: Input::from_tag(retries_tag, None, retries),
            timeout_ms: Input::from_tag(timeout_tag, None, timeout),
            signal: SignalInput::from_tag(signal),
        };
        client.start(ep, &inputs, &input, has_fetch)
    }

    fn act(&mut self, a: Action) -> u8 {
        match a {
            Action::Send { deadline } | Action::Wait { until: deadline } => self.deadline = deadline,
            Action::FetchToken { ticket, deadline } | Action::AwaitToken { ticket, deadline } => {
                self.deadline = deadline;
                self.ticket = ticket;
            }
            Action::Done | Action::Fail => {}
        }
        action_code(a)
    }

    fn drive(&mut self, f: impl FnOnce(&mut Client) -> Action) -> u8 {
        let a = match self.client.as_mut() {
            Ok(c) => f(c),
            Err(_) => Action::Fail,
        };
        self.act(a)
    }

    /// What call `id` does now (an action code).
    pub fn next(&mut self, id: u32, now: f64) -> u8 {
        self.drive(|c| c.next(id, now))
    }

    /// The last action's time (epoch ms): a deadline or the end of a wait.
    pub fn deadline(&self) -> f64 {
        self.deadline
    }

    /// The last token action's ticket.
    pub fn ticket(&self) -> u32 {
        self.ticket
    }

    /// The request to send, as lines: method, URL, body (empty for none),
    /// then header names and values alternating.
    pub fn request(&self, id: u32) -> String {
        self.client.as_ref().ok().and_then(|c| c.call(id)).and_then(|c| c.request()).map(encode).unwrap_or_default()
    }

    #[allow(clippy::too_many_arguments)]
    pub fn on_reply(
        &mut self,
        id: u32,
        status: u16,
        body: String,
        request_id: Option<String>,
        retry_after: Option<String>,
        redirected: bool,
        now: f64,
        jitter: f64,
    ) -> u8 {
        let reply = Reply { status, body, request_id, retry_after, redirected };
        self.drive(|c| c.on_reply(id, reply, now, jitter))
    }

    /// The attempt failed without a reply (`transport` order).
    pub fn on_transport(&mut self, id: u32, what: u8, now: f64, jitter: f64) -> u8 {
        let what = match what {
            1 => Transport::NotSent,
            2 => Transport::BadResponse,
            _ => Transport::Network,
        };
        self.drive(|c| c.on_transport(id, what, now, jitter))
    }

    pub fn on_timeout(&mut self, id: u32, now: f64, jitter: f64) -> u8 {
        self.drive(|c| c.on_timeout(id, now, jitter))
    }

    pub fn on_abort(&mut self, id: u32, timeout: bool, now: f64) -> u8 {
        self.drive(|c| c.on_abort(id, timeout, now))
    }

    /// The provider settled for `ticket`: `how` 0 resolved (the value as a
    /// tag with its string), 1 rejected, 2 threw.
    #[allow(clippy::too_many_arguments)]
    pub fn on_token(&mut self, id: u32, ticket: u32, how: u8, tag: u8, text: Option<String>, now: f64) -> u8 {
        let result = match how {
            0 => TokenResult::Value(Input::from_tag(tag, text, f64::NAN)),
            1 => TokenResult::Rejected,
            _ => TokenResult::Threw,
        };
        self.drive(|c| c.on_token(id, ticket, result, now))
    }

    /// The value of a finished call: JSON text, `undefined` for no body.
    pub fn value(&self, id: u32) -> Option<String> {
        self.client.as_ref().ok()?.call(id)?.value().map(str::to_owned)
    }

    /// Where the value lies in the body the driver passed to `onReply`, as
    /// JS string indices `start * 2^32 + end`; -1 when it is not a part of
    /// it (then `value`). One number, so that no array crosses.
    pub fn value_span(&self, id: u32) -> f64 {
        let span = self.client.as_ref().ok().and_then(|c| c.call(id)).and_then(|c| c.value_span());
        match span {
            Some((s, e)) if s <= u32::MAX as usize && e <= u32::MAX as usize => (s as f64) * 4_294_967_296.0 + e as f64,
            _ => -1.0,
        }
    }

    /// The error of a failed call, as MigoError JSON.
    pub fn error(&self, id: u32) -> String {
        let call = self.client.as_ref().ok().and_then(|c| c.call(id));
        match (call.and_then(|c| c.error()), &self.client) {
            (Some(e), _) => e.to_json(),
            (None, Err(e)) => e.to_json(),
            (None, Ok(_)) => unknown_call().to_json(),
        }
    }

    /// The `onRequest` event of the call's last attempt, as JSON.
    pub fn event(&self, id: u32) -> Option<String> {
        self.client.as_ref().ok()?.event_json(id)
    }

    /// `text` without any secret of call `id` nor any card number, for what
    /// the driver passes on from elsewhere (a fetch error's message).
    pub fn scrub(&self, id: u32, text: &str) -> String {
        match self.client.as_ref().ok().and_then(|c| c.call(id)) {
            Some(call) => call.scrub(text),
            None => crate::core::secret::redact(text, &[]),
        }
    }

    /// Forgets call `id`.
    pub fn finish(&mut self, id: u32) {
        if let Ok(c) = self.client.as_mut() {
            c.finish(id);
        }
    }

    /// Calls started and not finished (leak checks in tests/wasm.rs; not exported).
    pub fn live(&self) -> u32 {
        self.client.as_ref().map_or(0, |c| c.live_calls() as u32)
    }
}

impl Default for Core {
    fn default() -> Self {
        Core::new()
    }
}

/// What a call id or client handle the core does not know gives.
fn unknown_call() -> Error {
    Error::config("this", "this call is not known to the client")
}

fn encode(r: &Request) -> String {
    let headers = r.headers();
    let body = r.body().unwrap_or("");
    let size = 160 + body.len() + headers.iter().map(|(n, v)| n.len() + v.len() + 2).sum::<usize>();
    let mut out = String::with_capacity(size);
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

/// The hosted card-activation webview URL, from the three values pushed
/// (`userId`, `client`, `environment`); an error comes back as MigoError
/// JSON, which starts with `{` where a URL never does.
pub fn activation_url() -> String {
    let mut pushed = take().into_iter();
    let mut next = || pushed.next().unwrap_or(Input::Absent);
    let (user_id, client, environment) = (next(), next(), next());
    activation::activation_url(&user_id, &client, &environment).unwrap_or_else(|e| e.to_json())
}

/// The card-number verification `linkCard` applies. Never throws.
pub fn is_valid_card_number(tag: u8, text: Option<String>) -> bool {
    validate::card_number(&Input::from_tag(tag, text, f64::NAN)).is_ok()
}
