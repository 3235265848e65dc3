//! One call of an operation, from validated arguments to its value or its
//! error, as a state machine that does no I/O (the shape of quinn-proto's
//! `Connection` and h11: the protocol object decides, a driver moves bytes
//! and time).
//!
//! The driver asks [`Call::next`] what to do and performs the [`Action`]:
//! send the request, wait until a time, call the token provider, or hand
//! over the value or the error. It reports what happened with the `on_*`
//! methods. Every rule lives here: counting attempts, the outcome across
//! attempts, when and how long to wait for a token, the per-attempt and
//! token-wait deadlines (absolute, in the driver's monotonic clock, ms: a
//! step of the wall clock moves none of them), backoff
//! with a random part the driver passes in, `Retry-After`, token refresh,
//! and every field of the final error. The call never reads a clock or a
//! random source itself.

#[allow(unused_imports)]
use crate::prelude::*;

use super::config::{CallOptions, Config};
use super::endpoints::Endpoint;
use super::endpoints::RetryClass;
use super::error::{Error, ErrorKind, Outcome};
use super::input::Input;
use super::json;
use super::json::json_string_into;
use super::request::{self, Args, Request};
pub use super::response::CutOff;
use super::response::{self, Body, Raw};
use super::retry::{self, Decision, Failure};
use super::secret::{Scrubber, Secret};
use super::token::{Acquire, Tokens};
use super::validate::{self, MAX_ACCESS_TOKEN_BYTES};

/// What the calls of one client share: its options and its token.
#[derive(Clone, Debug)]
pub struct Context {
    pub config: Config,
    pub tokens: Tokens,
}

/// What the driver does next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    /// Send [`Call::request`]; report the reply, a transport failure, or
    /// `on_timeout` once `deadline` passes.
    Send { deadline: f64 },
    /// Nothing to do before `until` (backoff): then call `next` again.
    Wait { until: f64 },
    /// Call the token provider and report its result for `ticket`; give up
    /// with `on_timeout` at `deadline`.
    FetchToken { ticket: u32, deadline: f64 },
    /// Another call is fetching `ticket`: wait for that same result.
    AwaitToken { ticket: u32, deadline: f64 },
    /// The call succeeded: [`Call::value`].
    Done,
    /// The call failed: [`Call::error`].
    Fail,
}

/// An answer from the gateway, as the transport saw it.
#[derive(Clone, Debug, Default)]
pub struct Reply {
    /// HTTP status; 0 for a redirect the transport would not follow
    /// (`fetch`'s `opaqueredirect`).
    pub status: u16,
    pub body: String,
    pub request_id: Option<String>,
    pub retry_after: Option<String>,
    /// The `Date` header: the gateway's clock, what a `Retry-After` date
    /// counts from (RFC 9110 §10.2.3).
    pub date: Option<String>,
    /// The client's wall clock (Unix epoch ms) as the answer arrived: what a
    /// `Retry-After` date counts from when `date` is missing or unreadable.
    /// Deadlines never use it: a step of the wall clock must move none.
    pub wall_ms: f64,
    /// The transport followed a redirect although told not to.
    pub redirected: bool,
    /// The body did not arrive whole after the status and headers did:
    /// `body` is what there is of it (nothing, from a JS driver).
    pub cut_off: Option<CutOff>,
}

/// How an attempt ended without a reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// The request failed (connection refused or reset, DNS, CORS, ...).
    Network,
    /// `fetch` threw before sending anything.
    NotSent,
    /// `fetch` gave something that is not a readable response.
    BadResponse,
}

/// What the token provider gave for a ticket.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenResult {
    Value(Input),
    Rejected,
    Threw,
}

/// The caller's `signal`, as the driver found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignalInput {
    Absent,
    Live,
    /// Already aborted; `timeout` when its reason is a `TimeoutError`.
    Aborted {
        timeout: bool,
    },
    /// Not an `AbortSignal`: the JS type name.
    Invalid(&'static str),
}

/// The per-call options argument, as the driver read it.
#[derive(Clone, Debug, PartialEq)]
pub struct CallInput {
    /// The options argument itself: absent, null or an object are fine.
    pub options: Input,
    pub max_retries: Input,
    pub timeout_ms: Input,
    pub signal: SignalInput,
}

