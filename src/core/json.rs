//! Just enough JSON for the response envelope: checking that a body is JSON,
//! reading the members of a top-level object as raw text, and unescaping the
//! strings we show (error codes and messages).
//!
//! Written here rather than taken from serde_json because serde_json (with
//! its float formatting and error machinery) was most of the module's size;
//! the values themselves are parsed by the JS engine's own `JSON.parse`.
//! Property tests check it against serde_json.

/// Deeper nesting is refused rather than risking the stack (as serde_json).
const MAX_DEPTH: usize = 128;

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
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
            match self.peek()? {
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
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
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
            b'{' => self.members(depth, |_, _| {}),
            b'[' => self.elements(depth, |_| {}),
            b'"' => self.string(),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// An object; `each(key, value)` gets the raw text of every member.
    fn members(&mut self, depth: usize, mut each: impl FnMut(&'a [u8], &'a [u8])) -> Option<()> {
        self.eat(b'{')?;
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            let k = self.i;
            self.string()?;
            let key = self.b.get(k..self.i)?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            let v = self.i;
            self.value(depth + 1)?;
            each(key, self.b.get(v..self.i)?);
            self.ws();
            if self.eat(b'}').is_some() {
                return Some(());
            }
            self.eat(b',')?;
        }
    }

    fn elements(&mut self, depth: usize, mut each: impl FnMut(&'a [u8])) -> Option<()> {
        self.eat(b'[')?;
        self.ws();
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            let v = self.i;
            self.value(depth + 1)?;
            each(self.b.get(v..self.i)?);
            self.ws();
            if self.eat(b']').is_some() {
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

/// Raw slices are cut at ASCII structural characters, so they are UTF-8.
fn text(b: &[u8]) -> &str {
    core::str::from_utf8(b).unwrap_or_default()
}

/// Whether `s` is exactly one JSON value (with surrounding whitespace).
pub fn is_valid(s: &str) -> bool {
    let mut c = Cursor { b: s.as_bytes(), i: 0 };
    c.value(0).and_then(|_| c.end()).is_some()
}

/// The members of a top-level object, as (key unescaped, raw value text), in
/// order; `None` when `s` is not a valid JSON object.
pub fn object(s: &str) -> Option<Vec<(String, &str)>> {
    let mut c = Cursor { b: s.as_bytes(), i: 0 };
    let mut out = Vec::new();
    c.ws();
    c.members(0, |k, v| out.push((string(text(k)).unwrap_or_default(), text(v))))?;
    c.end()?;
    Some(out)
}

/// The elements of a top-level array as raw text; `None` if not an array.
pub fn array(s: &str) -> Option<Vec<&str>> {
    let mut c = Cursor { b: s.as_bytes(), i: 0 };
    let mut out = Vec::new();
    c.ws();
    c.elements(0, |v| out.push(text(v)))?;
    c.end()?;
    Some(out)
}

/// The value of the last member named `key` (as `JSON.parse` keeps the last).
pub fn member<'a>(members: &[(String, &'a str)], key: &str) -> Option<&'a str> {
    members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| *v)
}

/// Rewrites a JSON document with every string (keys too) and every number
/// passed through `scrub`, so that secrets cannot hide behind escapes such as
/// `\u0066` or `\/`. A number that `scrub` changes becomes a string. `None`
/// when `raw` is not valid JSON.
pub fn scrub(raw: &str, scrub: &dyn Fn(&str) -> String) -> Option<String> {
    if !is_valid(raw) {
        return None;
    }
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < b.len() {
        let start = i;
        match b[i] {
            b'"' => {
                let mut c = Cursor { b, i };
                c.string()?;
                i = c.i;
                let text = string(raw.get(start..i)?)?;
                super::request::json_string_into(&scrub(&text), &mut out);
            }
            b'-' | b'0'..=b'9' => {
                let mut c = Cursor { b, i };
                c.number()?;
                i = c.i;
                let number = raw.get(start..i)?;
                let cleaned = scrub(number);
                if cleaned == number {
                    out.push_str(number);
                } else {
                    super::request::json_string_into(&cleaned, &mut out);
                }
            }
            _ => {
                // Structure, whitespace and literals: copied as they are.
                while i < b.len() && !matches!(b[i], b'"' | b'-' | b'0'..=b'9') {
                    i += 1;
                }
                out.push_str(raw.get(start..i)?);
            }
        }
    }
    Some(out)
}

/// Unescapes a raw JSON string literal; `None` if `raw` is not one.
/// Unpaired surrogate escapes become U+FFFD.
pub fn string(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let mut c = Cursor { b: raw.as_bytes(), i: 0 };
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
                    let rest = chars.as_str();
                    match rest
                        .strip_prefix("\\u")
                        .and_then(|r| r.get(..4))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                    {
                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                            chars = rest.get(6..)?.chars();
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
        let hide = |s: &str| s.replace("secret", "***").replace("4111111111111111", "************1111");
        let raw = r#"[{"code":"7000","value":"sec\u0072et","pan":4111111111111111,"n":-1.5e3,"ok":[true,null]}]"#;
        let out = scrub(raw, &hide).unwrap();
        assert_eq!(out, r#"[{"code":"7000","value":"***","pan":"************1111","n":-1.5e3,"ok":[true,null]}]"#);
        assert!(is_valid(&out));
        assert_eq!(scrub("[1,", &hide), None);
    }

    proptest! {
        #[test]
        fn scrubbing_with_identity_keeps_the_value(v in arb_json()) {
            let text = serde_json::to_string(&v).unwrap();
            let out = scrub(&text, &|s: &str| s.to_owned()).unwrap();
            prop_assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), v);
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
                    prop_assert_eq!(serde_json::from_str::<Value>(raw).unwrap(), map[&k].clone());
                }
            }
            if let Value::String(s) = &v {
                prop_assert_eq!(&string(&text).unwrap(), s);
            }
        }
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
