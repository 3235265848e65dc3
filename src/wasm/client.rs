//! `MigoClient` and the free functions: the exported JavaScript API.
//!
//! Each method only gathers its arguments as [`Input`]s; validation, request
//! building, decoding and retry decisions are `crate::core`'s.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::convert::{get, get_raw, input, set};
use super::error::to_js;
use super::transport::{self, SendError, Signal, Stop};
use crate::core::activation;
use crate::core::config::{self, CallOptions, Config, ConfigInput};
use crate::core::endpoints::{endpoint, Endpoint, Op, Param};
use crate::core::error::{Error, ErrorKind, Outcome};
use crate::core::input::Input;
use crate::core::request::{self, Args};
use crate::core::response::{self, Body, Raw};
use crate::core::retry::{self, Decision, Failure};
use crate::core::secret::Secret;
use crate::core::validate;

/// Where the bearer token comes from.
enum TokenSource {
    Static(Secret<String>),
    /// `getAccessToken`: called lazily; its result is cached, and a refresh
    /// in flight is shared by every call that needs it.
    Provider {
        f: Function,
        cached: RefCell<Option<Secret<String>>>,
        pending: RefCell<Option<Promise>>,
    },
}

struct Inner {
    config: Config,
    token: TokenSource,
    /// `onRequest`: told after every attempt.
    on_request: Option<Function>,
}

/// A client for the Migo Wallet Gateway card API.
#[wasm_bindgen]
pub struct MigoClient {
    inner: Rc<Inner>,
}

fn provider_error(message: &str) -> Error {
    Error::config("getAccessToken", message)
}

impl Inner {
    /// The current token; with `stale`, a fresh one unless another call has
    /// already replaced `stale`. Waiting for the provider is bounded by the
    /// call's timeout and stops when the caller aborts (`Err(None)`).
    async fn token(&self, stale: Option<&Secret<String>>, call: &Call) -> Result<Secret<String>, Option<Error>> {
        let (f, cached, pending) = match &self.token {
            TokenSource::Static(t) => return Ok(t.clone()),
            TokenSource::Provider { f, cached, pending } => (f, cached, pending),
        };
        let current = cached.borrow().clone();
        if let Some(t) = current {
            if stale != Some(&t) {
                return Ok(t);
            }
        }
        let shared = pending.borrow().clone();
        let promise = match shared {
            Some(p) => p,
            None => {
                let value = f.call0(&JsValue::UNDEFINED).map_err(|_| Some(provider_error("getAccessToken threw")))?;
                let p = Promise::resolve(&value);
                *pending.borrow_mut() = Some(p.clone());
                p
            }
        };
        let result = transport::wait(promise.clone(), call.options.timeout_ms, call.signal.as_ref()).await;
        // The first waiter to see the provider settle clears the shared
        // refresh (one that stopped waiting leaves it to the others).
        let settled = matches!(result, Ok(_) | Err(Stop::Rejected));
        if settled && pending.borrow().as_ref().is_some_and(|p| JsValue::from(p) == JsValue::from(&promise)) {
            *pending.borrow_mut() = None;
        }
        let value = result.map_err(|stop| match stop {
            Stop::Aborted => None,
            Stop::TimedOut => Some(Error::timeout(call.options.timeout_ms)),
            Stop::Rejected => Some(provider_error("getAccessToken rejected")),
        })?;
        let token = config::access_token(&input(&value)).map_err(|_| {
            Some(provider_error("getAccessToken must resolve to a non-empty string of visible ASCII characters"))
        })?;
        *cached.borrow_mut() = Some(token.clone());
        Ok(token)
    }

    fn can_refresh(&self) -> bool {
        matches!(self.token, TokenSource::Provider { .. })
    }
}

/// Per-call options, read when the call is made.
struct Call {
    options: CallOptions,
    signal: Option<Signal>,
}

fn call_options(config: &Config, opts: &JsValue) -> Result<Call, Error> {
    if !opts.is_undefined() && !opts.is_null() && !opts.is_object() {
        return Err(Error::validation("options", "the options argument must be an object"));
    }
    let options = CallOptions::resolve(config, &get(opts, "maxRetries"), &get(opts, "timeoutMs"))?;
    let signal = match get(opts, "signal") {
        Input::Absent | Input::Null => None,
        _ => Some(
            get_raw(opts, "signal")
                .and_then(|s| Signal::from_js(&s))
                .ok_or_else(|| Error::validation("signal", "signal must be an AbortSignal"))?,
        ),
    };
    Ok(Call { options, signal })
}

