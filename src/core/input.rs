//! A JavaScript value as the core sees it, so that validation is plain Rust.
//!
//! The wasm layer turns whatever JavaScript passed into an [`Input`] without
//! interpreting it; every rule about what is acceptable lives in `validate`.

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
