//! A client: its validated options, its token, and its calls in flight,
//! addressed by id (as quinn's `Endpoint` owns its connections), so a
//! driver holds numbers, not objects.

#[allow(unused_imports)]
use crate::prelude::*;

use super::call::{Action, Call, CallInput, Context, Reply, TokenResult, Transport};
use super::config::{self, Config, ConfigInput};
use super::endpoints::{Endpoint, Param};
use super::error::Error;
use super::input::Input;
use super::json::json_string_into;
use super::token::{Source, Tokens};
use super::validate;

/// The options of `new MigoClient(options)`, as the driver read them.
#[derive(Clone, Debug, Default)]
pub struct ClientInput {
    pub config: ConfigInput,
    pub access_token: Option<Input>,
    pub get_access_token: Option<Input>,
    pub on_request: Option<Input>,
    pub fetch: Option<Input>,
}

/// The client options in the order a driver passes them (after one value
/// for the options argument itself): the order [`ClientInput`]'s fields are
/// filled in by the skins.
pub const OPTIONS: [&str; 10] = [
    "environment",
    "baseUrl",
    "applicationId",
    "clientId",
    "maxRetries",
    "timeoutMs",
    "accessToken",
    "getAccessToken",
    "onRequest",
    "fetch",
];

pub type CallId = u32;

#[derive(Debug)]
pub struct Client {
    cx: Context,
    calls: Vec<Option<Call>>,
    free: Vec<CallId>,
}

/// Whether an optional callback option is absent, null or a function.
fn function_or_absent(input: &Option<Input>) -> bool {
    matches!(input, None | Some(Input::Absent | Input::Null | Input::Other("function")))
}

impl Client {
    /// Validates the options; the error names the option at fault.
    pub fn new(input: &ClientInput) -> Result<Client, Error> {
        let config = Config::from_input(&input.config)?;
        let token = input.access_token.as_ref().unwrap_or(&Input::Absent);
        let provider = input.get_access_token.as_ref().unwrap_or(&Input::Absent);
        let source = match (token, provider) {
            (t, p) if !t.is_missing() && !p.is_missing() => {
                return Err(Error::config("accessToken", "give accessToken or getAccessToken, not both"))
            }
            (Input::Other("function"), _) => {
                return Err(Error::config(
                    "accessToken",
                    "accessToken must be a string; use getAccessToken for a function",
                ))
            }
            (_, Input::Other("function")) => Source::Provider,
            (_, p) if !p.is_missing() => {
                return Err(Error::config("getAccessToken", "getAccessToken must be a function"))
            }
            (t, _) => Source::Fixed(config::access_token(t)?),
        };
        // Only checked: the driver calls them, the core never needs to know.
        // The error is made here, once (made in the check, each `?` would move it).
        let bad = if !function_or_absent(&input.on_request) {
            "onRequest"
        } else if !function_or_absent(&input.fetch) {
            "fetch"
        } else {
            ""
        };
        if !bad.is_empty() {
            return Err(validate::says_as(Error::config, bad, " must be a function"));
        }
        Ok(Client { cx: Context { config, tokens: Tokens::new(source) }, calls: Vec::new(), free: Vec::new() })
    }

    pub fn config(&self) -> &Config {
        &self.cx.config
    }

    /// Starts a call; `has_fetch` says whether a fetch function exists at
    /// all (the option or a global one). Bad arguments make a call whose
    /// first action is [`Action::Fail`].
    pub fn start(
        &mut self,
        endpoint: &'static Endpoint,
        inputs: &[(Param, Input)],
        input: &CallInput,
        has_fetch: bool,
    ) -> CallId {
        let call = Call::start(endpoint, &self.cx.config, inputs, input, has_fetch);
        // A freed id is always a slot of `calls`; `get_mut` says so without
        // a panic site (an index kept one, with its message and location).
        if let Some(id) = self.free.pop() {
            if let Some(slot) = self.calls.get_mut(id as usize) {
                *slot = Some(call);
                return id;
            }
        }
        self.calls.push(Some(call));
        (self.calls.len() - 1) as CallId
    }

    /// The call `id`, while it has not been finished.
    pub fn call(&self, id: CallId) -> Option<&Call> {
        self.calls.get(id as usize).and_then(Option::as_ref)
    }

    /// Runs `f` on call `id` with the shared context; an unknown id (a
    /// driver bug) fails instead of panicking.
    fn with(&mut self, id: CallId, f: impl FnOnce(&mut Call, &mut Context) -> Action) -> Action {
        match self.calls.get_mut(id as usize).and_then(Option::as_mut) {
            Some(call) => f(call, &mut self.cx),
            None => Action::Fail,
        }
    }

    pub fn next(&mut self, id: CallId, now: f64) -> Action {
        self.with(id, |c, cx| c.next(now, cx))
    }

    pub fn on_reply(&mut self, id: CallId, reply: Reply, now: f64, jitter: f64) -> Action {
        self.with(id, |c, cx| c.on_reply(reply, now, jitter, cx))
    }

    pub fn on_transport(&mut self, id: CallId, what: Transport, now: f64, jitter: f64) -> Action {
        self.with(id, |c, cx| c.on_transport(what, now, jitter, cx))
    }

    pub fn on_timeout(&mut self, id: CallId, now: f64, jitter: f64) -> Action {
        self.with(id, |c, cx| c.on_timeout(now, jitter, cx))
    }

    pub fn on_abort(&mut self, id: CallId, timeout: bool, sent: bool, now: f64) -> Action {
        self.with(id, |c, _| c.on_abort(timeout, sent, now))
    }

    pub fn on_token(&mut self, id: CallId, ticket: u32, result: TokenResult, now: f64) -> Action {
        self.with(id, |c, cx| c.on_token(ticket, result, now, cx))
    }

    /// Forgets call `id`; its id is reused.
    pub fn finish(&mut self, id: CallId) {
        if let Some(slot @ Some(_)) = self.calls.get_mut(id as usize) {
            *slot = None;
            self.free.push(id);
        }
    }

    /// Calls not yet finished (for leak checks).
    pub fn live_calls(&self) -> usize {
        self.calls.len() - self.free.len()
    }

    /// The `onRequest` event of call `id`'s last attempt ([`Call::event_json`]).
    pub fn event_json(&self, id: CallId) -> Option<String> {
        self.call(id)?.event_json()
    }

    /// `{environment, baseUrl, applicationId?}`: what `toJSON` shows, no secret.
    pub fn summary_json(&self) -> String {
        let c = &self.cx.config;
        let mut out = String::from("{\"environment\":");
        json_string_into(c.environment.as_str(), &mut out);
        out.push_str(",\"baseUrl\":");
        json_string_into(&c.base_url, &mut out);
        if let Some(app) = &c.application_id {
            out.push_str(",\"applicationId\":");
            json_string_into(app, &mut out);
        }
        out.push('}');
        out
    }
}
