//! Just enough JSON for the response envelope: checking that a body is JSON,
//! reading the members of a top-level object as raw text, and unescaping the
//! strings we show (error codes and messages).
//!
//! Written here rather than taken from serde_json, whose parser and writer
//! would make the module much larger (ARCHITECTURE.md gives the figure);
//! the values themselves are parsed by the JS engine's own `JSON.parse`.
//! Property tests check it against serde_json.

#[allow(unused_imports)]
use crate::prelude::*;

use alloc::borrow::Cow;

/// Deeper nesting is refused rather than risking the stack (as serde_json).
const MAX_DEPTH: usize = 128;

/// The bytes that end a run of plain characters in a string: `"`, `\` and
/// control characters. A table: one load per byte instead of three tests
/// (the scan of strings is the core's largest cost on a success).
static STOPS_STRING: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// What [`Cursor::items`] calls with each member: (key, value) as raw text.
type Each<'e, 'a> = &'e mut dyn FnMut(Option<&'a [u8]>, &'a [u8]);

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
    /// No number read so far is one a JS number cannot hold exactly.
    exact: bool,
}

impl<'a> Cursor<'a> {
    fn new(b: &'a [u8], i: usize) -> Cursor<'a> {
        Cursor { b, i, exact: true }
    }

    // Inlined: it runs per byte, and a call to it costs a success far more
    // time (callgrind, benches/call.rs) than its copies cost size. `ws` and
    // `eat` are left to the compiler: inlining them costs more than it saves.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i + word.len();
        (self.b.get(self.i..end)? == word).then(|| self.i = end)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Option<()> {
        let start = self.i;
        self.number_text()?;
        // An integer literal of at most 15 characters is below 2^53.
        let lit = self.b.get(start..self.i)?;
        if self.exact && (lit.len() > 15 || lit.iter().any(|c| matches!(c, b'.' | b'e' | b'E'))) {
            self.exact = is_exact_bytes(lit);
        }
        Some(())
    }

    fn number_text(&mut self) -> Option<()> {
        let _ = self.eat(b'-');
        if self.eat(b'0').is_none() && self.digits() == 0 {
            return None;
        }
        if self.eat(b'.').is_some() && self.digits() == 0 {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    fn string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            // Plain characters in one sweep: most strings have no escape.
            // A plain loop: smaller than `position` and its closure, at the
            // same speed.
            let stop = loop {
                let c = self.peek()?;
                if STOPS_STRING[usize::from(c)] {
                    break c;
                }
                self.i += 1;
            };
            match stop {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => {
                    self.i += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 1,
                        b'u' => {
                            let hex = self.b.get(self.i + 1..self.i + 5)?;
                            if !super::text::every(hex, |b| b.is_ascii_hexdigit()) {
                                return None;
                            }
                            self.i += 5;
                        }
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => self.i += 1,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match self.peek()? {
            b'{' | b'[' => self.items(depth, None),
            b'"' => self.string(),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// The object or array at the cursor (which is at its `{` or `[`);
    /// `each(key, value)` gets the raw text of every member (`key` None in an
    /// array). One loop for both kinds and every caller, rather than a
    /// generic copy per caller.
    fn items(&mut self, depth: usize, mut each: Option<Each<'_, 'a>>) -> Option<()> {
        let object = self.peek()? == b'{';
        let close = if object { b'}' } else { b']' };
        self.i += 1;
        self.ws();
        if self.eat(close).is_some() {
            return Some(());
        }
        loop {
            self.ws();
            let mut key = None;
            if object {
                let k = self.i;
                self.string()?;
                key = Some(self.b.get(k..self.i)?);
                self.ws();
                self.eat(b':')?;
                self.ws();
            }
            let v = self.i;
            self.value(depth + 1)?;
            if let Some(each) = each.as_mut() {
                each(key, self.b.get(v..self.i)?);
            }
            self.ws();
            if self.eat(close).is_some() {
                return Some(());
            }
            self.eat(b',')?;
        }
    }

    fn end(&mut self) -> Option<()> {
        self.ws();
        (self.i == self.b.len()).then_some(())
    }
}

/// Where `part` lies in `whole`, by address: its byte range when `part` is a
/// slice of `whole`'s bytes (as everything a scan of `whole` cuts is), None
/// otherwise. Slicing `whole` there checks two boundaries, where
/// `str::from_utf8` would check every byte again.
pub fn span_in(whole: &str, part: &[u8]) -> Option<core::ops::Range<usize>> {
    let start = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
    let range = start..start.checked_add(part.len())?;
    whole.get(range.clone()).map(|_| range)
}

/// The text of `part`, a slice of `whole`'s bytes ([`span_in`]).
fn part_of<'a>(whole: &'a str, part: &[u8]) -> &'a str {
    // Sliced once: through `span_in`, its boundaries would be checked twice.
    let start = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
    start.checked_add(part.len()).and_then(|end| whole.get(start..end)).unwrap_or_default()
}

/// Whether `s` is exactly one JSON value (with surrounding whitespace).
pub fn is_valid(s: &str) -> bool {
    let mut c = Cursor::new(s.as_bytes(), 0);
    c.value(0).and_then(|_| c.end()).is_some()
}

/// The members of a top-level object, as (key unescaped, raw value text), in
/// order; `None` when `s` is not a valid JSON object (so this also validates
/// the whole document: no need for [`is_valid`] first). A key without
/// escapes is borrowed, which is every key of the gateway's envelope.
pub fn object(s: &str) -> Option<Members<'_>> {
    object_exact(s).map(|(members, _)| members)
}

/// An object's members: (key unescaped, raw value text), in order.
pub type Members<'a> = Vec<(Cow<'a, str>, &'a str)>;

/// [`object`], and whether every number in `s` is one a JS number holds
/// exactly ([`is_exact_in_js`]): then [`exact_numbers`] has nothing to do on
/// any part of it, and is not run, which spares a second pass over every body.
pub fn object_exact(s: &str) -> Option<(Members<'_>, bool)> {
    let mut c = Cursor::new(s.as_bytes(), 0);
    // The gateway's envelope has four members at most.
    let mut out = Vec::with_capacity(4);
    c.ws();
    if c.peek()? != b'{' {
        return None;
    }
    c.items(
        0,
        Some(&mut |k, v| {
            let quoted = part_of(s, k.unwrap_or_default());
            let inner = quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or_default();
            // `every`, not `contains`, which would bring memchr.
            let key = if !super::text::every(inner.as_bytes(), |b| b != b'\\') {
                Cow::Owned(string(quoted).unwrap_or_default())
            } else {
                Cow::Borrowed(inner)
            };
            out.push((key, part_of(s, v)))
        }),
    )?;
    c.end()?;
    Some((out, c.exact))
}

/// The elements of a top-level array as raw text; `None` if not an array.
pub fn array(s: &str) -> Option<Vec<&str>> {
    let mut c = Cursor::new(s.as_bytes(), 0);
    let mut out = Vec::new();
    c.ws();
    if c.peek()? != b'[' {
        return None;
    }
    c.items(0, Some(&mut |_, v| out.push(part_of(s, v))))?;
    c.end()?;
    Some(out)
}

/// The value of the last member named `key` (as `JSON.parse` keeps the last).
pub fn member<'a>(members: &[(Cow<'_, str>, &'a str)], key: &str) -> Option<&'a str> {
    members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| *v)
}

/// Rewrites a JSON document with every string (keys too) and every number
/// passed through `scrub`, so that secrets cannot hide behind escapes such as
/// `\u0066` or `\/`. `scrub` is given the key of the member whose value it
/// reads (`None` for a key, an array item or the document itself). A number
/// becomes a JSON string when `scrub` changes it, or when a JS number cannot
/// hold it exactly ([`is_exact_in_js`]: then its text, unchanged). `None`
/// when `raw` is not valid JSON.
pub fn scrub(raw: &str, scrub: &dyn for<'x> Fn(Option<&str>, &'x str) -> Cow<'x, str>) -> Option<String> {
    if !is_valid(raw) {
        return None;
    }
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    // The key just read, until the value after it is.
    let mut key: Option<String> = None;
    let mut i = 0;
    while i < b.len() {
        let start = i;
        match b[i] {
            b'"' => {
                let mut c = Cursor::new(b, i);
                c.string()?;
                i = c.i;
                let text = string(raw.get(start..i)?)?;
                c.ws();
                if b.get(c.i) == Some(&b':') {
                    json_string_into(&scrub(None, &text), &mut out);
                    key = Some(text);
                } else {
                    json_string_into(&scrub(key.take().as_deref(), &text), &mut out);
                }
            }
            b'-' | b'0'..=b'9' => {
                let mut c = Cursor::new(b, i);
                c.number()?;
                i = c.i;
                let number = raw.get(start..i)?;
                let cleaned = scrub(key.take().as_deref(), number);
                if cleaned == number && is_exact_in_js(number) {
                    out.push_str(number);
                } else {
                    json_string_into(&cleaned, &mut out);
                }
            }
            _ => {
                // Structure, whitespace and literals: copied as they are.
                while i < b.len() && !matches!(b[i], b'"' | b'-' | b'0'..=b'9') {
                    i += 1;
                }
                let run = raw.get(start..i)?;
                // An object, an array or a literal is the value of the key before it.
                if !super::text::every(run.as_bytes(), |b| matches!(b, b':' | b',' | b' ' | b'\t' | b'\n' | b'\r')) {
                    key = None;
                }
                out.push_str(run);
            }
        }
    }
    Some(out)
}

/// `raw` (valid JSON) with every number a JS number cannot hold exactly
/// ([`is_exact_in_js`]) turned into a JSON string of its text, unchanged:
/// `{"cardId":9007199254740993}` becomes `{"cardId":"9007199254740993"}`.
/// Strings, other numbers and layout are kept byte for byte; borrowed when
/// nothing changes (the common case). Text that is not valid JSON is
/// returned as it is.
pub fn exact_numbers(raw: &str) -> Cow<'_, str> {
    let b = raw.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut c = Cursor::new(b, 0);
    while let Some(byte) = c.peek() {
        let start = c.i;
        match byte {
            b'"' => {
                if c.string().is_none() {
                    return Cow::Borrowed(raw);
                }
            }
            b'-' | b'0'..=b'9' => {
                if c.number().is_none() {
                    return Cow::Borrowed(raw);
                }
                let number = raw.get(start..c.i).unwrap_or_default();
                if !is_exact_in_js(number) {
                    let o = out.get_or_insert_with(|| String::with_capacity(raw.len() + 8));
                    o.push_str(raw.get(copied..start).unwrap_or_default());
                    // A number literal has nothing to escape.
                    o.push('"');
                    o.push_str(number);
                    o.push('"');
                    copied = c.i;
                }
            }
            _ => c.i += 1,
        }
    }
    match out {
        None => Cow::Borrowed(raw),
        Some(mut o) => {
            o.push_str(raw.get(copied..).unwrap_or_default());
            Cow::Owned(o)
        }
    }
}