/// The call's error once it ends: `attempts` sent, `outcome` what they
/// amount to.
fn finish(mut e: Error, attempts: u32, outcome: Outcome) -> Error {
    e.attempts = attempts;
    e.outcome = outcome;
    e
}

/// What one attempt came to.
enum Step {
    Done(Result<JsValue, Error>),
    Aborted,
    Failed(Failure, Error),
}

/// Reads one attempt's reply through the core's decoder. `secrets` are
/// scrubbed from anything the server echoes back.
#[inline(never)]
fn judge(sent: Result<transport::Reply, SendError>, timeout_ms: u32, secrets: &[&str]) -> Step {
    let reply = match sent {
        Ok(r) => r,
        Err(SendError::Aborted) => return Step::Aborted,
        Err(SendError::Timeout) => return Step::Failed(Failure::Timeout, Error::timeout(timeout_ms)),
        Err(SendError::Network) => {
            return Step::Failed(
                Failure::Network,
                Error::network("could not reach the Migo gateway (network error or blocked by CORS)"),
            )
        }
    };
    let raw = Raw { status: reply.status, body: &reply.body, request_id: reply.request_id.as_deref() };
    match response::decode(raw, secrets) {
        Ok(Body::Empty) => Step::Done(Ok(JsValue::UNDEFINED)),
        Ok(Body::Json(text)) => Step::Done(
            JSON::parse(&text).map_err(|_| Error::decode(reply.status, "the response body could not be parsed")),
        ),
        Err(e) if e.kind == ErrorKind::Decode => Step::Failed(Failure::Undecodable, e),
        Err(e) => {
            let retry_after =
                reply.retry_after.as_deref().and_then(|v| retry::parse_retry_after(v, transport::now_ms()));
            Step::Failed(Failure::Status { status: e.status.unwrap_or(0), retry_after_ms: retry_after }, e)
        }
    }
}

/// Tells `onRequest` about one attempt. Only the redacted URL is shown, and
/// whatever the hook throws is ignored: observing must not change the call.
#[inline(never)]
fn report(
    hook: &Function,
    ep: &Endpoint,
    req: &request::Request,
    attempt: u32,
    sent: &Result<transport::Reply, SendError>,
    started: f64,
) {
    let event = Object::new();
    set(&event, "operation", &ep.name.into());
    set(&event, "method", &req.method.as_str().into());
    set(&event, "url", &req.redacted_url().into());
    set(&event, "attempt", &attempt.into());
    let result = match sent {
        Ok(reply) => {
            set(&event, "status", &reply.status.into());
            if let Some(id) = &reply.request_id {
                set(&event, "requestId", &id.into());
            }
            "response"
        }
        Err(SendError::Network) => "network",
        Err(SendError::Timeout) => "timeout",
        Err(SendError::Aborted) => "aborted",
    };
    set(&event, "result", &result.into());
    set(&event, "durationMs", &(transport::now_ms() - started).max(0.0).into());
    let _ = hook.call1(&JsValue::UNDEFINED, &event);
}

// Kept out of line so the async state machine of `execute` stays small.
#[inline(never)]
fn build(inner: &Inner, ep: &Endpoint, args: &Args, token: &Secret<String>) -> Result<request::Request, Error> {
    request::build(ep, args, &inner.config, token)
}

#[inline(never)]
fn decide(ep: &Endpoint, failure: Failure, retries: u32, call: &Call) -> Decision {
    retry::decide(ep.retry, failure, retries, call.options.max_retries, js_sys::Math::random())
}

