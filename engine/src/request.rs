//! Turning a validated operation into an HTTP request, without sending it.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

use super::config::Config;
use super::endpoints::{Endpoint, Method, Param, Seg};
use super::error::Error;
use super::input::Input;
use super::json::json_string_into;
use super::secret::Secret;
use super::text::percent_encode_into;
use super::validate;

/// A validated argument.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Secret(Secret<String>),
    Int(u32),
}

impl Value {
    /// Percent-encoded at the end of `out` (a number's digits need none).
    /// Written in place: a `Cow` of the text, with a String for a number's
    /// digits, would cost more wasm.
    fn percent_encode_into(&self, out: &mut String) {
        match self {
            Value::Text(s) => percent_encode_into(s, out),
            Value::Secret(s) => percent_encode_into(s.expose(), out),
            Value::Int(n) => super::text::push_decimal(out, u64::from(*n)),
        }
    }

    /// As a JSON value at the end of `out`: a string, or a number.
    fn json_into(&self, out: &mut String) {
        match self {
            Value::Text(s) => json_string_into(s, out),
            Value::Secret(s) => json_string_into(s.expose(), out),
            Value::Int(n) => super::text::push_decimal(out, u64::from(*n)),
        }
    }
}

/// The validated arguments of one call, indexed by [`Param`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Args {
    values: [Option<Value>; Param::ALL.len()],
}

impl Args {
    /// Validates what `endpoint` needs, in table order (path, query, body), so
    /// the first bad argument is the one reported. `inputs` are the caller's
    /// values by parameter; one that is not there is absent.
    pub fn collect(endpoint: &Endpoint, config: &Config, inputs: &[(Param, Input)]) -> Result<Args, Error> {
        let mut args = Args::default();
        args.fill(endpoint, config, inputs)?;
        Ok(args)
    }

    /// [`Args::collect`] into `self` (all absent before), for a caller that
    /// keeps them in place: a call, where moving them in would be a copy.
    pub fn fill(&mut self, endpoint: &Endpoint, config: &Config, inputs: &[(Param, Input)]) -> Result<(), Error> {
        // The order of `endpoint.params()`, as two plain loops: smaller than
        // its chained iterator.
        for seg in endpoint.path {
            if let Seg::Arg(p) = seg {
                self.collect_one(*p, endpoint, config, inputs)?;
            }
        }
        for p in endpoint.query.iter().chain(endpoint.body) {
            self.collect_one(*p, endpoint, config, inputs)?;
        }
        Ok(())
    }

    fn collect_one(
        &mut self,
        p: Param,
        endpoint: &Endpoint,
        config: &Config,
        inputs: &[(Param, Input)],
    ) -> Result<(), Error> {
        let raw = inputs.iter().find(|(q, _)| *q == p).map_or(&Input::Absent, |(_, v)| v);
        let value = if raw.is_missing() && p == Param::ClientId && config.client_id.is_some() {
            config.client_id.clone().map(Value::Text)
        } else if raw.is_missing() && p == Param::ClientId {
            return Err(Error::validation(
                "clientId",
                "clientId is required: pass it to linkCard or set it on the client",
            ));
        } else if raw.is_missing() && endpoint.optional.contains(&p) {
            None
        } else {
            Some(validate_param(p, raw)?)
        };
        self.values[p.index()] = value;
        Ok(())
    }

    pub fn get(&self, p: Param) -> Option<&Value> {
        self.values[p.index()].as_ref()
    }

    /// Values that must never appear in an error or a log, for redaction.
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        self.values.iter().filter_map(|v| match v {
            Some(Value::Secret(s)) => Some(s.expose().as_str()),
            _ => None,
        })
    }
}

fn validate_param(p: Param, raw: &Input) -> Result<Value, Error> {
    // One check per type of value, each result made a `Value` once: made
    // per parameter, each would move its error anew.
    match p {
        Param::Card | Param::ViewToken | Param::Pin => match p {
            Param::Card => validate::card_number(raw),
            Param::Pin => validate::pin(raw),
            _ => validate::view_token(raw),
        }
        .map(Value::Secret),
        Param::Month | Param::Year => {
            let (lo, hi) = if p == Param::Month { validate::MONTHS } else { validate::YEARS };
            validate::int_in(Error::validation, p.field(), raw, lo, hi).map(Value::Int)
        }
        Param::UserId | Param::AuthUserId | Param::CardId | Param::ClientId | Param::Alias => match p {
            Param::CardId => validate::card_id(raw),
            Param::ClientId => validate::client_id(raw),
            Param::Alias => validate::alias(raw),
            _ => validate::path_id(p.field(), raw),
        }
        .map(Value::Text),
    }
}