/// 2^53 − 1, `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE_INTEGER: &[u8] = b"9007199254740991";
/// The first 15 significant digits of the largest double, 1.7976931348623157e308.
const MAX_DOUBLE_15: &[u8; 15] = b"179769313486231";

/// Whether `JSON.parse` gives the JSON number literal `raw` a JS number of
/// exactly the value written. Decided by counting digits, so the module needs
/// no float parsing (which would cost several KB of the size budget):
///
/// - an integer literal (no fraction, no exponent) is exact when its
///   magnitude is at most 2^53 − 1 (`Number.MAX_SAFE_INTEGER`,
///   9007199254740991). Larger ones are not, even where a double happens to
///   hold the value (2^53, 10^21): an id must be a safe integer, and
///   `String(n)` would not give its digits back;
/// - any other number is exact when it is zero, or when it has at most 15
///   significant digits (every such decimal survives the trip through a
///   double and back: IEEE 754's DBL_DIG) and its magnitude is from 1e-307
///   (above the subnormal range) to 1.79769313486231e308. So `12.34`, `0.5`,
///   `1e3`, `-2.5E-7` are exact; `0.1000000000000000055` (16 or more
///   significant digits, even where the double would print the same), `1e400`
///   (Infinity) and `1e-320` (subnormal) are not.
///
/// `raw` that is not a number literal is reported as not exact.
pub fn is_exact_in_js(raw: &str) -> bool {
    is_exact_bytes(raw.as_bytes())
}

