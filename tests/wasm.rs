//! wasm-bindgen tests: the compiled module, driven from Rust through the same
//! exports JavaScript sees, against a local gateway. They run in Node and in
//! headless Chromium (`make test` does both); the gateway URL is baked in at
//! compile time from MIGO_GATEWAY_URL.
#![cfg(target_arch = "wasm32")]

use js_sys::{Object, Promise, Reflect};
use migo_cards::wasm::{activation_url, is_valid_card_number, MigoClient};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const TOKEN: &str = "migo-test-token";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_with(url: &str, init: &JsValue) -> Promise;
}

fn gateway() -> &'static str {
    match option_env!("MIGO_GATEWAY_URL") {
        Some(url) => url,
        None => panic!("build with MIGO_GATEWAY_URL set (scripts/with-gateway.mjs does it)"),
    }
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn prop(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn client() -> MigoClient {
    let base = format!("{}/rest", gateway());
    MigoClient::new(obj(&[("accessToken", TOKEN.into()), ("baseUrl", base.into()), ("clientId", "acme".into())]))
        .unwrap()
}

async fn ok(p: Promise) -> JsValue {
    JsFuture::from(p).await.expect("the call should succeed")
}

async fn err(p: Promise) -> JsValue {
    JsFuture::from(p).await.expect_err("the call should fail")
}

async fn admin_state() -> JsValue {
    let resp = JsFuture::from(fetch_with(&format!("{}/__mock/state", gateway()), &JsValue::UNDEFINED)).await.unwrap();
    let json =
        Reflect::get(&resp, &"json".into()).unwrap().dyn_into::<js_sys::Function>().unwrap().call0(&resp).unwrap();
    JsFuture::from(json.dyn_into::<Promise>().unwrap()).await.unwrap()
}

async fn request_count() -> u32 {
    js_sys::Array::from(&prop(&admin_state().await, "requests")).length()
}

async fn view_token(card_id: &JsValue) -> JsValue {
    let body = js_sys::JSON::stringify(&obj(&[("cardId", card_id.clone())])).unwrap();
    let init = obj(&[("method", "POST".into()), ("body", body.into())]);
    let resp = JsFuture::from(fetch_with(&format!("{}/__mock/view-tokens", gateway()), &init)).await.unwrap();
    let json =
        Reflect::get(&resp, &"json".into()).unwrap().dyn_into::<js_sys::Function>().unwrap().call0(&resp).unwrap();
    prop(&JsFuture::from(json.dyn_into::<Promise>().unwrap()).await.unwrap(), "token")
}

#[wasm_bindgen_test]
async fn lifecycle_of_an_issued_card() {
    let c = client();
    let card = ok(c.issue_card("1001".into(), JsValue::UNDEFINED)).await;
    assert_eq!(prop(&card, "status"), "INACTIVE");
    let id = prop(&card, "cardId");
    assert!(id.as_f64().is_some());
    let u = || JsValue::from("1001");
    assert_eq!(prop(&ok(c.activate_card(u(), id.clone(), JsValue::UNDEFINED)).await, "status"), "ACTIVE");
    assert_eq!(prop(&ok(c.block_card(u(), id.clone(), JsValue::UNDEFINED)).await, "status"), "BLOCKED");
    assert_eq!(prop(&ok(c.unblock_card(u(), id.clone(), JsValue::UNDEFINED)).await, "status"), "ACTIVE");
    assert_eq!(
        prop(&ok(c.block_card_for_user(id.clone(), "1002".into(), JsValue::UNDEFINED)).await, "status"),
        "BLOCKED"
    );
    assert_eq!(
        prop(&ok(c.unblock_card_for_user(id.clone(), "1002".into(), JsValue::UNDEFINED)).await, "status"),
        "ACTIVE"
    );
    let renamed = ok(c.update_card_alias(id.clone(), "Travel".into(), JsValue::UNDEFINED)).await;
    assert_eq!(prop(&renamed, "alias"), "Travel");
    let token = view_token(&id).await;
    let details = ok(c.get_card_details(u(), id.clone(), token, JsValue::UNDEFINED)).await;
    assert_eq!(prop(&details, "pan").as_string().unwrap().len(), 16);
    let period = obj(&[("month", 3.into()), ("year", 2026.into())]);
    let st = ok(c.create_statement(id.clone(), period, JsValue::UNDEFINED)).await;
    assert_eq!(prop(&st, "month"), 3);
}

#[wasm_bindgen_test]
async fn link_card_with_the_client_default_client_id() {
    let c = client();
    let input = obj(&[("card", "4111-1111-1111-1111".into()), ("alias", "Personal".into())]);
    let card = ok(c.link_card("1003".into(), input, JsValue::UNDEFINED)).await;
    assert_eq!(prop(&card, "alias"), "Personal");
    assert_eq!(prop(&card, "maskedPan"), "************1111");
}

#[wasm_bindgen_test]
async fn api_errors_carry_status_and_code() {
    let c = client();
    let card = ok(c.issue_card("1001".into(), JsValue::UNDEFINED)).await;
    let e = err(c.block_card("1001".into(), prop(&card, "cardId"), JsValue::UNDEFINED)).await;
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(prop(&e, "kind"), "api");
    assert_eq!(prop(&e, "status"), 409);
    assert_eq!(prop(&e, "code"), "7213");
    assert_eq!(prop(&e, "attempts"), 1);
}

#[wasm_bindgen_test]
async fn validation_errors_send_nothing() {
    let c = client();
    let before = request_count().await;
    let e = err(c.activate_card("1001".into(), "12a".into(), JsValue::UNDEFINED)).await;
    assert_eq!(prop(&e, "kind"), "validation");
    assert_eq!(prop(&e, "field"), "cardId");
    let bad_card = obj(&[("card", "4111111111111112".into())]);
    let e = err(c.link_card("1001".into(), bad_card, JsValue::UNDEFINED)).await;
    assert_eq!(prop(&e, "field"), "card");
    assert!(!prop(&e, "message").as_string().unwrap().contains("4111"));
    assert_eq!(request_count().await, before);
}

#[wasm_bindgen_test]
fn config_errors_are_thrown() {
    let e = MigoClient::new(obj(&[("accessToken", TOKEN.into()), ("baseUrl", "http://example.com".into())]))
        .err()
        .expect("plain http to a remote host is refused");
    assert_eq!(prop(&e, "kind"), "config");
    assert_eq!(prop(&e, "field"), "baseUrl");
}

#[wasm_bindgen_test]
fn free_functions() {
    let url = activation_url(obj(&[("userId", "u 1".into()), ("environment", "sandbox".into())])).unwrap();
    assert_eq!(url, "https://sandbox.migopayments.com/card-activation?userId=u%201");
    assert!(is_valid_card_number("4111 1111 1111 1111".into()));
    assert!(!is_valid_card_number(JsValue::NULL));
}