/// The request loop: send, decode, and retry as `core::retry` decides.
async fn execute(inner: Rc<Inner>, ep: &'static Endpoint, args: Args, call: Call) -> Result<JsValue, Error> {
    let signal = call.signal.as_ref();
    let mut attempts = 0u32;
    let mut retries = 0u32;
    let mut refreshed = false;
    let mut stale: Option<Secret<String>> = None;
    // What the attempts so far may have done on the gateway.
    let mut so_far = Outcome::NotSent;
    loop {
        if signal.is_some_and(Signal::aborted) {
            return Err(finish(Error::aborted(), attempts, so_far));
        }
        let token = match inner.token(stale.take().as_ref(), &call).await {
            Ok(t) => t,
            Err(Some(e)) => return Err(finish(e, attempts, so_far)),
            Err(None) => return Err(finish(Error::aborted(), attempts, so_far)),
        };
        let req = build(&inner, ep, &args, &token)?;
        attempts += 1;
        let started = transport::now_ms();
        let sent = transport::send(&req, call.options.timeout_ms, signal).await;
        if let Some(hook) = &inner.on_request {
            report(hook, ep, &req, attempts, &sent, started);
        }
        let secrets: Vec<&str> = args.secrets().chain([token.expose().as_str()]).collect();
        let (failure, error) = match judge(sent, call.options.timeout_ms, &secrets) {
            Step::Done(result) => {
                return result.map_err(|e| {
                    let o = so_far.then(e.outcome);
                    finish(e, attempts, o)
                })
            }
            // Aborted in flight: the gateway may have acted.
            Step::Aborted => return Err(finish(Error::aborted(), attempts, so_far.then(Outcome::Unknown))),
            Step::Failed(_, e) if retry::refresh_token(&e, inner.can_refresh(), refreshed) => {
                refreshed = true;
                so_far = so_far.then(Outcome::Rejected);
                stale = Some(token);
                continue;
            }
            Step::Failed(f, e) => (f, e),
        };
        so_far = so_far.then(retry::outcome(failure));
        retries += 1;
        match decide(ep, failure, retries, &call) {
            Decision::Retry { delay_ms } => {
                if transport::sleep(delay_ms, signal).await.is_err() {
                    return Err(finish(Error::aborted(), attempts, so_far));
                }
            }
            Decision::GiveUp { retryable, outcome } => {
                let mut e = finish(error, attempts, so_far.then(outcome));
                e.retryable = retryable;
                return Err(e);
            }
        }
    }
}

impl MigoClient {
    /// Validates now (so a later change to the caller's objects has no
    /// effect), then runs the request loop in a promise. One non-generic
    /// function for every method keeps each export a thin shim.
    #[inline(never)]
    fn call(&self, op: Op, inputs: &[(Param, Input)], opts: &JsValue) -> Promise {
        let ep = endpoint(op);
        let prepared = Args::collect(ep, &self.inner.config, inputs)
            .and_then(|args| Ok((args, call_options(&self.inner.config, opts)?)));
        match prepared {
            Err(e) => Promise::reject(&to_js(&e)),
            Ok((args, call)) => {
                let inner = self.inner.clone();
                future_to_promise(async move { execute(inner, ep, args, call).await.map_err(|e| to_js(&e)) })
            }
        }
    }

    fn user_card(&self, op: Op, user_id: &JsValue, card_id: &JsValue, options: &JsValue) -> Promise {
        self.call(op, &[(Param::UserId, input(user_id)), (Param::CardId, input(card_id))], options)
    }

    fn card_user(&self, op: Op, card_id: &JsValue, auth_user_id: &JsValue, options: &JsValue) -> Promise {
        self.call(op, &[(Param::CardId, input(card_id)), (Param::AuthUserId, input(auth_user_id))], options)
    }
}

fn config_error(e: Error) -> JsValue {
    to_js(&e)
}

