//! Every rule about what a caller may pass. Each function names the field it
//! checks, and no message ever repeats the value (it may be a secret).

#[allow(unused_imports)]
use crate::prelude::*;

use super::error::Error;
use super::input::Input;
use super::secret::Secret;
use super::text::{char_count, every, has_control, is_integer, luhn};

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
/// Sanity bound for identifiers and other short strings, in characters.
pub const MAX_ID_CHARS: usize = 256;
/// Longest alias accepted, in characters (Unicode scalar values).
pub const MAX_ALIAS_CHARS: usize = 64;
/// Sanity bound for a view token, in bytes.
pub const MAX_VIEW_TOKEN_BYTES: usize = 4096;
/// Sanity bound for an access token, in bytes.
pub const MAX_ACCESS_TOKEN_BYTES: usize = 8192;
/// A card number as typed may carry separators; beyond this it is not one.
const MAX_CARD_INPUT_CHARS: usize = 64;

/// The validation error `{field}{what}`, built in one place.
fn says(field: &'static str, what: &str) -> Error {
    says_as(Error::validation, field, what)
}

/// How an error is made: `Error::validation` or `Error::config`. Passed
/// in, so one check serves an argument and an option alike (rebuilding a
/// validation error as a config one would cost a second error's code).
pub type Kind = fn(&'static str, String) -> Error;

/// `{field} must be at most {max} characters`.
fn at_most(field: &'static str, max: usize) -> Error {
    says(field, &cat!(" must be at most ", max, " characters"))
}

/// The error of `kind` (validation or config) `{field}{what}`.
pub(crate) fn says_as(kind: Kind, field: &'static str, what: &str) -> Error {
    kind(field, cat!(field, what))
}

fn safe_integer(n: f64) -> Option<u64> {
    // `n >= 0.0` is also true for -0, which JS prints as "0" too.
    if is_integer(n) && (0.0..=MAX_SAFE_INTEGER).contains(&n) {
        Some(n as u64)
    } else {
        None
    }
}

/// `userId`, `authUserId`: a non-empty string or a non-negative safe integer,
/// used as one path segment (so `.` and `..` are refused).
pub fn path_id(field: &'static str, input: &Input) -> Result<String, Error> {
    // `and_then`, not `?`: the result keeps its type, so an error is not moved.
    any_id(field, input).and_then(|id| match id.as_str() {
        "." | ".." => Err(says(field, " must not be \".\" or \"..\"")),
        _ => Ok(id),
    })
}

/// A non-empty string (any characters but controls, bounded) or a non-negative
/// safe integer, as text.
pub fn any_id(field: &'static str, input: &Input) -> Result<String, Error> {
    match input {
        Input::Number(n) => safe_integer(*n)
            .map(super::text::decimal)
            .ok_or_else(|| says(field, " must be a non-negative safe integer or a non-empty string")),
        Input::Str(s) => query_text(field, s).and_then(|s| {
            if has_control(&s) {
                return Err(says(field, " must not contain control characters"));
            }
            Ok(s)
        }),
        other => Err(required_or_type(field, other, "a non-empty string or a non-negative safe integer")),
    }
}

fn required_or_type(field: &'static str, input: &Input, expected: &str) -> Error {
    required_or_type_as(Error::validation, field, input, expected)
}

pub(crate) fn required_or_type_as(kind: Kind, field: &'static str, input: &Input, expected: &str) -> Error {
    if input.is_missing() {
        says_as(kind, field, " is required")
    } else {
        kind(field, cat!(field, " must be ", expected, ", got ", input.type_name()))
    }
}

/// `cardId`: card identifiers are numeric, as a safe integer or a digit string.
pub fn card_id(input: &Input) -> Result<String, Error> {
    const F: &str = "cardId";
    match input {
        Input::Number(n) => safe_integer(*n)
            .map(super::text::decimal)
            .ok_or_else(|| Error::validation(F, "cardId must be a non-negative safe integer or a string of digits")),
        Input::Str(s) if !s.is_empty() && s.len() <= 32 && every(s.as_bytes(), |b| b.is_ascii_digit()) => Ok(s.clone()),
        Input::Str(_) => Err(Error::validation(F, "cardId must be a string of 1 to 32 ASCII digits")),
        other => Err(required_or_type(F, other, "a non-negative safe integer or a string of digits")),
    }
}

/// The digits of a card number, with single spaces or dashes allowed between
/// groups. Returns the bare digits when they are 12 to 19 and pass Luhn.
pub fn card_number(input: &Input) -> Result<Secret<String>, Error> {
    const F: &str = "card";
    let s = match input {
        Input::Str(s) => s.trim(),
        other => return Err(required_or_type(F, other, "a string of digits")),
    };
    if s.is_empty() {
        return Err(Error::validation(F, "card is required"));
    }
    if char_count(s) > MAX_CARD_INPUT_CHARS {
        return Err(Error::validation(F, "card is too long to be a card number"));
    }
    let mut digits = String::with_capacity(19);
    let mut prev_digit = false;
    // On bytes: a non-ASCII character is refused as a non-digit all the same.
    let mut bytes = s.bytes().peekable();
    while let Some(c) = bytes.next() {
        if c.is_ascii_digit() {
            digits.push(char::from(c));
            prev_digit = true;
        } else if (c == b' ' || c == b'-') && prev_digit && bytes.peek().is_some_and(u8::is_ascii_digit) {
            prev_digit = false;
        } else {
            return Err(Error::validation(
                F,
                "card must contain only digits, with single spaces or dashes between groups",
            ));
        }
    }
    if !(12..=19).contains(&digits.len()) {
        return Err(Error::validation(F, "card must have 12 to 19 digits"));
    }
    if !luhn(digits.as_bytes()) {
        return Err(Error::validation(F, "card number failed verification (check digit)"));
    }
    Ok(Secret::new(digits))
}

/// `alias`: 1 to [`MAX_ALIAS_CHARS`] characters, no control characters.
pub fn alias(input: &Input) -> Result<String, Error> {
    const F: &str = "alias";
    match input {
        Input::Str(s) if s.trim().is_empty() => Err(Error::validation(F, "alias must not be empty")),
        Input::Str(s) if char_count(s) > MAX_ALIAS_CHARS => Err(at_most(F, MAX_ALIAS_CHARS)),
        Input::Str(s) if has_control(s) => Err(Error::validation(F, "alias must not contain control characters")),
        Input::Str(s) => Ok(s.clone()),
        other => Err(required_or_type(F, other, "a string")),
    }
}

/// A non-empty string without control characters and at most `max` bytes;
/// its errors are of `kind` (validation for an argument, config for an option).
pub fn text(kind: Kind, field: &'static str, input: &Input, max: usize) -> Result<String, Error> {
    match input {
        Input::Str(s) if s.is_empty() => Err(says_as(kind, field, " must not be empty")),
        Input::Str(s) if s.len() > max => Err(says_as(kind, field, " is too long")),
        Input::Str(s) if has_control(s) => Err(says_as(kind, field, " must not contain control characters")),
        Input::Str(s) => Ok(s.clone()),
        other => Err(required_or_type_as(kind, field, other, "a non-empty string")),
    }
}

/// A non-empty string of at most [`MAX_ID_CHARS`] characters, for a value
/// that is percent-encoded into a query (any character is carried).
pub fn query_text(field: &'static str, s: &str) -> Result<String, Error> {
    if s.is_empty() {
        Err(says(field, " must not be empty"))
    } else if char_count(s) > MAX_ID_CHARS {
        Err(at_most(field, MAX_ID_CHARS))
    } else {
        Ok(s.to_owned())
    }
}

pub fn view_token(input: &Input) -> Result<Secret<String>, Error> {
    text(Error::validation, "viewToken", input, MAX_VIEW_TOKEN_BYTES).map(Secret::new)
}

/// Shortest and longest PIN, in digits (ISO 9564-1's range; the contract
/// gives no length).
pub const PIN_DIGITS: (usize, usize) = (4, 12);

/// `pin`: a string of 4 to 12 ASCII digits, kept as typed (leading zeros
/// count). A number is refused as any other type: it has already lost any
/// leading zero.
pub fn pin(input: &Input) -> Result<Secret<String>, Error> {
    const F: &str = "pin";
    match input {
        Input::Str(s)
            if (PIN_DIGITS.0..=PIN_DIGITS.1).contains(&s.len()) && every(s.as_bytes(), |b| b.is_ascii_digit()) =>
        {
            Ok(Secret::new(s.clone()))
        }
        Input::Str(_) => Err(says(F, " must be 4 to 12 digits (0-9)")),
        other => Err(required_or_type(F, other, "a string of 4 to 12 digits")),
    }
}

pub fn client_id(input: &Input) -> Result<String, Error> {
    text(Error::validation, "clientId", input, MAX_ID_CHARS)
}

/// An integer within `lo..=hi` (a JS number with no fractional part); its
/// errors are of `kind`.
pub fn int_in(kind: Kind, field: &'static str, input: &Input, lo: u32, hi: u32) -> Result<u32, Error> {
    match input {
        Input::Number(n) if is_integer(*n) && *n >= f64::from(lo) && *n <= f64::from(hi) => Ok(*n as u32),
        Input::Number(_) => Err(says_as(kind, field, &cat!(" must be an integer from ", lo, " to ", hi))),
        other => Err(required_or_type_as(kind, field, other, &cat!("an integer from ", lo, " to ", hi))),
    }
}

/// The months and years a statement may be asked for, inclusive.
pub const MONTHS: (u32, u32) = (1, 12);
pub const YEARS: (u32, u32) = (1000, 9999);

pub fn month(input: &Input) -> Result<u32, Error> {
    int_in(Error::validation, "month", input, MONTHS.0, MONTHS.1)
}

pub fn year(input: &Input) -> Result<u32, Error> {
    int_in(Error::validation, "year", input, YEARS.0, YEARS.1)
}

/// What makes `s` unfit for an HTTP header value of at most `max` bytes, as
/// the end of a message; None when it is fit. Alone, for a caller that only
/// needs the answer (a token from the provider).
pub fn header_problem(s: &str, max: usize) -> Option<&'static str> {
    if s.is_empty() {
        Some(" must not be empty")
    } else if s.len() > max {
        Some(" is too long")
    } else if !every(s.as_bytes(), |b| b.is_ascii_graphic()) {
        Some(" must contain only visible ASCII characters")
    } else {
        None
    }
}

