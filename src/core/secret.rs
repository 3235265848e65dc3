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

/// Replaces every occurrence of each secret in `text` with `***`, and masks
/// anything that looks like a full card number (see [`mask_card_numbers`]).
/// Used on all text the server sends back before it reaches an error, in
/// case the server echoes a value it was given or names another card.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for s in secrets {
        // Very short values would redact ordinary words; real secrets are long.
        if s.len() >= 4 && out.contains(s) {
            out = out.replace(s, "***");
        }
    }
    mask_card_numbers(&out)
}

/// Masks every run of 12 to 19 ASCII digits that passes the Luhn check (a
/// card number, whoever sent it) to `************` and its last four digits.
pub fn mask_card_numbers(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let run = text.get(start..i).unwrap_or_default();
        if (12..=19).contains(&run.len()) && super::validate::luhn(run) {
            out.push_str(text.get(copied..start).unwrap_or_default());
            out.push_str("************");
            out.push_str(run.get(run.len() - 4..).unwrap_or_default());
            copied = i;
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
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
    fn card_numbers_are_masked_wherever_they_appear() {
        assert_eq!(mask_card_numbers("card 4111111111111111 is blocked"), "card ************1111 is blocked");
        assert_eq!(mask_card_numbers("4111111111111111"), "************1111");
        // Not Luhn-valid, too short or too long: left alone.
        assert_eq!(mask_card_numbers("id 4111111111111112, 5000001"), "id 4111111111111112, 5000001");
        assert_eq!(mask_card_numbers("41111111111111111111"), "41111111111111111111");
        assert_eq!(mask_card_numbers("é4111111111111111é"), "é************1111é");
    }

    #[test]
    fn redact_replaces_every_occurrence() {
        let out = redact(
            "card 4111111111111111 token abcd1234 again 4111111111111111",
            &["4111111111111111", "abcd1234", "ab"],
        );
        assert_eq!(out, "card *** token *** again ***");
        assert_eq!(redact("other card 5555555555554444", &[]), "other card ************4444");
    }
}
