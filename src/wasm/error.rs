//! `core::error::Error` to a JS `MigoError`.
//!
//! The class itself is written in JavaScript (so it is a real `Error`
//! subclass that `instanceof` recognises) and handed to the module once by
//! the package entry point through `__setErrorClass`.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

use super::convert::set;
use crate::core::error::Error;

thread_local! {
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

#[wasm_bindgen(js_name = "__setErrorClass", skip_typescript)]
pub fn set_error_class(class: JsValue) {
    if let Ok(f) = class.dyn_into::<Function>() {
        ERROR_CLASS.with(|c| *c.borrow_mut() = Some(f));
    }
}

pub fn to_js(e: &Error) -> JsValue {
    // One crossing for all the fields; the JSON is the core's own output.
    let props: Object = JSON::parse(&e.details_json()).map(|v| v.unchecked_into()).unwrap_or_else(|_| {
        // Not expected (the core's JSON is valid), but never an error without a kind.
        let o = Object::new();
        set(&o, "kind", &e.kind.as_str().into());
        o
    });
    let class = ERROR_CLASS.with(|c| c.borrow().clone());
    if let Some(class) = class {
        let args = Array::of2(&JsValue::from_str(&e.message), &props);
        if let Ok(err) = Reflect::construct(&class, &args) {
            return err;
        }
    }
    // Without the entry point (the raw wasm-bindgen module): a plain Error
    // with the same properties.
    let err = js_sys::Error::new(&e.message);
    err.set_name("MigoError");
    let _ = Object::assign(err.as_ref(), &props);
    err.into()
}
