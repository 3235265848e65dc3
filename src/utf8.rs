//! UTF-8 on bytes, where std's `str` code costs the module more wasm:
//!
//! - [`string`]: strict decoding of bytes JavaScript wrote (which may be
//!   anything) into a `String`, without `core::str::from_utf8`: its
//!   word-at-a-time validator was the module's largest std function (673 B
//!   of wasm). The text is built by pushing the decoded characters, so no
//!   byte sequence this decodes wrongly could ever make an invalid `str` (no
//!   `unsafe`); the property tests hold it to `from_utf8` exactly.
//! - [`trim`]: `str::trim`, matching its spaces' UTF-8 bytes instead of
//!   decoding characters (`trim_matches` and its predicate were 475 B).

use crate::prelude::*;

/// `bytes` as a `String` if they are well-formed UTF-8 (Unicode §3.9, table
/// 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), else None.
// Only the JS driver's skin (src/wasm) reads JS bytes.
#[cfg_attr(any(not(target_arch = "wasm32"), feature = "rust-driver"), allow(dead_code))]
pub(crate) fn string(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(rest) = bytes.get(i..).filter(|r| !r.is_empty()) {
        // A run of ASCII is copied whole: pushing it a character at a time
        // was the module's largest cost in a successful call (a reply body
        // is ASCII; 6 % of a call's CPU in Node, by profile).
        let run = rest.iter().position(|&b| b >= 0x80).unwrap_or(rest.len());
        if let Some(ascii) = rest.get(..run).filter(|a| !a.is_empty()) {
            // SAFETY: every byte of `ascii` is below 0x80, and a sequence of
            // ASCII bytes is well-formed UTF-8 by itself.
            out.push_str(unsafe { core::str::from_utf8_unchecked(ascii) });
            i += run;
            continue;
        }
        let &lead = rest.first()?;
        // The sequence's length and the lead byte's payload bits (the lead
        // is not ASCII: a run of it ended above); C0, C1 and F5..FF never
        // start one, 80..BF only continue one.
        let (len, mut cp) = match lead {
            0xC2..=0xDF => (2, u32::from(lead & 0x1F)),
            0xE0..=0xEF => (3, u32::from(lead & 0x0F)),
            0xF0..=0xF4 => (4, u32::from(lead & 0x07)),
            _ => return None,
        };
        for k in 1..len {
            let b = *bytes.get(i + k)?;
            if b & 0xC0 != 0x80 {
                return None;
            }
            cp = cp << 6 | u32::from(b & 0x3F);
        }
        // Overlong three- and four-byte forms (two-byte ones are excluded by
        // the lead byte); `from_u32` refuses surrogates and > U+10FFFF.
        if (len == 3 && cp < 0x800) || (len == 4 && cp < 0x1_0000) {
            return None;
        }
        out.push(char::from_u32(cp)?);
        i += len;
    }
    Some(out)
}

/// The length of a White_Space character (Unicode PropList, as
/// `char::is_whitespace`) that is `one`, the two bytes `two` or the three
/// bytes `three` (big-endian), or 0. Their lead bytes (C2, E1..E3) only
/// start characters, so a match is always a whole one.
fn space_len(one: u8, two: u32, three: u32) -> usize {
    if matches!(one, b'\t'..=b'\r' | b' ') {
        1
    } else if matches!(two, 0xC285 | 0xC2A0) {
        2
    } else if matches!(
        three,
        0xE1_9A80 | 0xE2_8080..=0xE2_808A | 0xE2_80A8 | 0xE2_80A9 | 0xE2_80AF | 0xE2_819F | 0xE3_8080
    ) {
        3
    } else {
        0
    }
}

