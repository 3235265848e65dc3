//! The bottom layer: byte and digit checks, decimals and percent-encoding,
//! shared by every other module and depending on none of them.

#[allow(unused_imports)]
use crate::prelude::*;

/// A value [`cat!`] can append: text, or an integer in decimal.
pub trait Piece {
    fn put(&self, out: &mut alloc::string::String);
}

impl Piece for str {
    fn put(&self, out: &mut alloc::string::String) {
        out.push_str(self);
    }
}

impl Piece for alloc::string::String {
    fn put(&self, out: &mut alloc::string::String) {
        out.push_str(self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn put(&self, out: &mut alloc::string::String) {
        (**self).put(out);
    }
}

macro_rules! integer_piece {
    ($($t:ty),+) => {$(
        impl Piece for $t {
            fn put(&self, out: &mut alloc::string::String) {
                push_decimal(out, *self as u64);
            }
        }
    )+};
}
integer_piece!(u16, u32, u64, usize);

/// Appends `n` in decimal.
pub(crate) fn push_decimal(out: &mut alloc::string::String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// `n` in decimal, without `core::fmt` (slow, on every call).
pub fn decimal(n: u64) -> String {
    let mut s = String::new();
    push_decimal(&mut s, n);
    s
}

/// Whether `n` has no fractional part (`f64::fract` needs std). Exact for
/// |n| < 2^63; beyond, the cast saturates and only ±2^63 compare equal,
/// which every caller's range check rejects.
pub(crate) fn is_integer(n: f64) -> bool {
    n.is_finite() && (n as i64) as f64 == n
}

/// The number of Unicode scalar values in `s`: its non-continuation bytes
/// (std's unrolled `chars().count()` is larger in the module).
pub(crate) fn char_count(s: &str) -> usize {
    s.bytes().filter(|&b| b & 0xC0 != 0x80).count()
}

/// Whether `s` holds a control character (`char::is_control`: U+0000 to
/// U+001F, U+007F to U+009F), read from its bytes: the last range is `C2 80`
/// to `C2 9F` in UTF-8, so no character is decoded.
pub(crate) fn has_control(s: &str) -> bool {
    let mut prev = 0u8;
    for &b in s.as_bytes() {
        if b < 0x20 || b == 0x7F || (prev == 0xC2 && b < 0xA0) {
            return true;
        }
        prev = b;
    }
    false
}

/// Whether every byte of `s` passes `ok`: one loop for the module's many
/// byte checks, where each `bytes().all(closure)` is its own copy.
pub(crate) fn every(s: &[u8], ok: fn(u8) -> bool) -> bool {
    for &b in s {
        if !ok(b) {
            return false;
        }
    }
    true
}

/// The value of a non-empty string of ASCII digits, None for anything else
/// or above `u64::MAX`; smaller in the module than `str::parse`, which
/// also reads signs.
pub(crate) fn digits_value(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut v = 0u64;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(v)
}

/// The Luhn (mod 10) check over ASCII digits.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &b) in digits.iter().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a value
/// is always exactly one path segment or one query value.
#[inline(never)]
pub fn percent_encode_into(s: &str, out: &mut String) {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    utf8_percent_encode(s, SET).for_each(|chunk| out.push_str(chunk));
}

pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    percent_encode_into(s, &mut out);
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    fn decimal(n: u64) -> alloc::string::String {
        let mut s = alloc::string::String::new();
        super::push_decimal(&mut s, n);
        s
    }

    #[test]
    fn decimals_at_the_group_edges() {
        for n in [
            0,
            9,
            10,
            4_294_967_295,
            4_294_967_296,
            999_999_999_999,
            1_000_000_000_000,
            9_007_199_254_740_991,
            1_000_000_000_000_000_000,
            u64::MAX,
        ] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    proptest! {
        #[test]
        fn decimals_as_to_string(n in any::<u64>(), small in any::<u32>()) {
            prop_assert_eq!(decimal(n), n.to_string());
            prop_assert_eq!(decimal(u64::from(small)), small.to_string());
        }
    }
}
