//! The JavaScript skin: converts values, performs `fetch`, and builds
//! `MigoError`s. Every rule it applies comes from `crate::core`.

#[cfg(feature = "bench")]
mod bench;
mod client;
mod convert;
mod error;
mod transport;
mod types;

pub use client::{activation_url, is_valid_card_number, MigoClient};
