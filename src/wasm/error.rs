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

/// The plain details object: `kind`, `field`, `status`, `code`, ...
fn details(e: &Error) -> Object {
    let o = Object::new();
    set(&o, "kind", &e.kind.as_str().into());
    if let Some(f) = e.field {
        set(&o, "field", &f.into());
    }
    if let Some(s) = e.status {
        set(&o, "status", &s.into());
    }
    if let Some(c) = &e.code {
        set(&o, "code", &c.into());
    }
    if let Some(errors) = e.errors_json.as_deref().and_then(|j| JSON::parse(j).ok()) {
        set(&o, "errors", &errors);
    }
    if let Some(id) = &e.request_id {
        set(&o, "requestId", &id.into());
    }
    set(&o, "attempts", &e.attempts.into());
    set(&o, "retryable", &e.retryable.into());
    set(&o, "outcome", &e.outcome.as_str().into());
    o
}

pub fn to_js(e: &Error) -> JsValue {
    let props = details(e);
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