/// An HTTP request ready for `fetch`. `Debug` shows no secret: the bearer
/// token, secret query values and the body are all hidden.
#[derive(Clone, PartialEq)]
pub struct Request {
    pub method: Method,
    /// The full URL, secret query values included: only for `fetch`.
    url: String,
    /// The URL with secret query values as `***`, when it has any.
    redacted: Option<String>,
    pub authorization: Secret<String>,
    pub application_id: Option<String>,
    /// `Some("application/json")` exactly when there is a body.
    pub content_type: Option<&'static str>,
    body: Option<Secret<String>>,
}

impl Request {
    /// The full URL, secrets included: only for `fetch`.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// [`Request::url`], written at the end of `out`.
    pub fn url_into(&self, out: &mut String) {
        out.push_str(&self.url);
    }

    /// The URL with secret query values replaced by `***`: safe to log.
    pub fn redacted_url(&self) -> String {
        self.redacted.as_ref().unwrap_or(&self.url).clone()
    }

    /// The JSON body, for `fetch` only.
    pub fn body(&self) -> Option<&str> {
        self.body.as_ref().map(|b| b.expose().as_str())
    }

    /// Header name/value pairs, in the order they are sent.
    pub fn headers(&self) -> Vec<(&'static str, &str)> {
        let mut h = vec![("authorization", self.authorization.expose().as_str())];
        if let Some(app) = &self.application_id {
            h.push(("x-application-id", app));
        }
        if let Some(ct) = self.content_type {
            h.push(("content-type", ct));
        }
        h
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method.as_str())
            .field("url", &self.redacted_url())
            .field("authorization", &"Bearer ***")
            .field("application_id", &self.application_id)
            .field("content_type", &self.content_type)
            .field("body", &self.body.as_ref().map(|b| cat!("<", b.expose().len(), " bytes>")))
            .finish()
    }
}

/// Builds the request for `endpoint` from validated arguments, for the
/// client `config` and the bearer `token`.
pub fn build(endpoint: &Endpoint, args: &Args, config: &Config, token: &Secret<String>) -> Result<Request, Error> {
    // The error is made once, here, for the argument `build_or_missing` names.
    build_or_missing(endpoint, args, config, token)
        .map_err(|p| super::validate::says_as(Error::validation, p.field(), " is required"))
}

/// [`build`], or the first required argument missing from `args`.
fn build_or_missing(
    endpoint: &Endpoint,
    args: &Args,
    config: &Config,
    token: &Secret<String>,
) -> Result<Request, Param> {
    let base = super::config::trim_end_slashes(&config.base_url);
    // Sized once: grown char by char, it would be reallocated several times a call.
    let mut url = String::with_capacity(base.len() + 48);
    url.push_str(base);
    for seg in endpoint.path {
        url.push('/');
        match seg {
            Seg::Lit(s) => url.push_str(s),
            Seg::Arg(p) => args.get(*p).ok_or(*p)?.percent_encode_into(&mut url),
        }
    }
    // The URL is written whole here; a second time, redacted, only when a
    // query value is secret (kept as values instead, they would be cloned).
    let path_len = url.len();
    let secret = write_params(&mut url, endpoint.query, endpoint, args, Form::Query)?;
    let redacted = secret.then(|| {
        let mut r = String::with_capacity(url.len());
        r.push_str(url.get(..path_len).unwrap_or_default());
        let _ = write_params(&mut r, endpoint.query, endpoint, args, Form::RedactedQuery);
        r
    });
    let body = if endpoint.has_body() {
        let mut json = String::with_capacity(64);
        json.push('{');
        write_params(&mut json, endpoint.body, endpoint, args, Form::Json)?;
        json.push('}');
        Some(Secret::new(json))
    } else {
        None
    };
    Ok(Request {
        method: endpoint.method,
        url,
        redacted,
        authorization: Secret::new(bearer(token.expose())),
        application_id: config.application_id.clone(),
        content_type: body.as_ref().map(|_| "application/json"),
        body,
    })
}

/// How [`write_params`] writes parameters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `?a=1&b=x`, values percent-encoded.
    Query,
    /// The same, secret values as `***`.
    RedactedQuery,
    /// A JSON object's members, `"a":1,"b":"x"`.
    Json,
}

/// Writes `params` (of `endpoint`) at the end of `out` in `form`; whether
/// any value is secret, or the first required parameter missing. One writer
/// for the query and the body, so the module has one copy of the loop.
fn write_params(
    out: &mut String,
    params: &[Param],
    endpoint: &Endpoint,
    args: &Args,
    form: Form,
) -> Result<bool, Param> {
    let (mut secret, mut first) = (false, true);
    for p in params {
        let value = match args.get(*p) {
            Some(v) => v,
            None if endpoint.optional.contains(p) => continue,
            None => return Err(*p),
        };
        if form == Form::Json {
            if !first {
                out.push(',');
            }
            json_string_into(p.wire(), out);
            out.push(':');
            value.json_into(out);
        } else {
            out.push(if first { '?' } else { '&' });
            out.push_str(p.wire());
            out.push('=');
            match value {
                Value::Secret(_) if form == Form::RedactedQuery => out.push_str("***"),
                other => other.percent_encode_into(out),
            }
        }
        first = false;
        secret |= matches!(value, Value::Secret(_));
    }
    Ok(secret)
}

