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

#[cfg(target_arch = "wasm32")]
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

    pub fn imf_fixdate_ms(imf: &str) -> Option<f64> {
        let ms = date_parse(imf);
        (JsDate::new(ms).to_utc_string() == imf).then_some(ms)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod engine {
    pub fn imf_fixdate_ms(imf: &str) -> Option<f64> {
        let at = httpdate::parse_http_date(imf).ok()?;
        let ms = at.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis() as f64;
        (httpdate::fmt_http_date(at) == imf).then_some(ms)
    }
}

/// The instant of an IMF-fixdate, in Unix epoch ms; None unless `imf` is
/// exactly the IMF-fixdate of that instant.
pub(crate) fn imf_fixdate_ms(imf: &str) -> Option<f64> {
    engine::imf_fixdate_ms(imf)
}
