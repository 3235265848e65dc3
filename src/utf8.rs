//! Strict UTF-8 decoding of bytes JavaScript wrote (which may be anything)
//! into a `String`, without `core::str::from_utf8`: its word-at-a-time
//! validator was the module's largest std function (673 B of wasm), and the
//! only user left once the core stopped needing it. The text is built by
//! pushing the decoded characters, so no byte sequence this decodes wrongly
//! could ever make an invalid `str` (no `unsafe`); the property test below
//! holds it to `from_utf8` exactly.

use crate::prelude::*;

/// `bytes` as a `String` if they are well-formed UTF-8 (Unicode §3.9, table
/// 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), else None.
pub(crate) fn string(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&lead) = bytes.get(i) {
        // The sequence's length and the lead byte's payload bits; C0, C1 and
        // F5..FF never start one, 80..BF only continue one.
        let (len, mut cp) = match lead {
            0x00..=0x7F => (1, u32::from(lead)),
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::string;
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

    proptest! {
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