/// `Bearer {token}`, sized once (`[..].concat()` would bring std's generic
/// join).
fn bearer(token: &str) -> String {
    let mut out = String::with_capacity(7 + token.len());
    out.push_str("Bearer ");
    out.push_str(token);
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::config::ConfigInput;
    use super::super::endpoints::{endpoint, Op, ENDPOINTS};
    use super::*;
    use crate::text::percent_encode;
    use proptest::prelude::*;

    fn config() -> Config {
        Config::from_input(&ConfigInput { base_url: Some("http://127.0.0.1:3010/rest/".into()), ..Default::default() })
            .unwrap()
    }

    fn token() -> Secret<String> {
        Secret::new("tok_secret_value".into())
    }

    /// Validates and builds in one step (a call does the two apart: a
    /// refreshed token changes the request, not the arguments).
    fn plan(
        endpoint: &Endpoint,
        config: &Config,
        token: &Secret<String>,
        inputs: &[(Param, Input)],
    ) -> Result<(Request, Args), Error> {
        let args = Args::collect(endpoint, config, inputs)?;
        let req = build(endpoint, &args, config, token)?;
        Ok((req, args))
    }

    fn plan_op(op: Op, pairs: &[(Param, Input)]) -> Result<Request, Error> {
        plan(endpoint(op), &config(), &token(), pairs).map(|(r, _)| r)
    }

    #[test]
    fn every_endpoint_matches_the_contract() {
        use Input::{Number as N, Str as S};
        let u = (Param::UserId, S("1001".into()));
        let c = (Param::CardId, N(5000001.0));
        let a = (Param::AuthUserId, S("1002".into()));
        type Case = (Op, Vec<(Param, Input)>, &'static str, &'static str, Option<&'static str>);
        let cases: Vec<Case> = vec![
            (Op::IssueCard, vec![u.clone()], "POST", "/users/1001/cards/virtuals", None),
            (
                Op::LinkCard,
                vec![
                    u.clone(),
                    (Param::ClientId, S("acme".into())),
                    (Param::Card, S("4111 1111 1111 1111".into())),
                    (Param::Alias, S("My \"card\"".into())),
                ],
                "POST",
                "/users/1001/cards?clientId=acme",
                Some(r#"{"card":"4111111111111111","alias":"My \"card\""}"#),
            ),
            (
                Op::LinkCard,
                vec![u.clone(), (Param::ClientId, S("acme".into())), (Param::Card, S("4111111111111111".into()))],
                "POST",
                "/users/1001/cards?clientId=acme",
                Some(r#"{"card":"4111111111111111"}"#),
            ),
            (Op::ActivateCard, vec![u.clone(), c.clone()], "POST", "/users/1001/cards/5000001/activate", None),
            (Op::BlockCard, vec![u.clone(), c.clone()], "POST", "/users/1001/cards/5000001/block", None),
            (Op::UnblockCard, vec![u.clone(), c.clone()], "POST", "/users/1001/cards/5000001/unblock", None),
            (Op::BlockCardForUser, vec![c.clone(), a.clone()], "POST", "/cards/5000001/users/1002/block", None),
            (Op::UnblockCardForUser, vec![c.clone(), a.clone()], "POST", "/cards/5000001/users/1002/unblock", None),
            (
                Op::UpdateCardAlias,
                vec![c.clone(), (Param::Alias, S("Groceries".into()))],
                "PATCH",
                "/cards/5000001",
                Some(r#"{"alias":"Groceries"}"#),
            ),
            (
                Op::GetCardDetails,
                vec![u.clone(), c.clone(), (Param::ViewToken, S("vt abc/+".into()))],
                "GET",
                "/users/1001/cards/5000001?token=vt%20abc%2F%2B",
                None,
            ),
            (
                Op::CreateStatement,
                vec![c.clone(), (Param::Month, N(3.0)), (Param::Year, N(2026.0))],
                "POST",
                "/cards/5000001/statements",
                Some(r#"{"month":3,"year":2026}"#),
            ),
        ];
        for (op, args, method, path, body) in cases {
            let r = plan_op(op, &args).unwrap();
            assert_eq!(r.method.as_str(), method, "{op:?}");
            assert_eq!(r.url(), format!("http://127.0.0.1:3010/rest{path}"), "{op:?}");
            assert_eq!(r.body(), body, "{op:?}");
            assert_eq!(r.content_type.is_some(), body.is_some(), "{op:?}");
            assert_eq!(r.headers()[0], ("authorization", "Bearer tok_secret_value"));
        }
    }

    #[test]
    fn client_id_comes_from_the_call_or_the_client() {
        let link = endpoint(Op::LinkCard);
        let args = [(Param::UserId, Input::from("1001")), (Param::Card, Input::from("4111111111111111"))];
        let e = plan(link, &config(), &token(), &args).unwrap_err();
        assert_eq!(e.field, Some("clientId"));
        let mut cfg = config();
        cfg.client_id = Some("fromClient".into());
        let (r, _) = plan(link, &cfg, &token(), &args).unwrap();
        assert!(r.url().ends_with("?clientId=fromClient"));
        let mut with_call = args.to_vec();
        with_call.push((Param::ClientId, Input::from("fromCall")));
        let (r, _) = plan(link, &cfg, &token(), &with_call).unwrap();
        assert!(r.url().ends_with("?clientId=fromCall"));
    }

    #[test]
    fn first_bad_argument_is_reported_in_table_order() {
        let e = plan_op(Op::BlockCardForUser, &[(Param::AuthUserId, Input::Null)]).unwrap_err();
        assert_eq!(e.field, Some("cardId"));
        let e = plan_op(Op::UpdateCardAlias, &[(Param::CardId, Input::Number(1.0))]).unwrap_err();
        assert_eq!(e.field, Some("alias"));
        let e =
            plan_op(Op::CreateStatement, &[(Param::CardId, Input::Number(1.0)), (Param::Month, Input::Number(13.0))])
                .unwrap_err();
        assert_eq!(e.field, Some("month"));
    }

    #[test]
    fn debug_never_shows_secrets() {
        let r = plan_op(
            Op::GetCardDetails,
            &[(Param::UserId, "1001".into()), (Param::CardId, "7".into()), (Param::ViewToken, "vt_supersecret".into())],
        )
        .unwrap();
        let dbg = format!("{r:?}");
        assert!(!dbg.contains("vt_supersecret") && !dbg.contains("tok_secret_value"), "{dbg}");
        assert!(r.redacted_url().ends_with("?token=***"));
        let r = plan_op(
            Op::LinkCard,
            &[(Param::UserId, "1".into()), (Param::ClientId, "c".into()), (Param::Card, "4111111111111111".into())],
        )
        .unwrap();
        assert!(!format!("{r:?}").contains("4111111111111111"));
    }

    #[test]
    fn every_endpoint_rejects_missing_arguments_with_the_field() {
        for e in &ENDPOINTS {
            let err = plan(e, &config(), &token(), &[]).unwrap_err();
            let first = e.params().next().unwrap();
            assert_eq!(err.field, Some(first.field()), "{}", e.name);
        }
    }

    fn decode_segment(s: &str) -> Vec<u8> {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        out
    }

    proptest! {
        #[test]
        fn a_user_id_is_always_exactly_one_path_segment(id in "\\PC{1,40}") {
            let r = plan_op(Op::IssueCard, &[(Param::UserId, Input::Str(id.clone()))]);
            if let Ok(r) = r {
                let url = r.url();
                let rest = url.strip_prefix("http://127.0.0.1:3010/rest/users/").unwrap();
                let (seg, tail) = rest.split_once('/').unwrap();
                prop_assert_eq!(tail, "cards/virtuals");
                prop_assert!(!seg.contains(['?', '#', '/']));
                prop_assert_eq!(decode_segment(seg), id.as_bytes().to_vec());
            } else {
                prop_assert!(id == "." || id == ".." || id.chars().any(char::is_control));
            }
        }

        #[test]
        fn percent_encoding_round_trips(s in any::<String>()) {
            let enc = percent_encode(&s);
            prop_assert!(enc.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
            prop_assert_eq!(decode_segment(&enc), s.as_bytes().to_vec());
        }

        #[test]
        fn json_strings_match_serde_json(s in any::<String>()) {
            let mut out = String::new();
            json_string_into(&s, &mut out);
            prop_assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s);
        }

        #[test]
        fn alias_bodies_are_valid_json_with_only_the_alias(alias in "[^\\p{Cc}]{1,64}") {
            prop_assume!(!alias.trim().is_empty());
            let r = plan_op(Op::UpdateCardAlias, &[(Param::CardId, Input::Number(1.0)), (Param::Alias, Input::Str(alias.clone()))]).unwrap();
            let v: serde_json::Value = serde_json::from_str(r.body().unwrap()).unwrap();
            prop_assert_eq!(v, serde_json::json!({ "alias": alias }));
        }
    }
}
