//! A JavaScript value as the core sees it, so that validation is plain Rust.
//!
//! The wasm layer turns whatever JavaScript passed into an [`Input`] without
//! interpreting it; every rule about what is acceptable lives in `validate`.

#[allow(unused_imports)]
use crate::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// `undefined`, or a property that is not there.
    Absent,
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    /// Any other JS type, named for the error message (`"bigint"`, `"object"`, ...).
    Other(&'static str),
    /// Reading the value threw (a getter or a Proxy trap).
    Unreadable,
}

impl Input {
    pub fn is_missing(&self) -> bool {
        matches!(self, Input::Absent | Input::Null)
    }

    /// The JS type name, for messages such as "expected a string, got number".
    pub fn type_name(&self) -> &'static str {
        match self {
            Input::Absent => "undefined",
            Input::Null => "null",
            Input::Bool(_) => "boolean",
            Input::Number(_) => "number",
            Input::Str(_) => "string",
            Input::Other(t) => t,
            Input::Unreadable => "a value that could not be read",
        }
    }
}

impl From<&str> for Input {
    fn from(s: &str) -> Self {
        Input::Str(s.to_owned())
    }
}

impl From<f64> for Input {
    fn from(n: f64) -> Self {
        Input::Number(n)
    }
}

/// How a driver names a JS value's type to the core: each value crosses as a
/// tag (an index in this list) with its string or number. The driver reads
/// the list at start-up, so the two cannot disagree. The last three are for
/// `signal` only: an `AbortSignal` that is live, aborted, or aborted by
/// `AbortSignal.timeout()` (its reason a `TimeoutError`).
pub const TAGS: [&str; 15] = [
    "undefined",
    "null",
    "false",
    "true",
    "number",
    "string",
    "bigint",
    "symbol",
    "function",
    "object",
    "unreadable",
    "badString",
    "signal",
    "abortedSignal",
    "timedOutSignal",
];

impl Input {
    /// The value a driver sent as `tag` with `text` or `number`. An unknown
    /// tag is an unreadable value, never a panic.
    pub fn from_tag(tag: u8, text: Option<String>, number: f64) -> Input {
        match TAGS.get(usize::from(tag)).copied() {
            Some("undefined") => Input::Absent,
            Some("null") => Input::Null,
            Some("false") => Input::Bool(false),
            Some("true") => Input::Bool(true),
            Some("number") => Input::Number(number),
            Some("string") => text.map_or(Input::Unreadable, Input::Str),
            // A string that UTF-8 cannot carry unchanged is refused, not altered.
            Some("badString") => Input::Other("string with unpaired surrogates"),
            Some("signal" | "abortedSignal" | "timedOutSignal") => Input::Other("AbortSignal"),
            Some("unreadable") | None => Input::Unreadable,
            Some(other) => Input::Other(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tag_has_a_reading_and_unknown_tags_are_unreadable() {
        for (i, name) in TAGS.iter().enumerate() {
            let v = Input::from_tag(i as u8, Some("x".into()), 1.0);
            assert_eq!(v == Input::Unreadable, *name == "unreadable", "{name}");
        }
        assert_eq!(Input::from_tag(200, None, 0.0), Input::Unreadable);
        assert_eq!(Input::from_tag(5, None, 0.0), Input::Unreadable);
    }
}