impl SignalInput {
    /// The `signal` a driver sent as an [`Input`] tag (see [`super::input::TAGS`]).
    pub fn from_tag(tag: u8) -> SignalInput {
        // By index, as `Input::from_tag` (tested against the names there and
        // in call_tests.rs).
        match tag {
            0 | 1 => SignalInput::Absent,
            12 => SignalInput::Live,
            13 => SignalInput::Aborted { timeout: false },
            14 => SignalInput::Aborted { timeout: true },
            _ => SignalInput::Invalid(Input::from_tag(tag, None, 0.0).type_name()),
        }
    }
}

impl Default for CallInput {
    fn default() -> Self {
        CallInput {
            options: Input::Absent,
            max_retries: Input::Absent,
            timeout_ms: Input::Absent,
            signal: SignalInput::Absent,
        }
    }
}

/// How one attempt ended, for `onRequest`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptResult {
    Response,
    Network,
    Timeout,
    Aborted,
}

impl AttemptResult {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptResult::Response => "response",
            AttemptResult::Network => "network",
            AttemptResult::Timeout => "timeout",
            AttemptResult::Aborted => "aborted",
        }
    }
}

/// One finished attempt, as `onRequest` is told of it ([`Call::event_json`]).
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptEvent {
    pub attempt: u32,
    pub result: AttemptResult,
    pub status: Option<u16>,
    /// As the gateway sent it: scrubbed only when shown.
    request_id: Option<String>,
    pub duration_ms: f64,
}

/// A successful call's value.
#[derive(Clone, Debug)]
enum Value {
    /// No body: JS `undefined`.
    Empty,
    /// JSON text the core wrote (numbers made exact).
    Text(String),
    /// JSON text as the gateway sent it: `body[start..end]`.
    InBody { body: String, start: usize, end: usize },
}

#[derive(Clone, Debug)]
enum State {
    /// About to get a token, then send.
    NeedToken,
    WaitingToken {
        ticket: u32,
        deadline: f64,
    },
    InFlight {
        deadline: f64,
    },
    Backoff {
        until: f64,
    },
    Done(Value),
    Failed(Error),
}

#[derive(Clone, Debug)]
pub struct Call {
    endpoint: &'static Endpoint,
    args: Args,
    options: CallOptions,
    state: State,
    /// Requests sent so far.
    attempts: u32,
    /// Failed attempts counted against `max_retries` (a token refresh is not).
    retries: u32,
    refreshed: bool,
    /// What the attempts so far may have done on the gateway.
    so_far: Outcome,
    /// The failure that first left the outcome unknown.
    first_unknown: Option<Error>,
    /// The token generation of the current attempt, and the one the gateway
    /// refused as expired.
    generation: u32,
    stale: Option<u32>,
    /// Every token this call has sent, scrubbed from what comes back.
    tokens: Vec<Secret<String>>,
    request: Option<Request>,
    sent_at: f64,
    event: Option<AttemptEvent>,
}

/// The error of a state conflict (`409`, `7213` INVALID_STATUS_CARD or `7210`
/// CARD_NOT_UPDATED): what the gateway answers when the state a call sets is
/// already there, for example because an earlier attempt of the same call set it.
fn is_state_conflict(e: &Error) -> bool {
    e.kind == ErrorKind::Api && (e.status == Some(409) || matches!(e.code.as_deref(), Some("7213" | "7210")))
}

impl Call {
    /// Validates the arguments and options (in that order); a call that
    /// fails here sends nothing and its first action is [`Action::Fail`].
    pub fn start(
        endpoint: &'static Endpoint,
        config: &Config,
        inputs: &[(super::endpoints::Param, Input)],
        input: &CallInput,
        has_fetch: bool,
    ) -> Call {
        // Built in its place, in one struct literal: filling in a default
        // call and then its fields would copy the whole (large) call again.
        let mut args = Args::default();
        let (options, state) = match Self::prepare(&mut args, endpoint, config, inputs, input, has_fetch) {
            Ok(options) => (options, State::NeedToken),
            Err(e) => {
                // A call refused here holds no argument (nor any secret).
                args = Args::default();
                (CallOptions { max_retries: config.max_retries, timeout_ms: config.timeout_ms }, State::Failed(e))
            }
        };
        Call {
            endpoint,
            args,
            options,
            state,
            attempts: 0,
            retries: 0,
            refreshed: false,
            so_far: Outcome::NotSent,
            first_unknown: None,
            generation: 0,
            stale: None,
            tokens: Vec::new(),
            request: None,
            sent_at: 0.0,
            event: None,
        }
    }

