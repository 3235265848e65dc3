//! The one thing the core takes from the platform: the date arithmetic of
//! `Retry-After` (RFC 9110 §5.6.7). In the module that is the JavaScript
//! engine's own `Date`; natively (tests, benches) it is the `httpdate`
//! crate, which needs std and so cannot be in the `no_std` module.
//!
//! The core hands over an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) and
//! gets its instant only if formatting that instant back gives the same text:
//! a wrong weekday, `31 Nov` or any other text the parser would bend into
//! some date is refused.

// The module takes the engine's own `Date`, as it was when the bindings
// loaded: a page's later patch of `Date` never runs inside a call of the
// module (where calling back into the same client would be refused).
#[cfg(target_arch = "wasm32")]
mod engine {
    use wasm_bindgen::prelude::*;

    // ECMAScript requires `Date.parse(d.toUTCString())` to give `d` back in
    // every engine, and `toUTCString` to write IMF-fixdate (ASCII: a byte
    // past 0x7F, read as one character each, never matches).
    #[wasm_bindgen(inline_js = "const parse = Date.parse, D = Date, utc = Date.prototype.toUTCString;
export function imf_ms(bytes) { const text = String.fromCharCode(...bytes); const ms = parse(text); return utc.call(new D(ms)) === text ? ms : NaN; }")]
    extern "C" {
        /// The instant the bytes name, if formatting it back gives them; else NaN.
        fn imf_ms(bytes: &[u8]) -> f64;
    }

    pub fn imf_fixdate_ms(imf: &[u8]) -> Option<f64> {
        let ms = imf_ms(imf);
        (!ms.is_nan()).then_some(ms)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod engine {
    pub fn imf_fixdate_ms(imf: &[u8]) -> Option<f64> {
        let imf = core::str::from_utf8(imf).ok()?;
        let at = httpdate::parse_http_date(imf).ok()?;
        let ms = at.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis() as f64;
        (httpdate::fmt_http_date(at) == imf).then_some(ms)
    }
}

/// The instant of an IMF-fixdate, in Unix epoch ms; None unless `imf` is
/// exactly the IMF-fixdate of that instant.
pub(crate) fn imf_fixdate_ms(imf: &[u8]) -> Option<f64> {
    engine::imf_fixdate_ms(imf)
}