/// [`is_exact_in_js`] on the literal's bytes, as a scan cuts them: checking
/// them as UTF-8 first would bring `str::from_utf8` and take time.
fn is_exact_bytes(raw: &[u8]) -> bool {
    let b = match raw {
        [b'-', rest @ ..] => rest,
        _ => raw,
    };
    // One pass over the mantissa: digits from the first non-zero one (up to
    // 16 kept), how many up to the last non-zero one, where the first is.
    let (mut sig, mut n, mut last) = ([b'0'; 16], 0, 0);
    let (mut int_len, mut lead, mut seen, mut point, mut i) = (0i64, 0i64, 0i64, false, 0);
    while let Some(&c) = b.get(i) {
        if c == b'.' && !point && int_len > 0 {
            point = true;
        } else if c.is_ascii_digit() {
            if n == 0 && c == b'0' {
                lead += 1;
            } else {
                if let Some(slot) = sig.get_mut(n) {
                    *slot = c;
                }
                n += 1;
                if c != b'0' {
                    last = n;
                }
            }
            int_len += i64::from(!point);
            seen += 1;
        } else {
            break;
        }
        i += 1;
    }
    // `get`: `i` stopped within `b`, which an index would not know (and keep
    // a panic site for).
    let rest = b.get(i..).unwrap_or_default();
    if int_len == 0 || (point && seen == int_len) {
        return false; // no digits before the point, or none after it
    }
    if rest.is_empty() && !point {
        // An integer literal: at most 2^53 - 1.
        return n < 16 || (n == 16 && sig.as_slice() <= MAX_SAFE_INTEGER);
    }
    let exp = match rest {
        [] => 0,
        [b'e' | b'E', tail @ ..] => {
            let (sign, digits) = match tail {
                [b'-', d @ ..] => (-1, d),
                [b'+', d @ ..] => (1, d),
                d => (1, d),
            };
            if digits.is_empty() || !super::text::every(digits, |b| b.is_ascii_digit()) {
                return false;
            }
            // Saturates far beyond any double's range, so no overflow.
            sign * digits.iter().fold(0i64, |v, d| (v * 10 + i64::from(d - b'0')).min(1_000_000))
        }
        _ => return false,
    };
    if n == 0 {
        return true; // zero
    }
    if last > 15 {
        return false;
    }
    // The decimal exponent of the first significant digit.
    match int_len - 1 - lead + exp {
        -307..=307 => true,
        308 => sig[..15] <= MAX_DOUBLE_15[..],
        _ => false,
    }
}