    fn prepare(
        args: &mut Args,
        endpoint: &'static Endpoint,
        config: &Config,
        inputs: &[(super::endpoints::Param, Input)],
        input: &CallInput,
        has_fetch: bool,
    ) -> Result<CallOptions, Error> {
        args.fill(endpoint, config, inputs)?;
        if !matches!(input.options, Input::Absent | Input::Null | Input::Other("object")) {
            return Err(Error::validation("options", "the options argument must be an object"));
        }
        let options = CallOptions::resolve(config, &input.max_retries, &input.timeout_ms)?;
        match input.signal {
            SignalInput::Invalid(_) => return Err(Error::validation("signal", "signal must be an AbortSignal")),
            SignalInput::Aborted { timeout } => return Err(aborted(timeout)),
            SignalInput::Absent | SignalInput::Live => {}
        }
        if !has_fetch {
            return Err(Error::config(
                "fetch",
                "no fetch function: this runtime has no global fetch; pass one as the client's `fetch` option",
            ));
        }
        Ok(options)
    }

    /// What to do now.
    pub fn next(&mut self, now: f64, cx: &mut Context) -> Action {
        loop {
            match &self.state {
                State::NeedToken => {
                    let deadline = now + f64::from(self.options.timeout_ms);
                    match cx.tokens.acquire(self.stale, now, deadline) {
                        Acquire::Ready { token, generation } => return self.send(token, generation, now, &cx.config),
                        Acquire::Fetch { ticket } => {
                            self.state = State::WaitingToken { ticket, deadline };
                            return Action::FetchToken { ticket, deadline };
                        }
                        Acquire::Join { ticket } => {
                            self.state = State::WaitingToken { ticket, deadline };
                            return Action::AwaitToken { ticket, deadline };
                        }
                    }
                }
                State::WaitingToken { ticket, deadline } => {
                    return Action::AwaitToken { ticket: *ticket, deadline: *deadline }
                }
                // Called while an attempt is out: nothing to do but wait for it.
                State::InFlight { deadline } => return Action::Wait { until: *deadline },
                State::Backoff { until } if now < *until => return Action::Wait { until: *until },
                State::Backoff { .. } => self.state = State::NeedToken,
                State::Done(_) => return Action::Done,
                State::Failed(_) => return Action::Fail,
            }
        }
    }

    fn send(&mut self, token: Secret<String>, generation: u32, now: f64, config: &Config) -> Action {
        match request::build(self.endpoint, &self.args, config, &token) {
            Ok(req) => {
                if !self.tokens.contains(&token) {
                    self.tokens.push(token);
                }
                self.generation = generation;
                self.request = Some(req);
                self.attempts += 1;
                self.sent_at = now;
                let deadline = now + f64::from(self.options.timeout_ms);
                self.state = State::InFlight { deadline };
                Action::Send { deadline }
            }
            Err(e) => self.fail(e),
        }
    }

    /// The request to send for [`Action::Send`].
    pub fn request(&self) -> Option<&Request> {
        self.request.as_ref()
    }

    /// The value of a successful call: JSON text, or `None` for no body.
    pub fn value(&self) -> Option<&str> {
        match &self.state {
            State::Done(Value::Text(t)) => Some(t),
            State::Done(Value::InBody { body, start, end }) => body.get(*start..*end),
            _ => None,
        }
    }

    /// Where [`Call::value`] lies in the reply's body, in UTF-16 code units
    /// (JS string indices), when it is a part of it unchanged: a driver that
    /// still holds the body slices it instead of copying the value out.
    pub fn value_span(&self) -> Option<(usize, usize)> {
        let State::Done(Value::InBody { body, start, end }) = &self.state else { return None };
        let units = |s: &str| if s.is_ascii() { s.len() } else { utf16_len(s) };
        let before = units(body.get(..*start)?);
        Some((before, before + units(body.get(*start..*end)?)))
    }

    /// The error of a failed call.
    pub fn error(&self) -> Option<&Error> {
        match &self.state {
            State::Failed(e) => Some(e),
            _ => None,
        }
    }

    /// The attempt that ended last, for `onRequest`.
    pub fn event(&self) -> Option<&AttemptEvent> {
        self.event.as_ref()
    }

    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Scrubs `text` of every secret of this call (arguments and tokens)
    /// and of any full card number.
    pub fn scrub(&self, text: &str) -> String {
        Scrubber::new(&self.secrets()).scrub(text).into_owned()
    }