/// A value that travels in an HTTP header: visible ASCII only, since anything
/// else makes `fetch` throw or lets a header be split.
pub fn header_value(field: &'static str, input: &Input, max: usize, kind: Kind) -> Result<String, Error> {
    match input {
        Input::Str(s) => match header_problem(s, max) {
            Some(problem) => Err(says_as(kind, field, problem)),
            None => Ok(s.clone()),
        },
        other => Err(required_or_type_as(kind, field, other, "a string")),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::text::digits_value;
    use proptest::prelude::*;

    /// Appends the Luhn check digit to `body`.
    fn with_check_digit(body: &str) -> String {
        (0..10).map(|d| format!("{body}{d}")).find(|c| luhn(c.as_bytes())).unwrap()
    }

    proptest! {
        #[test]
        fn numbers_with_a_right_check_digit_pass(body in "[0-9]{11,18}") {
            let card = with_check_digit(&body);
            prop_assert_eq!(card_number(&Input::Str(card.clone())).unwrap().expose().clone(), card);
        }

        #[test]
        fn any_single_digit_change_fails(body in "[0-9]{11,18}", pos in any::<prop::sample::Index>(), delta in 1u8..10) {
            let mut card = with_check_digit(&body).into_bytes();
            let i = pos.index(card.len());
            card[i] = b'0' + (card[i] - b'0' + delta) % 10;
            let card = String::from_utf8(card).unwrap();
            let e = card_number(&Input::Str(card)).unwrap_err();
            prop_assert_eq!(e.field, Some("card"));
        }

        #[test]
        fn separators_between_groups_are_stripped(body in "[0-9]{11,18}", cuts in prop::collection::vec((any::<prop::sample::Index>(), prop::bool::ANY), 0..4)) {
            let card = with_check_digit(&body);
            let mut spaced = String::new();
            let marks: Vec<(usize, char)> = cuts.iter().map(|(i, dash)| (1 + i.index(card.len() - 1), if *dash { '-' } else { ' ' })).collect();
            for (i, c) in card.chars().enumerate() {
                if let Some((_, sep)) = marks.iter().find(|(at, _)| *at == i) {
                    spaced.push(*sep);
                }
                spaced.push(c);
            }
            prop_assert_eq!(card_number(&Input::Str(spaced)).unwrap().expose().clone(), card);
        }

        #[test]
        fn messages_never_hold_more_than_four_digits(s in "[0-9 -]{0,30}") {
            if let Err(e) = card_number(&Input::Str(s)) {
                prop_assert!(!e.message.bytes().any(|b| b.is_ascii_digit()) || e.message.contains("12 to 19"), "{}", e.message);
            }
        }
    }

    fn s(v: &str) -> Input {
        Input::Str(v.into())
    }

    #[test]
    fn a_pin_is_4_to_12_digits_kept_as_typed() {
        for good in ["0000", "0420", "1234", "123456789012"] {
            assert_eq!(pin(&s(good)).unwrap().expose(), good);
        }
        for (bad, says) in [
            (s(""), "pin must be 4 to 12 digits (0-9)"),
            (Input::Absent, "pin is required"),
            (s("123"), "pin must be 4 to 12 digits (0-9)"),
            (s("1234567890123"), "pin must be 4 to 12 digits (0-9)"),
            (s(" 1234"), "pin must be 4 to 12 digits (0-9)"),
            (s("12a4"), "pin must be 4 to 12 digits (0-9)"),
            (s("١٢٣٤"), "pin must be 4 to 12 digits (0-9)"),
            (Input::Number(420.0), "pin must be a string of 4 to 12 digits, got number"),
            (Input::Bool(true), "pin must be a string of 4 to 12 digits, got boolean"),
        ] {
            let e = pin(&bad).unwrap_err();
            assert_eq!((e.field, e.message.as_str()), (Some("pin"), says), "{bad:?}");
        }
    }

    #[test]
    fn path_ids_accept_strings_and_safe_integers() {
        assert_eq!(path_id("userId", &s("u-1")).unwrap(), "u-1");
        assert_eq!(path_id("userId", &Input::Number(42.0)).unwrap(), "42");
        assert_eq!(path_id("userId", &Input::Number(-0.0)).unwrap(), "0");
        assert_eq!(path_id("userId", &Input::Number(MAX_SAFE_INTEGER)).unwrap(), "9007199254740991");
        for bad in [
            Input::Number(-1.0),
            Input::Number(1.5),
            Input::Number(f64::NAN),
            Input::Number(f64::INFINITY),
            Input::Number(MAX_SAFE_INTEGER + 2.0),
            s(""),
            s("."),
            s(".."),
            s("a\nb"),
            Input::Absent,
            Input::Null,
            Input::Bool(true),
            Input::Other("bigint"),
            Input::Unreadable,
        ] {
            let e = path_id("userId", &bad).unwrap_err();
            assert_eq!(e.field, Some("userId"), "{bad:?}");
        }
        assert!(path_id("userId", &s(&"x".repeat(MAX_ID_CHARS + 1))).is_err());
        assert!(path_id("userId", &s("a/b?c#d")).is_ok(), "encoded later, not refused");
    }

    #[test]
    fn card_ids_are_numeric() {
        assert_eq!(card_id(&Input::Number(5000001.0)).unwrap(), "5000001");
        assert_eq!(card_id(&s("0012")).unwrap(), "0012");
        for bad in [s("12a"), s(""), s("1 2"), s("١٢"), Input::Number(-3.0), Input::Number(0.5), Input::Absent] {
            assert_eq!(card_id(&bad).unwrap_err().field, Some("cardId"));
        }
    }

    #[test]
    fn card_numbers_strip_separators_and_check_luhn() {
        assert_eq!(card_number(&s("4111111111111111")).unwrap().expose(), "4111111111111111");
        assert_eq!(card_number(&s("4111 1111 1111 1111")).unwrap().expose(), "4111111111111111");
        assert_eq!(card_number(&s(" 4111-1111-1111-1111 ")).unwrap().expose(), "4111111111111111");
        for bad in [
            "4111111111111112",
            "4111  1111 1111 1111",
            "-4111111111111111",
            "4111111111111111-",
            "4111 1111 1111 111a",
            "41111111111",
            "41111111111111111111",
            "",
            "   ",
        ] {
            let e = card_number(&s(bad)).unwrap_err();
            assert_eq!(e.field, Some("card"));
            assert!(!e.message.contains("1111"), "{}", e.message);
        }
        assert!(card_number(&Input::Number(4111111111111111.0)).is_err());
    }

    #[test]
    fn luhn_known_values() {
        assert!(luhn(b"79927398713"));
        assert!(!luhn(b"79927398710"));
        assert!(luhn(b"378282246310005"));
        assert!(luhn(b"6011111111111117"));
    }

    #[test]
    fn alias_rules() {
        assert_eq!(alias(&s("Groceries")).unwrap(), "Groceries");
        assert_eq!(alias(&s(&"é".repeat(64))).unwrap().chars().count(), 64);
        assert!(alias(&s(&"é".repeat(65))).is_err());
        assert!(alias(&s("a\u{7}b")).is_err());
        assert!(alias(&s("  ")).is_err());
        assert!(alias(&Input::Number(1.0)).is_err());
    }

    #[test]
    fn month_and_year() {
        assert_eq!(month(&Input::Number(1.0)).unwrap(), 1);
        assert_eq!(month(&Input::Number(12.0)).unwrap(), 12);
        assert_eq!(year(&Input::Number(2026.0)).unwrap(), 2026);
        for bad in [0.0, 13.0, 1.5, f64::NAN, -1.0] {
            assert_eq!(month(&Input::Number(bad)).unwrap_err().field, Some("month"));
        }
        for bad in [999.0, 10000.0, 2026.5] {
            assert_eq!(year(&Input::Number(bad)).unwrap_err().field, Some("year"));
        }
        assert!(month(&s("3")).is_err());
    }

    #[test]
    fn digits_value_reads_what_parse_reads_from_digits() {
        for t in [
            "0",
            "7",
            "0042",
            "65535",
            "65536",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999",
        ] {
            assert_eq!(digits_value(t.as_bytes()), t.parse::<u64>().ok(), "{t}");
        }
        for bad in ["", "+1", "-1", " 1", "1 ", "1.0", "1e3", "٣"] {
            assert_eq!(digits_value(bad.as_bytes()), None, "{bad}");
        }
    }

    /// The byte reading of `has_control` against `char::is_control`, over
    /// every character around the two ranges and text mixing them.
    #[test]
    fn control_characters_read_from_bytes_as_chars_say() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            assert_eq!(has_control(&s), c.is_control(), "{c:?}");
        }
        for s in ["", "plain", "é\u{a0}ÿ", "Ā\u{80}", "\u{9f}", "x\u{7f}", "\u{100}\u{85}"] {
            assert_eq!(has_control(s), s.chars().any(char::is_control), "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn has_control_agrees_with_chars(s in any::<String>()) {
            prop_assert_eq!(has_control(&s), s.chars().any(char::is_control));
        }
    }

    #[test]
    fn header_values_refuse_header_splitting() {
        assert!(header_value("accessToken", &s("abc\r\nx: y"), 100, Error::config).is_err());
        assert!(header_value("accessToken", &s("a b"), 100, Error::config).is_err());
        assert_eq!(header_value("accessToken", &s("eyJ.x-y_z"), 100, Error::config).unwrap(), "eyJ.x-y_z");
    }
}
