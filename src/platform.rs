//! The one thing the core takes from the platform: the date arithmetic of
//! `Retry-After` (RFC 9110 §5.6.7). In the module that is the JavaScript
//! engine's own `Date` (issue 9 names `Date.parse` for a JS driver); natively
//! (tests, benches) it is the `httpdate` crate, which needs std and so cannot
//! be in the `no_std` module (README, "Measured").
//!
//! The core hands over an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) and
//! gets its instant only if formatting that instant back gives the same text:
//! a wrong weekday, `31 Nov` or any other text the parser would bend into
//! some date is refused.

// The module: two imports the glue gives (js/load/glue.js, `migo`).
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
mod engine {
    #[link(wasm_import_module = "migo")]
    extern "C" {
        /// `Date.parse` of the UTF-8 text at `text`.
        #[link_name = "date_parse"]
        fn date_parse(text: *const u8, len: usize) -> f64;
        /// Writes `new Date(ms).toUTCString()` (at most `cap` bytes) at
        /// `out`; gives the bytes written.
        #[link_name = "utc_string"]
        fn utc_string(ms: f64, out: *mut u8, cap: usize) -> usize;
    }

    pub fn imf_fixdate_ms(imf: &[u8]) -> Option<f64> {
        // SAFETY: the glue reads `len` bytes at `text` and writes at most
        // `cap` bytes at `out`, both in this module's memory.
        let ms = unsafe { date_parse(imf.as_ptr(), imf.len()) };
        let mut buf = [0u8; 40];
        let n = unsafe { utc_string(ms, buf.as_mut_ptr(), buf.len()) };
        (buf.get(..n)? == imf).then_some(ms)
    }
}

// Builds with std (the wasm tests, the Rust-driver variant) have
// wasm-bindgen, and take `Date` through it.
#[cfg(all(target_arch = "wasm32", feature = "std"))]
mod engine {
    use crate::prelude::*;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        // ECMAScript requires `Date.parse(d.toUTCString())` to give `d` back
        // in every engine, and `toUTCString` to write IMF-fixdate.
        #[wasm_bindgen(js_namespace = Date, js_name = parse)]
        fn date_parse(text: &str) -> f64;
        #[wasm_bindgen(js_name = Date)]
        type JsDate;
        #[wasm_bindgen(constructor, js_class = Date)]
        fn new(ms: f64) -> JsDate;
        #[wasm_bindgen(method, js_class = Date, js_name = toUTCString)]
        fn to_utc_string(this: &JsDate) -> String;
    }

    pub fn imf_fixdate_ms(imf: &[u8]) -> Option<f64> {
        let ms = date_parse(core::str::from_utf8(imf).ok()?);
        (JsDate::new(ms).to_utc_string().as_bytes() == imf).then_some(ms)
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
/// exactly the IMF-fixdate of that instant. Bytes, since the module's
/// engine needs no `str` (its `from_utf8` was 0.7 KB of wasm).
pub(crate) fn imf_fixdate_ms(imf: &[u8]) -> Option<f64> {
    engine::imf_fixdate_ms(imf)
}