    /// The call's secrets, however many: its secret arguments (a card number,
    /// a view token, a PIN) and every token it sent.
    fn secrets(&self) -> Vec<&str> {
        // Two plain loops: smaller than `collect()` and `extend(..map(..))`.
        let mut out = Vec::new();
        for s in self.args.secrets() {
            out.push(s);
        }
        for t in &self.tokens {
            out.push(t.expose().as_str());
        }
        out
    }

    /// The `onRequest` event of the last attempt, as JSON:
    /// `{operation, method, url, attempt, result, status?, requestId?, durationMs}`,
    /// the URL's secret query values shown as `***` and the request id scrubbed.
    pub fn event_json(&self) -> Option<String> {
        let (event, request) = (self.event.as_ref()?, self.request.as_ref()?);
        let mut out = String::from("{\"operation\":");
        json_string_into(self.endpoint.name, &mut out);
        out.push_str(",\"method\":");
        json_string_into(request.method.as_str(), &mut out);
        out.push_str(",\"url\":");
        json_string_into(&request.redacted_url(), &mut out);
        out.push_str(",\"attempt\":");
        super::text::push_decimal(&mut out, u64::from(event.attempt));
        out.push_str(",\"result\":");
        json_string_into(event.result.as_str(), &mut out);
        if let Some(s) = event.status {
            out.push_str(",\"status\":");
            super::text::push_decimal(&mut out, u64::from(s));
        }
        if let Some(id) = &event.request_id {
            out.push_str(",\"requestId\":");
            json_string_into(&self.scrub(id), &mut out);
        }
        out.push_str(",\"durationMs\":");
        // Whole milliseconds: the driver's monotonic clock has fractions.
        super::text::push_decimal(&mut out, event.duration_ms as u64);
        out.push('}');
        Some(out)
    }

    fn in_flight(&self) -> bool {
        matches!(self.state, State::InFlight { .. })
    }

    fn record(&mut self, result: AttemptResult, now: f64, status: Option<u16>, request_id: Option<String>) {
        self.event = Some(AttemptEvent {
            attempt: self.attempts,
            result,
            status,
            request_id,
            duration_ms: (now - self.sent_at).max(0.0),
        });
    }

    /// The gateway answered the attempt in flight.
    pub fn on_reply(&mut self, reply: Reply, now: f64, jitter: f64, cx: &mut Context) -> Action {
        if !self.in_flight() {
            return self.next(now, cx);
        }
        let result = match reply.cut_off {
            None => AttemptResult::Response,
            Some(CutOff::Connection) => AttemptResult::Network,
            Some(CutOff::Deadline) => AttemptResult::Timeout,
            Some(CutOff::Aborted { .. }) => AttemptResult::Aborted,
        };
        // Kept as sent: scrubbed when shown (event_json), which few calls need.
        self.record(result, now, Some(reply.status), reply.request_id.clone());
        if reply.redirected || reply.status == 0 || (300..400).contains(&reply.status) {
            return self.fail_attempt(redirect_failure(&reply), now, jitter, cx);
        }
        let secrets = self.secrets();
        let secrets = secrets.as_slice();
        let raw = Raw { status: reply.status, body: &reply.body, request_id: reply.request_id.as_deref() };
        if let Some(how @ CutOff::Aborted { timeout }) = reply.cut_off {
            // The caller ended the call after the gateway replied: an abort,
            // never retried, that keeps what was heard (status, request id).
            let heard = response::cut_off(raw, how, secrets);
            let mut e = aborted(timeout);
            e.message = heard.message.clone();
            e.status = heard.status;
            e.request_id = heard.request_id.clone();
            // A 2xx or 5xx may have acted; a 4xx refused.
            let refused = (400..500).contains(&reply.status);
            e.outcome = if refused { Outcome::Rejected } else { Outcome::Unknown };
            e.retryable = e.retryable && (500..600).contains(&reply.status);
            return self.fail(e);
        }
        let decoded = match reply.cut_off {
            Some(how) => Err(response::cut_off(raw, how, secrets)),
            None => response::decode(raw, secrets),
        };
        let error = match decoded {
            Ok(Body::Empty) => return self.succeed(Value::Empty),
            Ok(Body::Json(alloc::borrow::Cow::Borrowed(text))) => {
                // A slice of the body: kept as a span, not copied. Where it
                // lies, not what it says: comparing the bytes would be a memcmp
                // of the whole value on every success.
                if let Some(r) = json::span_in(&reply.body, text.as_bytes()) {
                    return self.succeed(Value::InBody { body: reply.body, start: r.start, end: r.end });
                }
                return self.succeed(Value::Text(text.to_owned()));
            }
            Ok(Body::Json(text)) => return self.succeed(Value::Text(text.into_owned())),
            Err(e) => e,
        };
        // A 2xx without a readable value (not JSON, or cut off): the gateway acted.
        if error.kind != ErrorKind::Api {
            return self.fail_attempt((Failure::Undecodable, error), now, jitter, cx);
        }
        if retry::refresh_token(&error, cx.tokens.can_refresh(), self.refreshed) {
            // Refused before acting: send the same request with a new token.
            self.refreshed = true;
            self.so_far = self.so_far.then(Outcome::Rejected);
            self.stale = Some(self.generation);
            self.state = State::NeedToken;
            return self.next(now, cx);
        }
        let retry_after = reply
            .retry_after
            .as_deref()
            .and_then(|v| retry::parse_retry_after(v, reply.date.as_deref(), reply.wall_ms));
        let failure = Failure::Status { status: error.status.unwrap_or(0), retry_after_ms: retry_after };
        self.fail_attempt((failure, error), now, jitter, cx)
    }

