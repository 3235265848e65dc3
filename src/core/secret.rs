//! A value that must never be printed: access tokens, card numbers, view tokens.

use core::fmt;

/// Wraps a secret so that `Debug` and `Display` can only ever print `***`.
/// The value is reachable through [`Secret::expose`], which makes every place
/// that needs the real value easy to find.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Secret(value)
    }
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Replaces every occurrence of each secret in `text` with `***`.
/// Used on anything the server sends back before it reaches an error, in case
/// the server echoes a value it was given.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for s in secrets {
        // Very short values would redact ordinary words; real secrets are long.
        if s.len() >= 4 && out.contains(s) {
            out = out.replace(s, "***");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("tok_live_123".to_string());
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(s.expose(), "tok_live_123");
    }

    #[test]
    fn redact_replaces_every_occurrence() {
        let out = redact(
            "card 4111111111111111 token abcd1234 again 4111111111111111",
            &["4111111111111111", "abcd1234", "ab"],
        );
        assert_eq!(out, "card *** token *** again ***");
    }
}
