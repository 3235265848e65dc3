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

/// The tag of a string, the one tag whose value crosses as text.
pub const STRING_TAG: u8 = 5;

impl Input {
    /// The value a driver sent as `tag` with `text` or `number`. An unknown
    /// tag is an unreadable value, never a panic.
    pub fn from_tag(tag: u8, text: Option<String>, number: f64) -> Input {
        // By index in TAGS (the test below holds the two together): smaller
        // than comparing the names.
        match tag {
            0 => Input::Absent,
            1 => Input::Null,
            2 => Input::Bool(false),
            3 => Input::Bool(true),
            4 => Input::Number(number),
            STRING_TAG => text.map_or(Input::Unreadable, Input::Str),
            // "bigint", "symbol", "function", "object"
            6..=9 => Input::Other(TAGS[usize::from(tag)]),
            // A string that UTF-8 cannot carry unchanged is refused, not altered.
            11 => Input::Other("string with unpaired surrogates"),
            // "signal", "abortedSignal", "timedOutSignal"
            12..=14 => Input::Other("AbortSignal"),
            // "unreadable", and any unknown tag
            _ => Input::Unreadable,
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
        assert_eq!(Input::from_tag(15, None, 0.0), Input::Unreadable);
        assert_eq!(Input::from_tag(5, None, 0.0), Input::Unreadable);
    }

    /// `from_tag` matches on indices: each one reads as its name says.
    #[test]
    fn every_tag_reads_as_its_name() {
        let tag = |name: &str| TAGS.iter().position(|t| *t == name).unwrap() as u8;
        let read = |name: &str| Input::from_tag(tag(name), Some("x".into()), 2.5);
        assert_eq!(read("undefined"), Input::Absent);
        assert_eq!(read("null"), Input::Null);
        assert_eq!(read("false"), Input::Bool(false));
        assert_eq!(read("true"), Input::Bool(true));
        assert_eq!(read("number"), Input::Number(2.5));
        assert_eq!(read("string"), Input::Str("x".into()));
        assert_eq!(tag("string"), STRING_TAG);
        for other in ["bigint", "symbol", "function", "object"] {
            assert_eq!(read(other), Input::Other(other));
        }
        assert_eq!(read("unreadable"), Input::Unreadable);
        assert_eq!(read("badString"), Input::Other("string with unpaired surrogates"));
        for signal in ["signal", "abortedSignal", "timedOutSignal"] {
            assert_eq!(read(signal), Input::Other("AbortSignal"));
        }
    }
}