    /// The attempt in flight ended without a reply.
    pub fn on_transport(&mut self, what: Transport, now: f64, jitter: f64, cx: &mut Context) -> Action {
        if !self.in_flight() {
            return self.next(now, cx);
        }
        self.record(AttemptResult::Network, now, None, None);
        let failure = match what {
            Transport::Network => (
                Failure::Network,
                Error::network("could not reach the Migo gateway (network error or blocked by CORS)"),
            ),
            Transport::BadResponse => {
                (Failure::Network, Error::network("the fetch function did not give a readable Response"))
            }
            Transport::NotSent => {
                // Nothing left the client: a broken fetch, not a gateway problem.
                self.attempts -= 1;
                self.event = None;
                let e = Error::config("fetch", "the fetch function threw before sending the request");
                return self.fail(e);
            }
        };
        self.fail_attempt(failure, now, jitter, cx)
    }

    /// A deadline the call set has passed: the attempt's, or the token wait's.
    pub fn on_timeout(&mut self, now: f64, jitter: f64, cx: &mut Context) -> Action {
        match self.state {
            State::InFlight { .. } => {
                self.record(AttemptResult::Timeout, now, None, None);
                let e = Error::timeout(self.options.timeout_ms);
                self.fail_attempt((Failure::Timeout, e), now, jitter, cx)
            }
            State::WaitingToken { .. } => {
                // Waiting for a token sent nothing (outcome `notSent`), and
                // may work another time.
                let message = cat!("getAccessToken did not settle within ", self.options.timeout_ms, " ms");
                self.fail(Error::of(ErrorKind::Timeout, message, None, None, true, Outcome::NotSent))
            }
            _ => self.next(now, cx),
        }
    }

    /// The caller's signal fired; `timeout` when its reason is a `TimeoutError`.
    /// `sent`: the driver had started sending the request handed out (it
    /// had called `fetch`), else nothing left the client for this attempt.
    pub fn on_abort(&mut self, timeout: bool, sent: bool, now: f64) -> Action {
        match self.state {
            State::Done(_) => Action::Done,
            State::Failed(_) => Action::Fail,
            State::InFlight { .. } if !sent => {
                // Aborted before fetch was called: no attempt, nothing to report.
                self.attempts -= 1;
                self.event = None;
                self.fail(aborted(timeout))
            }
            State::InFlight { .. } => {
                self.record(AttemptResult::Aborted, now, None, None);
                // The request was out: the gateway may have acted.
                self.so_far = self.so_far.then(Outcome::Unknown);
                self.fail(aborted(timeout))
            }
            _ => self.fail(aborted(timeout)),
        }
    }

    /// The token provider settled for `ticket`.
    pub fn on_token(&mut self, ticket: u32, result: TokenResult, now: f64, cx: &mut Context) -> Action {
        if !matches!(self.state, State::WaitingToken { ticket: t, .. } if t == ticket) {
            return self.next(now, cx);
        }
        // The token passes `config::access_token`'s rule (`header_problem`),
        // asked directly: building the refusal that rule gives, only to
        // replace it, would cost code and a copy of the token.
        let token = match result {
            TokenResult::Value(Input::Str(s)) if validate::header_problem(&s, MAX_ACCESS_TOKEN_BYTES).is_none() => {
                Ok(Secret::new(s))
            }
            TokenResult::Value(_) => {
                Err("getAccessToken must resolve to a non-empty string of visible ASCII characters")
            }
            TokenResult::Rejected => Err("getAccessToken rejected"),
            TokenResult::Threw => Err("getAccessToken threw"),
        };
        match token {
            Ok(t) => {
                cx.tokens.resolved(ticket, t);
                self.state = State::NeedToken;
                self.next(now, cx)
            }
            Err(message) => {
                cx.tokens.failed(ticket);
                self.fail(Error::config("getAccessToken", message))
            }
        }
    }

