//! The one error type of the SDK. The wasm layer turns it into a JS `MigoError`.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// An argument was rejected before any request was sent.
    Validation,
    /// The client options are unusable (bad base URL, missing token, ...).
    Config,
    /// The gateway answered with an error status or an error envelope.
    Api,
    /// The request did not complete: connection refused, reset, CORS, ...
    Network,
    /// The gateway answered 2xx with a body that is not JSON.
    Decode,
    /// An attempt took longer than `timeoutMs`.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Config => "config",
            ErrorKind::Api => "api",
            ErrorKind::Network => "network",
            ErrorKind::Decode => "decode",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
        }
    }
}

/// What the caller can know about the effect of a failed call on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing was sent (validation, config, aborted before the first attempt).
    NotSent,
    /// The server answered and did not act (an error status it gives before acting).
    Rejected,
    /// The server may or may not have acted: check before trying again.
    Unknown,
}

impl Outcome {
    /// What a call's attempts amount to together: once any attempt may have
    /// acted, the call may have.
    pub fn then(self, next: Outcome) -> Outcome {
        fn rank(o: Outcome) -> u8 {
            match o {
                Outcome::NotSent => 0,
                Outcome::Rejected => 1,
                Outcome::Unknown => 2,
            }
        }
        if rank(next) >= rank(self) {
            next
        } else {
            self
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::NotSent => "notSent",
            Outcome::Rejected => "rejected",
            Outcome::Unknown => "unknown",
        }
    }
}

/// An error of the SDK: one pointer to its [`Details`], which it derefs to
/// (`e.kind`, `e.message = ..`). The details are ~72 bytes that every `?`
/// and `Result<_, Error>` return would copy; boxed, an error moves as a word.
#[derive(Clone, PartialEq)]
pub struct Error(Box<Details>);

#[derive(Clone, Debug, PartialEq)]
pub struct Details {
    pub kind: ErrorKind,
    /// Readable, and never contains a token, a card number or a view token.
    pub message: String,
    /// The argument or option at fault (`validation`, `config`).
    pub field: Option<&'static str>,
    /// HTTP status (`api`).
    pub status: Option<u16>,
    /// The first `errors[].code` of the envelope, e.g. `"7213"` (`api`).
    pub code: Option<String>,
    /// The envelope's `errors` array as raw JSON, handed to `JSON.parse` (`api`).
    pub errors_json: Option<String>,
    /// The `x-request-id` response header, when present.
    pub request_id: Option<String>,
    /// How many requests were sent (0 when none was).
    pub attempts: u32,
    /// Whether the same call could succeed if tried again later.
    pub retryable: bool,
    pub outcome: Outcome,
    /// What led to this error, when it is another error of the call.
    pub cause: Option<Error>,
}

impl core::ops::Deref for Error {
    type Target = Details;
    fn deref(&self) -> &Details {
        &self.0
    }
}

impl core::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut Details {
        &mut self.0
    }
}

// The details' own Debug: a derived one (`Error(Details { .. })`) is larger.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Error {
    /// An error of `kind` with the fields its kind sets; the rest start empty
    /// (no attempts, outcome `notSent`) until the call stamps them.
    pub(crate) fn of(
        kind: ErrorKind,
        message: String,
        field: Option<&'static str>,
        status: Option<u16>,
        retryable: bool,
        outcome: Outcome,
    ) -> Self {
        Error(Box::new(Details {
            kind,
            message,
            field,
            status,
            code: None,
            errors_json: None,
            request_id: None,
            attempts: 0,
            retryable,
            outcome,
            cause: None,
        }))
    }

    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Error::of(ErrorKind::Validation, message.into(), Some(field), None, false, Outcome::NotSent)
    }

    pub fn config(field: &'static str, message: impl Into<String>) -> Self {
        Error::of(ErrorKind::Config, message.into(), Some(field), None, false, Outcome::NotSent)
    }

    pub fn network(message: impl Into<String>) -> Self {
        Error::of(ErrorKind::Network, message.into(), None, None, true, Outcome::Unknown)
    }

    pub fn timeout(timeout_ms: u32) -> Self {
        let message = cat!("the request timed out after ", timeout_ms, " ms");
        Error::of(ErrorKind::Timeout, message, None, None, true, Outcome::Unknown)
    }

    pub fn aborted() -> Self {
        Error::of(ErrorKind::Aborted, "the request was aborted".into(), None, None, false, Outcome::NotSent)
    }

    pub fn decode(status: u16, message: impl Into<String>) -> Self {
        Error::of(ErrorKind::Decode, message.into(), None, Some(status), false, Outcome::Unknown)
    }

    pub fn api(status: u16, message: impl Into<String>) -> Self {
        Error::of(ErrorKind::Api, message.into(), None, Some(status), false, Outcome::Rejected)
    }
}

impl Error {
    /// Every field a `MigoError` carries, as one JSON object (`message`,
    /// `kind`, `field`, `status`, `code`, `errors`, `requestId`, `attempts`,
    /// `retryable`, `outcome`, and `cause` as a nested object of the same
    /// shape; absent ones left out), so an error crosses into JavaScript once.
    pub fn to_json(&self) -> String {
        use super::json::json_string_into;
        let mut out = String::from("{\"message\":");
        json_string_into(&self.message, &mut out);
        out.push_str(",\"kind\":");
        json_string_into(self.kind.as_str(), &mut out);
        let text = |name: &str, value: Option<&str>, out: &mut String| {
            if let Some(v) = value {
                out.push_str(",\"");
                out.push_str(name);
                out.push_str("\":");
                json_string_into(v, out);
            }
        };
        text("field", self.field, &mut out);
        text("code", self.code.as_deref(), &mut out);
        text("requestId", self.request_id.as_deref(), &mut out);
        if let Some(s) = self.status {
            out.push_str(",\"status\":");
            super::text::push_decimal(&mut out, u64::from(s));
        }
        // `errors_json` is already valid JSON: the decoder produced it.
        if let Some(errors) = &self.errors_json {
            out.push_str(",\"errors\":");
            out.push_str(errors);
        }
        out.push_str(",\"attempts\":");
        super::text::push_decimal(&mut out, u64::from(self.attempts));
        out.push_str(if self.retryable { ",\"retryable\":true" } else { ",\"retryable\":false" });
        out.push_str(",\"outcome\":");
        json_string_into(self.outcome.as_str(), &mut out);
        if let Some(cause) = &self.cause {
            out.push_str(",\"cause\":");
            out.push_str(&cause.to_json());
        }
        out.push('}');
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl core::error::Error for Error {}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn details_are_one_json_object() {
        let mut e = Error::api(409, "conflict");
        e.code = Some("7213".into());
        e.errors_json = Some(r#"[{"code":"7213","message":"a \"quoted\" word"}]"#.into());
        e.request_id = Some("req-1".into());
        e.attempts = 2;
        e.cause = Some(Error::network("lost"));
        let v: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"message": "conflict", "kind": "api", "cause": {"message": "lost", "kind": "network",
                "attempts": 0, "retryable": true, "outcome": "unknown"}, "status": 409, "code": "7213", "requestId": "req-1", "attempts": 2,
                "retryable": false, "outcome": "rejected", "errors": [{"code": "7213", "message": "a \"quoted\" word"}]})
        );
        let v: serde_json::Value = serde_json::from_str(&Error::validation("userId", "x").to_json()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"message": "x", "kind": "validation", "field": "userId", "attempts": 0, "retryable": false, "outcome": "notSent"})
        );
    }
}
