//! The sans-IO core: every decision the SDK makes, as plain Rust.
//! Nothing here touches JavaScript, the network or a clock; `cargo test`
//! checks it natively.

/// Joins text and integers into a `String`, as `format!` with plain `{}`
/// would: the module does without `core::fmt`, which was 4.9 KB gzip of it
/// (README, "Measured"). Each piece is a [`Piece`].
macro_rules! cat {
    ($($piece:expr),+ $(,)?) => {{
        let mut s = alloc::string::String::new();
        $( $crate::engine::Piece::put(&$piece, &mut s); )+
        s
    }};
}

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

pub mod activation;
pub mod call;
pub mod client;
pub mod config;
pub mod endpoints;
pub mod error;
pub mod input;
pub mod json;
pub mod request;
pub mod response;
pub mod retry;
pub mod secret;
pub mod token;
pub mod validate;

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

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "pinned_tests.rs"]
mod pinned_tests;