    fn succeed(&mut self, value: Value) -> Action {
        self.state = State::Done(value);
        Action::Done
    }

    /// Ends the call with `e`, stamped with what the attempts amount to.
    fn fail(&mut self, mut e: Error) -> Action {
        e.attempts = self.attempts;
        e.outcome = self.so_far.then(e.outcome);
        self.state = State::Failed(e);
        Action::Fail
    }

    /// One attempt failed: retry as `engine::retry` decides, or give up.
    fn fail_attempt(&mut self, (failure, error): (Failure, Error), now: f64, jitter: f64, cx: &mut Context) -> Action {
        let outcome = retry::outcome(failure);
        if outcome == Outcome::Rejected && self.endpoint.retry == RetryClass::SetsState && is_state_conflict(&error) {
            if let Some(first) = self.first_unknown.take() {
                return self.fail(own_effect(first, error));
            }
        }
        self.so_far = self.so_far.then(outcome);
        self.retries += 1;
        match retry::decide(self.endpoint.retry, failure, self.retries, self.options.max_retries, jitter) {
            Decision::Retry { delay_ms } => {
                // Kept only on a retry, which is the only way it is read
                // again: no clone of the error.
                if outcome == Outcome::Unknown && self.first_unknown.is_none() {
                    self.first_unknown = Some(error);
                }
                self.state = State::Backoff { until: now + f64::from(delay_ms) };
                self.next(now, cx)
            }
            Decision::GiveUp { retryable, outcome } => {
                let mut e = error;
                e.outcome = outcome;
                e.retryable = retryable;
                self.fail(e)
            }
        }
    }
}

/// `s.encode_utf16().count()`, from the bytes: one unit per character (a
/// byte that is not a continuation), two for those of four bytes (lead byte
/// F0 and up): smaller than decoding each character.
fn utf16_len(s: &str) -> usize {
    let mut n = 0;
    for b in s.bytes() {
        n += usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0);
    }
    n
}

/// The error for a caller's signal: kind `timeout` when its reason is a
/// `TimeoutError` (`AbortSignal.timeout()`), else `aborted`.
fn aborted(timeout: bool) -> Error {
    if timeout {
        Error::of(ErrorKind::Timeout, "the call's signal timed out".into(), None, None, true, Outcome::NotSent)
    } else {
        Error::aborted()
    }
}

/// A redirect is never followed: the request carries a bearer token and
/// secrets that must reach only the configured gateway.
fn redirect_failure(reply: &Reply) -> (Failure, Error) {
    let status = (reply.status != 0 && !reply.redirected).then_some(reply.status);
    let message = if reply.redirected {
        "the request was redirected to another location (the fetch function followed a redirect although told \
         not to); its answer was not used"
            .into()
    } else {
        let mut m = String::from("the gateway answered with a redirect");
        if let Some(s) = status {
            m.push(' ');
            super::text::push_decimal(&mut m, u64::from(s));
        }
        m.push_str("; migo-cards does not follow redirects, so nothing was sent to the other location: check baseUrl");
        m
    };
    let e = Error::of(ErrorKind::Api, message, None, status, false, Outcome::Rejected);
    (Failure::Redirect { followed: reply.redirected }, e)
}

/// A state conflict after an attempt whose effect is unknown may be the
/// gateway refusing to do again what that attempt already did (a lost
/// answer to a block, then `7213` for the retry). Such a refusal must never
/// look like a plain one: the call fails with the failure that left its
/// outcome unknown, and the refusal as its `cause`.
fn own_effect(first: Error, refusal: Error) -> Error {
    let mut e = first;
    e.message.push_str(
        "; a retry was then refused as a state conflict, which is what the gateway answers when the first \
         attempt already took effect: the outcome is unknown, check the card's state before acting on it",
    );
    e.outcome = Outcome::Unknown;
    e.retryable = false;
    e.cause = Some(refusal);
    e
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "call_tests.rs"]
mod tests;