#[wasm_bindgen]
impl MigoClient {
    /// Creates a client. Throws a `MigoError` of kind `"config"` when an
    /// option is unusable.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "MigoClientOptions")] options: JsValue,
    ) -> Result<MigoClient, JsValue> {
        if !options.is_object() {
            return Err(config_error(Error::config("options", "new MigoClient(options) needs an options object")));
        }
        let config = Config::from_input(&ConfigInput {
            environment: Some(get(&options, "environment")),
            base_url: Some(get(&options, "baseUrl")),
            application_id: Some(get(&options, "applicationId")),
            client_id: Some(get(&options, "clientId")),
            max_retries: Some(get(&options, "maxRetries")),
            timeout_ms: Some(get(&options, "timeoutMs")),
        })
        .map_err(config_error)?;
        let token = match (get(&options, "accessToken"), get(&options, "getAccessToken")) {
            (t, p) if !t.is_missing() && !p.is_missing() => {
                return Err(config_error(Error::config("accessToken", "give accessToken or getAccessToken, not both")))
            }
            (Input::Other("function"), _) => {
                return Err(config_error(Error::config(
                    "accessToken",
                    "accessToken must be a string; use getAccessToken for a function",
                )))
            }
            (_, Input::Other("function")) => {
                let f = get_raw(&options, "getAccessToken").and_then(|f| f.dyn_into::<Function>().ok());
                match f {
                    Some(f) => TokenSource::Provider { f, cached: RefCell::new(None), pending: RefCell::new(None) },
                    None => return Err(config_error(provider_error("getAccessToken must be a function"))),
                }
            }
            (_, p) if !p.is_missing() => return Err(config_error(provider_error("getAccessToken must be a function"))),
            (t, _) => TokenSource::Static(config::access_token(&t).map_err(config_error)?),
        };
        let on_request = match get(&options, "onRequest") {
            Input::Absent | Input::Null => None,
            Input::Other("function") => get_raw(&options, "onRequest").and_then(|f| f.dyn_into::<Function>().ok()),
            _ => return Err(config_error(Error::config("onRequest", "onRequest must be a function"))),
        };
        Ok(MigoClient { inner: Rc::new(Inner { config, token, on_request }) })
    }

    /// Issues a Migo card for the user: `POST /users/{userId}/cards/virtuals`.
    #[wasm_bindgen(js_name = issueCard, unchecked_return_type = "Promise<Card>")]
    pub fn issue_card(
        &self,
        #[wasm_bindgen(js_name = userId, unchecked_param_type = "UserId")] user_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.call(Op::IssueCard, &[(Param::UserId, input(&user_id))], &options)
    }

    /// Links an existing card to the user: `POST /users/{userId}/cards?clientId=…`.
    #[wasm_bindgen(js_name = linkCard, unchecked_return_type = "Promise<Card>")]
    pub fn link_card(
        &self,
        #[wasm_bindgen(js_name = userId, unchecked_param_type = "UserId")] user_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "LinkCardInput")] card: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let inputs = [
            (Param::UserId, input(&user_id)),
            (Param::Card, get(&card, "card")),
            (Param::Alias, get(&card, "alias")),
            (Param::ClientId, get(&card, "clientId")),
        ];
        self.call(Op::LinkCard, &inputs, &options)
    }

    /// Activates a delivered card: `POST /users/{userId}/cards/{cardId}/activate`.
    #[wasm_bindgen(js_name = activateCard, unchecked_return_type = "Promise<Card | undefined>")]
    pub fn activate_card(
        &self,
        #[wasm_bindgen(js_name = userId, unchecked_param_type = "UserId")] user_id: JsValue,
        #[wasm_bindgen(js_name = cardId, unchecked_param_type = "CardId")] card_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.user_card(Op::ActivateCard, &user_id, &card_id, &options)
    }

    /// Blocks a card: `POST /users/{userId}/cards/{cardId}/block`.
    #[wasm_bindgen(js_name = blockCard, unchecked_return_type = "Promise<Card | undefined>")]
    pub fn block_card(
        &self,
        #[wasm_bindgen(js_name = userId, unchecked_param_type = "UserId")] user_id: JsValue,
        #[wasm_bindgen(js_name = cardId, unchecked_param_type = "CardId")] card_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.user_card(Op::BlockCard, &user_id, &card_id, &options)
    }

    /// Unblocks a card: `POST /users/{userId}/cards/{cardId}/unblock`.
    #[wasm_bindgen(js_name = unblockCard, unchecked_return_type = "Promise<Card | undefined>")]
    pub fn unblock_card(
        &self,
        #[wasm_bindgen(js_name = userId, unchecked_param_type = "UserId")] user_id: JsValue,
        #[wasm_bindgen(js_name = cardId, unchecked_param_type = "CardId")] card_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.user_card(Op::UnblockCard, &user_id, &card_id, &options)
    }

    /// Operator scope: `POST /cards/{cardId}/users/{authUserId}/block`.
    #[wasm_bindgen(js_name = blockCardForUser, unchecked_return_type = "Promise<Card | undefined>")]
    pub fn block_card_for_user(
        &self,
        #[wasm_bindgen(js_name = cardId, unchecked_param_type = "CardId")] card_id: JsValue,
        #[wasm_bindgen(js_name = authUserId, unchecked_param_type = "UserId")] auth_user_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.card_user(Op::BlockCardForUser, &card_id, &auth_user_id, &options)
    }

    /// Operator scope: `POST /cards/{cardId}/users/{authUserId}/unblock`.
    #[wasm_bindgen(js_name = unblockCardForUser, unchecked_return_type = "Promise<Card | undefined>")]
    pub fn unblock_card_for_user(
        &self,
        #[wasm_bindgen(js_name = cardId, unchecked_param_type = "CardId")] card_id: JsValue,
        #[wasm_bindgen(js_name = authUserId, unchecked_param_type = "UserId")] auth_user_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.card_user(Op::UnblockCardForUser, &card_id, &auth_user_id, &options)
    }

    /// Renames a card: `PATCH /cards/{cardId}` with `{alias}`.
    #[wasm_bindgen(js_name = updateCardAlias, unchecked_return_type = "Promise<Card | undefined>")]
    pub fn update_card_alias(
        &self,
        #[wasm_bindgen(js_name = cardId, unchecked_param_type = "CardId")] card_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] alias: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.call(Op::UpdateCardAlias, &[(Param::CardId, input(&card_id)), (Param::Alias, input(&alias))], &options)
    }

    /// Reads PAN and CVV with a single-use view token:
    /// `GET /users/{userId}/cards/{cardId}?token=…`. Never retried.
    #[wasm_bindgen(js_name = getCardDetails, unchecked_return_type = "Promise<CardDetails>")]
    pub fn get_card_details(
        &self,
        #[wasm_bindgen(js_name = userId, unchecked_param_type = "UserId")] user_id: JsValue,
        #[wasm_bindgen(js_name = cardId, unchecked_param_type = "CardId")] card_id: JsValue,
        #[wasm_bindgen(js_name = viewToken, unchecked_param_type = "string")] view_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let inputs = [
            (Param::UserId, input(&user_id)),
            (Param::CardId, input(&card_id)),
            (Param::ViewToken, input(&view_token)),
        ];
        self.call(Op::GetCardDetails, &inputs, &options)
    }

    /// Generates a monthly statement: `POST /cards/{cardId}/statements`.
    #[wasm_bindgen(js_name = createStatement, unchecked_return_type = "Promise<Statement>")]
    pub fn create_statement(
        &self,
        #[wasm_bindgen(js_name = cardId, unchecked_param_type = "CardId")] card_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "StatementPeriod")] period: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let inputs = [
            (Param::CardId, input(&card_id)),
            (Param::Month, get(&period, "month")),
            (Param::Year, get(&period, "year")),
        ];
        self.call(Op::CreateStatement, &inputs, &options)
    }

    /// The environment this client talks to.
    #[wasm_bindgen(getter, unchecked_return_type = "Environment")]
    pub fn environment(&self) -> String {
        self.inner.config.environment.as_str().to_owned()
    }

    /// The API base URL in use (no trailing slash).
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.config.base_url.clone()
    }

    /// A summary without secrets, so logging a client leaks nothing.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "MigoClientSummary")]
    pub fn to_json(&self) -> JsValue {
        let o = Object::new();
        set(&o, "environment", &self.environment().into());
        set(&o, "baseUrl", &self.base_url().into());
        if let Some(app) = &self.inner.config.application_id {
            set(&o, "applicationId", &app.into());
        }
        o.into()
    }

    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("MigoClient({}, {})", self.environment(), self.base_url())
    }
}

/// The hosted card-activation webview URL for a cardholder.
#[wasm_bindgen(js_name = activationUrl)]
pub fn activation_url(
    #[wasm_bindgen(unchecked_param_type = "ActivationUrlOptions")] options: JsValue,
) -> Result<String, JsValue> {
    activation::activation_url(&get(&options, "userId"), &get(&options, "client"), &get(&options, "environment"))
        .map_err(|e| to_js(&e))
}

/// The same card-number verification `linkCard` applies: 12 to 19 digits,
/// single spaces or dashes between groups, Luhn check. Never throws.
#[wasm_bindgen(js_name = isValidCardNumber)]
pub fn is_valid_card_number(#[wasm_bindgen(unchecked_param_type = "unknown")] card: JsValue) -> bool {
    validate::card_number(&input(&card)).is_ok()
}
