//! JS values to [`Input`], without ever throwing: a hostile getter or Proxy
//! trap becomes `Input::Unreadable`, never an exception through wasm.

use js_sys::{JsString, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::input::Input;

pub fn input(v: &JsValue) -> Input {
    if v.is_undefined() {
        Input::Absent
    } else if v.is_null() {
        Input::Null
    } else if let Some(b) = v.as_bool() {
        Input::Bool(b)
    } else if let Some(n) = v.as_f64() {
        Input::Number(n)
    } else if let Some(s) = v.dyn_ref::<JsString>() {
        string(s)
    } else if v.is_bigint() {
        Input::Other("bigint")
    } else if v.is_symbol() {
        Input::Other("symbol")
    } else if v.is_function() {
        Input::Other("function")
    } else {
        // Arrays are objects here: `Array.isArray` throws on a revoked Proxy.
        Input::Other("object")
    }
}

/// Text crosses into Rust as UTF-8, which would silently turn an unpaired
/// surrogate into U+FFFD; such a string is refused instead of altered.
fn string(s: &JsString) -> Input {
    let text = String::from(s);
    if text.contains('\u{FFFD}') && !s.is_valid_utf16() {
        return Input::Other("string with unpaired surrogates");
    }
    Input::Str(text)
}

/// `obj[key]` as an [`Input`]; a non-object has no properties.
pub fn get(obj: &JsValue, key: &str) -> Input {
    if !obj.is_object() {
        return Input::Absent;
    }
    match Reflect::get(obj, &JsValue::from_str(key)) {
        Ok(v) => input(&v),
        Err(_) => Input::Unreadable,
    }
}

/// `obj[key]` as a raw value, `None` when it throws or is not an object.
pub fn get_raw(obj: &JsValue, key: &str) -> Option<JsValue> {
    if !obj.is_object() {
        return None;
    }
    Reflect::get(obj, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined())
}

pub fn set(obj: &JsValue, key: &str, value: &JsValue) {
    // Setting on a fresh plain object cannot fail; nothing to recover anyway.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}
