//! The sans-IO core: every decision the SDK makes, as plain Rust.
//! Nothing here touches JavaScript, the network or a clock; `cargo test`
//! checks it natively.

/// Joins text and integers into a `String`, as `format!` with plain `{}`
/// would: the module does without `core::fmt`, which was 4.9 KB gzip of it
/// (README, "Measured"). Each piece is a [`Piece`].
macro_rules! cat {
    ($($piece:expr),+ $(,)?) => {{
        let mut s = alloc::string::String::new();
        $( $crate::core::Piece::put(&$piece, &mut s); )+
        s
    }};
}

#[allow(unused_imports)] // used by the bench-only exports
pub(crate) use cat;

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
                out.push_str(itoa::Buffer::new().format(*self));
            }
        }
    )+};
}
integer_piece!(u16, u32, u64, usize);

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