/// `s.trim()`: `s` without leading and trailing White_Space. On bytes, as
/// numbers: matching the spaces' slices was 0.7 KB of wasm.
pub(crate) fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let at = |i: usize| u32::from(b.get(i).copied().unwrap_or(0));
    let (mut start, mut end) = (0, b.len());
    while start < end {
        let (x, y, z) = (at(start), at(start + 1), at(start + 2));
        let n = space_len(x as u8, x << 8 | y, x << 16 | y << 8 | z);
        if n == 0 {
            break;
        }
        start += n;
    }
    while start < end {
        let (x, y, z) = (at(end.wrapping_sub(3)), at(end.wrapping_sub(2)), at(end - 1));
        let n = space_len(z as u8, y << 8 | z, x << 16 | y << 8 | z);
        if n == 0 {
            break;
        }
        end -= n;
    }
    // Whole characters were cut, so both are boundaries.
    s.get(start..end).unwrap_or_default()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{string, trim};
    use proptest::prelude::*;

    fn std_string(b: &[u8]) -> Option<String> {
        core::str::from_utf8(b).ok().map(str::to_owned)
    }

    #[test]
    fn edges_match_from_utf8() {
        let cases: &[&[u8]] = &[
            b"",
            b"plain ASCII",
            "é € 😀 \u{10FFFF} \u{FFFD} \u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}".as_bytes(),
            &[0xC0, 0x80],             // overlong NUL
            &[0xC1, 0xBF],             // overlong
            &[0xE0, 0x80, 0x80],       // overlong three-byte
            &[0xE0, 0x9F, 0xBF],       // overlong U+07FF
            &[0xED, 0xA0, 0x80],       // surrogate U+D800
            &[0xED, 0xBF, 0xBF],       // surrogate U+DFFF
            &[0xF0, 0x8F, 0xBF, 0xBF], // overlong U+FFFF
            &[0xF4, 0x90, 0x80, 0x80], // U+110000
            &[0xF5, 0x80, 0x80, 0x80],
            &[0xFF],
            &[0x80],
            &[b'a', 0xE2, 0x82], // cut short
            &[0xE2, 0x28, 0xA1], // a non-continuation inside
            &[0xF0, 0x9F, 0x98],
        ];
        for &b in cases {
            assert_eq!(string(b), std_string(b), "{b:02X?}");
        }
    }

    /// Every White_Space character, and neighbours that are not.
    const SPACES: &str = "\t\n\u{B}\u{C}\r \u{85}\u{A0}\u{1680}\u{2000}\u{2001}\u{2002}\u{2003}\u{2004}\u{2005}\u{2006}\u{2007}\u{2008}\u{2009}\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}";

    #[test]
    fn trim_is_str_trim_on_every_space_and_neighbour() {
        let all: Vec<char> = (0..=0x3001u32).chain(0xFEFF..=0xFEFF).filter_map(char::from_u32).collect();
        assert_eq!(all.iter().filter(|c| c.is_whitespace()).collect::<String>(), SPACES);
        for &c in &all {
            for s in [format!("{c}"), format!("{c}x{c}"), format!("x{c}"), format!("{c}{c}é{c}")] {
                assert_eq!(trim(&s), s.trim(), "{s:?}");
            }
        }
        assert_eq!(trim(SPACES), "");
    }

    proptest! {
        #[test]
        fn trim_matches_str_trim(s in "[\t\n\u{B}\u{C}\r \u{85}\u{A0}\u{1680}\u{2000}-\u{200B}\u{2028}-\u{2030}\u{205F}\u{3000}a\u{E9}\u{180E}\u{FEFF}\u{1F600}]{0,8}") {
            prop_assert_eq!(trim(&s), s.trim());
        }

        #[test]
        fn trim_matches_str_trim_on_any_text(s in any::<String>()) {
            prop_assert_eq!(trim(&s), s.trim());
        }

        #[test]
        fn any_bytes_match_from_utf8(b in proptest::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(string(&b), std_string(&b));
        }

        // Mostly-valid text with one byte changed reaches the rarer branches.
        #[test]
        fn near_valid_text_matches_from_utf8(s in "\\PC{0,12}", at in any::<usize>(), to in any::<u8>()) {
            let mut b = s.into_bytes();
            if !b.is_empty() {
                let n = b.len();
                b[at % n] = to;
            }
            prop_assert_eq!(string(&b), std_string(&b));
        }

        #[test]
        fn valid_text_round_trips(s in any::<String>()) {
            prop_assert_eq!(string(s.as_bytes()), Some(s));
        }
    }
}
