//! [`Host`] as the JS class `Gateway`, through wasm-bindgen. Strings, bytes
//! and values leave by value; a refused call throws the JS error it stands
//! for, built here, so the wrapper only rethrows.

use std::fmt;

use js_sys::{Date, Error, RangeError, TypeError};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::{js_numbers, ErrorKind, Host, HostError, Options};

/// Deeper admin arguments are refused: the reader recurses once per level.
const MAX_DEPTH: u32 = 64;

/// One in-process gateway: its own cards, log, faults and waiting requests.
#[wasm_bindgen]
pub struct Gateway {
    host: Host,
}

fn thrown(e: HostError) -> JsValue {
    match e.kind {
        ErrorKind::Type | ErrorKind::Route => TypeError::new(&e.message).into(),
        ErrorKind::NotFound => RangeError::new(&e.message).into(),
        ErrorKind::Protocol => Error::new(&e.message).into(),
    }
}

fn type_error(message: impl fmt::Display) -> JsValue {
    TypeError::new(&message.to_string()).into()
}

/// The message of serde-wasm-bindgen's error (its Display adds "Error: ").
fn reason(e: serde_wasm_bindgen::Error) -> String {
    let e = JsValue::from(e);
    e.dyn_ref::<Error>().map_or_else(|| format!("{e:?}"), |e| String::from(e.message()))
}

/// `value` as JS holds it: objects, `null` for none, bytes as a `Uint8Array`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer =
        serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true).serialize_maps_as_objects(true);
    value.serialize(&serializer).map_err(|e| Error::new(&reason(e)).into())
}

fn json_to_js(mut value: Value) -> Result<JsValue, JsValue> {
    js_numbers(&mut value);
    to_js(&value)
}

/// A JS value as JSON: `None` for `undefined`; `name` prefixes a refusal.
fn from_js(value: JsValue, name: &str) -> Result<Option<Value>, JsValue> {
    if value.is_undefined() {
        return Ok(None);
    }
    let de = serde_wasm_bindgen::Deserializer::from(value);
    Levels(MAX_DEPTH).deserialize(de).map(Some).map_err(|e| type_error(format!("{name}: {}", reason(e))))
}

/// Reads a JSON value at most this many arrays or objects deep.
struct Levels(u32);

impl Levels {
    fn inner<E: serde::de::Error>(&self) -> Result<Levels, E> {
        self.0.checked_sub(1).map(Levels).ok_or_else(|| E::custom("nested too deeply"))
    }
}

impl<'de> DeserializeSeed<'de> for Levels {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Levels {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // NaN and the infinities, as JSON.stringify writes them.
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.inner()?)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.inner()?)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
    fn visit_byte_buf<E: serde::de::Error>(self, _: Vec<u8>) -> Result<Value, E> {
        Err(E::custom("bytes are not a JSON value"))
    }
}

#[wasm_bindgen]
impl Gateway {
    /// A gateway from `createTestGateway`'s options (`TestGatewayOptions`).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Gateway, JsValue> {
        let options = from_js(options, "createTestGateway")?.unwrap_or(Value::Null);
        let options: Options = match options {
            Value::Null => Options::default(),
            v => serde_json::from_value(v).map_err(|e| type_error(format!("createTestGateway: {e}")))?,
        };
        Host::new(options).map(|host| Gateway { host }).map_err(thrown)
    }

    /// Sends a request (`url`: its path and query; `headers`: `[name,
    /// value]` pairs); answers `{step: "respond", status, statusText,
    /// headers, body}`, `{step: "wait", ms, exchange}` or `{step: "drop"}`.
    pub fn fetch(
        &mut self,
        method: &str,
        url: &str,
        headers: JsValue,
        body: Option<Box<[u8]>>,
    ) -> Result<JsValue, JsValue> {
        let headers: Vec<(String, String)> = serde_wasm_bindgen::from_value(headers).map_err(|e| {
            type_error(format!("fetch: headers must be [name, value] pairs of strings ({})", reason(e)))
        })?;
        let answer =
            self.host.fetch(method, url, &headers, body.as_deref().unwrap_or(&[]), Date::now()).map_err(thrown)?;
        to_js(&answer)
    }

    /// Moves on an exchange that waited; answers as `fetch` does.
    pub fn resume(&mut self, exchange: u32) -> Result<JsValue, JsValue> {
        let answer = self.host.resume(exchange, Date::now()).map_err(thrown)?;
        to_js(&answer)
    }

    /// Forgets an exchange whose client gave up: it is never processed.
    pub fn abandon(&mut self, exchange: u32) {
        self.host.abandon(exchange);
    }

    pub fn state(&self) -> Result<JsValue, JsValue> {
        json_to_js(self.host.state())
    }

    pub fn reset(&mut self) {
        self.host.reset();
    }

    #[wasm_bindgen(js_name = viewToken)]
    pub fn view_token(&mut self, card_id: JsValue) -> Result<String, JsValue> {
        let card_id = from_js(card_id, "viewToken")?.unwrap_or(Value::Null);
        self.host.view_token(card_id, Date::now()).map_err(thrown)
    }

    /// Sets the envelope reading; returns the one in force.
    pub fn config(&mut self, settings: JsValue) -> Result<String, JsValue> {
        let settings = from_js(settings, "config")?;
        self.host.config(settings, Date::now()).map_err(thrown)
    }

    /// Queues a fault; returns how many are queued.
    pub fn fault(&mut self, spec: JsValue) -> Result<u32, JsValue> {
        let spec = from_js(spec, "fault")?;
        self.host.fault(spec, Date::now()).map_err(thrown)
    }

    #[wasm_bindgen(js_name = clearFaults)]
    pub fn clear_faults(&mut self) {
        self.host.clear_faults();
    }

    #[wasm_bindgen(js_name = addCard)]
    pub fn add_card(&mut self, card: JsValue) -> Result<JsValue, JsValue> {
        let card = from_js(card, "addCard")?;
        json_to_js(self.host.add_card(card, Date::now()).map_err(thrown)?)
    }
}