/// Unescapes a raw JSON string literal; `None` if `raw` is not one.
/// Unpaired surrogate escapes become U+FFFD.
pub fn string(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let mut c = Cursor::new(raw.as_bytes(), 0);
    c.string()?;
    c.end()?;
    let inner = raw.get(1..raw.len() - 1)?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        match chars.next()? {
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'u' => {
                let hi = hex4(&mut chars)?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    // A high surrogate; a low one must follow as `\uXXXX`.
                    // (The literal is valid: a `\u` has its four hex digits.)
                    let mut after = chars.clone();
                    match (after.next(), after.next(), hex4(&mut after)) {
                        (Some('\\'), Some('u'), Some(lo)) if (0xDC00..0xE000).contains(&lo) => {
                            chars = after;
                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                        }
                        _ => 0xFFFD,
                    }
                } else {
                    hi
                };
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            other => out.push(other),
        }
    }
    Some(out)
}

fn hex4(chars: &mut core::str::Chars<'_>) -> Option<u32> {
    let mut v = 0;
    for _ in 0..4 {
        v = v * 16 + chars.next()?.to_digit(16)?;
    }
    Some(v)
}

/// Writes `s` as a JSON string literal.
pub fn json_string_into(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    // Runs of characters that need no escape are copied whole.
    let mut rest = s;
    while let Some(i) = rest.bytes().position(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(rest.get(..i).unwrap_or_default());
        let b = rest.as_bytes().get(i).copied().unwrap_or(0);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
        rest = rest.get(i + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out.push('"');
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    #[test]
    fn validity() {
        for ok in [
            "0",
            "-0.5e+3",
            "\"a\\u00e9\\n\"",
            " {\"a\": [1, {\"b\": null}], \"c\": true } ",
            "[]",
            "{}",
            "\"\\ud800\"",
        ] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in
            ["", "{", "{\"a\":}", "[1,]", "01", "1.", "-", "tru", "\"\u{1}\"", "{} {}", "{'a':1}", "\"\\x\"", "NaN"]
        {
            assert!(!is_valid(bad), "{bad}");
        }
        assert!(is_valid(&format!("{}{}", "[".repeat(128), "]".repeat(128))));
        assert!(
            !is_valid(&format!("{}{}", "[".repeat(200_000), "]".repeat(200_000))),
            "deep nesting is refused, without overflowing the stack"
        );
    }

    #[test]
    fn members_and_strings() {
        let m = object(r#"{"success":true,"data":{"x":[1,2]},"errors":[{"code":"7213"}],"success":false}"#).unwrap();
        assert_eq!(member(&m, "data"), Some(r#"{"x":[1,2]}"#));
        assert_eq!(member(&m, "success"), Some("false"), "the last duplicate wins, as in JSON.parse");
        assert_eq!(array(member(&m, "errors").unwrap()).unwrap(), vec![r#"{"code":"7213"}"#]);
        assert_eq!(string(r#""a\"b\\c\/\u00e9\ud83d\ude00\ud800x""#).unwrap(), "a\"b\\c/é😀\u{FFFD}x");
        assert_eq!(string("42"), None);
        assert_eq!(object("[1]"), None);
    }

    #[test]
    fn scrub_sees_through_escapes_and_numbers() {
        fn hide<'x>(_: Option<&str>, s: &'x str) -> Cow<'x, str> {
            Cow::Owned(s.replace("secret", "***").replace("4111111111111111", "************1111"))
        }
        let raw = r#"[{"code":"7000","value":"sec\u0072et","pan":4111111111111111,"n":-1.5e3,"ok":[true,null]}]"#;
        let out = scrub(raw, &hide).unwrap();
        assert_eq!(out, r#"[{"code":"7000","value":"***","pan":"************1111","n":-1.5e3,"ok":[true,null]}]"#);
        assert!(is_valid(&out));
        assert_eq!(scrub("[1,", &hide), None);
    }

    /// Each value is given the key of its member; keys, array items and
    /// values after a nested object or array are given none.
    #[test]
    fn scrub_gives_each_value_its_key() {
        let raw = r#"{"code" : "7213","a":[ "x", 5 ],"b":{"code":7205},"c":null,"d":"y","e":{}, "f":1}"#;
        let out = scrub(raw, &|key, s: &str| Cow::Owned(format!("{}={s}", key.unwrap_or("-")))).unwrap();
        assert_eq!(
            out,
            r#"{"-=code" : "code=7213","-=a":[ "-=x", "-=5" ],"-=b":{"-=code":"code=7205"},"-=c":null,"-=d":"d=y","-=e":{}, "-=f":"f=1"}"#
        );
    }

    proptest! {
        #[test]
        fn scrubbing_with_identity_keeps_the_value(v in arb_json()) {
            // Every value kept, except numbers a JS number cannot hold
            // exactly, which become their text.
            let text = serde_json::to_string(&v).unwrap();
            let out = scrub(&text, &|_, s: &str| Cow::Borrowed(s)).unwrap();
            prop_assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), exact(&v));
            prop_assert_eq!(serde_json::from_str::<Value>(&exact_numbers(&text)).unwrap(), exact(&v));
        }

        #[test]
        fn object_exact_says_whether_exact_numbers_would_change_anything(
            v in arb_json(), n in number_literal(), k in any::<String>(),
        ) {
            // An object holding a generated value and a number literal of
            // every shape (serde_json writes few inexact ones itself).
            let mut text = String::from("{");
            text.push_str(&serde_json::to_string(&k).unwrap());
            text.push(':');
            text.push_str(&serde_json::to_string(&v).unwrap());
            text.push_str(",\"n\":");
            text.push_str(&n);
            text.push('}');
            let (members, exact) = object_exact(&text).unwrap();
            prop_assert_eq!(Some(members), object(&text));
            prop_assert_eq!(exact, matches!(exact_numbers(&text), Cow::Borrowed(_)), "{}", text);
        }

        #[test]
        fn the_exactness_rule_against_f64(text in number_literal()) {
            let ours = is_exact_in_js(&text);
            let (digits, e) = canonical(&text);
            let integer = !text.contains(['.', 'e', 'E']);
            if integer {
                let v: i128 = text.parse().unwrap();
                prop_assert_eq!(ours, v.unsigned_abs() < (1u128 << 53), "{}", text);
                return Ok(());
            }
            let f: f64 = text.parse().unwrap();
            if ours {
                // Kept as a number: the double JSON.parse makes prints back
                // (shortest round trip, as JS does) as the same decimal value.
                prop_assert!(f.is_finite(), "{}", text);
                prop_assert_eq!(canonical(&format!("{f:e}")), (digits.clone(), e), "{} -> {:e}", text, f);
            }
            // And every number the rule promises to keep is kept.
            let promised = digits.is_empty()
                || (digits.len() <= 15 && ((-307..=307).contains(&e) || (e == 308 && f.is_finite())));
            prop_assert_eq!(ours, promised, "{}", text);
        }

        #[test]
        fn never_panics_and_agrees_with_serde_json(s in "\\PC{0,60}") {
            let ours = is_valid(&s);
            let theirs = serde_json::from_str::<serde::de::IgnoredAny>(&s).is_ok();
            if theirs { prop_assert!(ours, "{s:?}"); }
            let _ = object(&s);
            let _ = string(&s);
        }

        #[test]
        fn generated_documents_round_trip(v in arb_json()) {
            let text = serde_json::to_string(&v).unwrap();
            prop_assert!(is_valid(&text));
            if let Value::Object(map) = &v {
                let members = object(&text).unwrap();
                prop_assert_eq!(members.len(), map.len());
                for (k, raw) in members {
                    prop_assert_eq!(serde_json::from_str::<Value>(raw).unwrap(), map[k.as_ref()].clone());
                }
            }
            if let Value::String(s) = &v {
                prop_assert_eq!(&string(&text).unwrap(), s);
            }
        }
    }

    /// `v` with its numbers as `exact_numbers` leaves them.
    fn exact(v: &Value) -> Value {
        match v {
            Value::Number(n) if !is_exact_in_js(&n.to_string()) => Value::String(n.to_string()),
            Value::Array(a) => Value::Array(a.iter().map(exact).collect()),
            Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), exact(v))).collect()),
            other => other.clone(),
        }
    }

    /// A number's value as (significant digits, decimal exponent of the
    /// first): `0.0120e2` is ("12", 0); zero is ("", 0).
    fn canonical(text: &str) -> (String, i64) {
        let text = text.trim_start_matches('-');
        let (mantissa, exp) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
        let exp: i64 =
            exp.trim_start_matches('+').parse().unwrap_or(if exp.starts_with('-') { -1_000_000 } else { 1_000_000 });
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all = format!("{int}{frac}");
        let lead = match all.find(|c| c != '0') {
            Some(i) => i,
            None => return (String::new(), 0),
        };
        let digits = all[lead..].trim_end_matches('0').to_owned();
        (digits, int.len() as i64 - 1 - lead as i64 + exp)
    }

    fn number_literal() -> impl Strategy<Value = String> {
        let int = prop_oneof!["0", "[1-9][0-9]{0,24}", "900719925474099[0-9]", "[1-9]"];
        let frac = prop_oneof![Just(String::new()), "\\.[0-9]{1,24}", "\\.[0-9]{1,3}0{0,20}"];
        let exp = prop_oneof![
            Just(String::new()),
            (-400i32..400).prop_map(|e| format!("e{e}")),
            (290i32..330).prop_map(|e| format!("E+{e}")),
            (-330i32..-290).prop_map(|e| format!("e{e}")),
        ];
        ("-?", int, frac, exp).prop_map(|(sign, i, f, e)| format!("{sign}{i}{f}{e}"))
    }

    #[test]
    fn exactness_of_the_issue_cases_and_the_edges() {
        for (text, exact) in [
            ("9007199254740993", false),
            ("9007199254740992", false),
            ("9007199254740991", true),
            ("-9007199254740991", true),
            ("-9007199254740992", false),
            ("10000000000000000000000", false),
            ("12.34", true),
            ("0.5", true),
            ("1e3", true),
            ("-2.5E-7", true),
            ("0", true),
            ("-0", true),
            ("0.0e400", true),
            ("123456789012345.0", true),
            ("1234567890123456.0", false),
            ("0.1000000000000000055511151231257827", false),
            ("1e400", false),
            ("1e-400", false),
            ("1e-307", true),
            ("9.99e-308", false),
            ("1.79769313486231e308", true),
            ("1.79769313486232e308", false),
            ("1.7976931348623157e308", false),
            ("1e99999999999999999999", false),
            ("abc", false),
            (".5", false),
            ("1.", false),
            ("1e", false),
            ("1e+", false),
            ("--1", false),
            ("", false),
        ] {
            assert_eq!(is_exact_in_js(text), exact, "{text}");
        }
    }

    #[test]
    fn exact_numbers_turns_only_inexact_numbers_into_text() {
        // An id beyond 2^53 stays exact.
        assert_eq!(
            exact_numbers(r#"{"cardId":9007199254740993,"status":"INACTIVE"}"#),
            r#"{"cardId":"9007199254740993","status":"INACTIVE"}"#
        );
        let nested =
            r#"{ "a" : [1, -9007199254740993, {"b": 12.5e1, "9007199254740993": "9007199254740993"}], "c": 1e400 }"#;
        assert_eq!(
            exact_numbers(nested),
            r#"{ "a" : [1, "-9007199254740993", {"b": 12.5e1, "9007199254740993": "9007199254740993"}], "c": "1e400" }"#
        );
        let fine = r#"{"cardId":5000001,"balance":"12.50","n":[0.5,1e3,-7]}"#;
        assert!(matches!(exact_numbers(fine), Cow::Borrowed(s) if s == fine), "no copy when nothing changes");
        assert_eq!(exact_numbers("9007199254740993"), "\"9007199254740993\"");
        assert_eq!(exact_numbers("[1,"), "[1,", "not JSON: left alone");
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e300f64..1e300).prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(any::<String>(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
