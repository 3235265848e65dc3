//! The sans-IO core: every decision the SDK makes, as plain Rust.
//! Nothing here touches JavaScript, the network or a clock; `cargo test`
//! checks it natively.

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
