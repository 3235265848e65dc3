//! Black-box tests of the gateway, each run on both skins of the one model:
//! over HTTP (its own migo-mock on a free port, real HTTP/1.1 over a raw
//! TcpStream, so "no response at all" is observable) and in process through
//! the wasm skin's `Host` (the calls the package's test gateway makes from
//! its JS wrapper), so the two cannot drift. Tests of what only HTTP
//! has (CORS, static folders, the binary) run over HTTP alone.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use migo_gateway_wasm::{Answer, ErrorKind, Host, Options};
use migo_mock::{Config, StaticMount};
use serde_json::{json, Value};

const TOKEN: &str = "migo-test-token";
const AUTH: (&str, &str) = ("Authorization", "Bearer migo-test-token");
const JSON_CT: (&str, &str) = ("Content-Type", "application/json");

// ---- harness --------------------------------------------------------------

/// A gateway under test: a migo-mock server, or the wasm skin's Host.
#[derive(Clone, Copy)]
enum Gw {
    Http(SocketAddr),
    Local(&'static Mutex<Host>),
}

/// Starts a gateway with `config` on one skin.
type Start = fn(Config) -> Gw;

fn start_http(config: Config) -> Gw {
    Gw::Http(start_with(Config { port: 0, ..config }))
}

fn start_local(config: Config) -> Gw {
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let options = Options {
        tokens: Some(config.tokens),
        expired_tokens: Some(config.expired_tokens),
        users: Some(config.users),
        seed: Some(seed.into()),
        ..Options::default()
    };
    let host = Host::new(options).unwrap();
    // One small gateway per test, alive until the test binary exits.
    Gw::Local(Box::leak(Box::new(Mutex::new(host))))
}

/// The default configuration (the skin picks the port).
fn cfg() -> Config {
    Config::default()
}

fn start_with(config: Config) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        runtime.block_on(async move {
            let server = migo_mock::serve(config).await.unwrap();
            tx.send(server.addr()).unwrap();
            std::future::pending::<()>().await;
        });
    });
    rx.recv_timeout(Duration::from_secs(10)).expect("server start")
}

fn start() -> SocketAddr {
    start_with(Config { port: 0, ..Config::default() })
}

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    /// The error code of an error envelope.
    fn code(&self) -> String {
        self.json()["errors"][0]["code"].as_str().unwrap().to_string()
    }
    fn data(&self) -> Value {
        self.json()["data"].clone()
    }
}

/// Sends one request. `None` means the gateway closed the connection
/// without sending a single byte.
fn raw(gw: Gw, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Option<Resp> {
    match gw {
        Gw::Http(addr) => raw_http(addr, method, path, headers, body),
        Gw::Local(host) => raw_local(host, method, path, headers, body),
    }
}

/// Through the wasm skin's Host, waiting out its delays as its JS wrapper
/// does (here with a sleeping thread).
fn raw_local(
    host: &Mutex<Host>,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Option<Resp> {
    let body = body.unwrap_or("").as_bytes();
    let now = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as f64;
    let reply = |r: migo_gateway_wasm::Reply| Resp { status: r.status, headers: r.headers, body: r.body };
    if let Some(sub) = path.strip_prefix("/__mock/") {
        let r = host.lock().unwrap().admin_http(method, &format!("/{sub}"), body, now());
        return Some(reply(r.unwrap()));
    }
    let headers: Vec<(String, String)> = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let mut answer = host.lock().unwrap().fetch(method, path, &headers, body, now());
    loop {
        match answer {
            // Outside the base path (and with no static folder) HTTP says 404.
            Err(e) if e.kind == ErrorKind::Route => return Some(Resp { status: 404, headers: vec![], body: vec![] }),
            Err(e) => panic!("{e:?}"),
            Ok(Answer::Wait { ms, exchange }) => {
                std::thread::sleep(Duration::from_millis(ms as u64));
                answer = host.lock().unwrap().resume(exchange, now());
            }
            Ok(Answer::Drop) => return None,
            Ok(Answer::Respond(r)) => return Some(reply(r)),
        }
    }
}

/// One request on a fresh connection.
fn raw_http(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Option<Resp> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(body) = body {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    req.push_str(body.unwrap_or(""));
    stream.write_all(req.as_bytes()).unwrap();

    let mut buf = Vec::new();
    match stream.read_to_end(&mut buf) {
        Ok(_) => {}
        // A reset after a drop is also "no response".
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && buf.is_empty() => {}
        Err(e) => panic!("read failed: {e}"),
    }
    if buf.is_empty() {
        return None;
    }
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").expect("end of headers");
    let head = String::from_utf8(buf[..split].to_vec()).unwrap();
    let mut body = buf[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Some(Resp { status, headers, body })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

fn send(addr: Gw, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Resp {
    raw(addr, method, path, headers, body).expect("a response")
}

/// Authenticated API call; a JSON body comes with its Content-Type.
fn api(addr: Gw, method: &str, path: &str, body: Option<Value>) -> Resp {
    let path = format!("/rest{path}");
    match body {
        Some(body) => send(addr, method, &path, &[AUTH, JSON_CT], Some(&body.to_string())),
        None => send(addr, method, &path, &[AUTH], None),
    }
}

fn admin(addr: Gw, method: &str, path: &str, body: Option<Value>) -> Resp {
    let body = body.map(|b| b.to_string());
    send(addr, method, &format!("/__mock{path}"), &[], body.as_deref())
}

fn state(addr: Gw) -> Value {
    let res = admin(addr, "GET", "/state", None);
    assert_eq!(res.status, 200);
    res.json()
}

fn fault(addr: Gw, spec: Value) {
    let res = admin(addr, "POST", "/faults", Some(spec));
    assert_eq!(res.status, 200, "{}", res.text());
}

/// Issues a card for `user` and returns its id.
fn issue(addr: Gw, user: &str) -> u64 {
    let res = api(addr, "POST", &format!("/users/{user}/cards/virtuals"), None);
    assert_eq!(res.status, 201, "{}", res.text());
    res.data()["cardId"].as_u64().unwrap()
}

fn link(addr: Gw, user: &str, pan: &str) -> Resp {
    api(addr, "POST", &format!("/users/{user}/cards?clientId=client-1"), Some(json!({"card": pan, "alias": "Linked"})))
}

fn card_status(addr: Gw, card_id: u64) -> String {
    state(addr)["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cardId"] == card_id)
        .map(|c| c["status"].as_str().unwrap().to_string())
        .expect("card in state")
}

fn card_count(addr: Gw) -> usize {
    state(addr)["cards"].as_array().unwrap().len()
}

fn view_token(addr: Gw, card_id: u64) -> String {
    let res = admin(addr, "POST", "/view-tokens", Some(json!({"cardId": card_id})));
    assert_eq!(res.status, 201, "{}", res.text());
    res.json()["token"].as_str().unwrap().to_string()
}

/// Runs each named test body once per skin: `over_http::NAME` and `in_process::NAME`.
macro_rules! on_both_skins {
    ($($name:ident),* $(,)?) => {
        mod over_http {
            $( #[test] fn $name() { super::$name(super::start_http) } )*
        }
        mod in_process {
            $( #[test] fn $name() { super::$name(super::start_local) } )*
        }
    };
}

on_both_skins!(
    auth_is_required_and_expired_tokens_are_told_apart,
    extra_tokens_from_config,
    issue_activate_block_unblock,
    operator_block_and_unblock,
    link_card_and_its_validation,
    no_body_endpoints_refuse_bodies,
    not_found_and_routing_errors,
    update_alias,
    pins_are_set_never_kept_nor_logged,
    card_details_need_a_single_use_view_token,
    statements_are_created_and_counted,
    status_code_envelope_reading,
    fault_status_with_retry_after_then_normal_service,
    fault_matching_rules,
    fault_drop_before_and_after,
    fault_after_replaces_the_response_of_a_completed_action,
    fault_malformed_body,
    fault_raw_body_and_content_type,
    fault_delay_then_normal_processing,
    request_ids_on_every_response,
    request_log_is_redacted,
    reset_clears_everything,
    seeded_cards_and_the_state_listing,
    extra_users_from_config,
);

// ---- auth -----------------------------------------------------------------

fn auth_is_required_and_expired_tokens_are_told_apart(start: Start) {
    let addr = start(cfg());
    let path = "/rest/users/1001/cards/virtuals";
    for headers in [
        vec![],
        vec![("Authorization", "migo-test-token")],
        vec![("Authorization", "Basic migo-test-token")],
        vec![("Authorization", "Bearer nope")],
        vec![("Authorization", "Bearer ")],
    ] {
        let res = send(addr, "POST", path, &headers, None);
        assert_eq!(res.status, 401, "{headers:?}");
        assert_eq!(res.code(), "UNAUTHORIZED");
        assert_eq!(res.json()["success"], false);
    }
    let res = send(addr, "POST", path, &[("Authorization", "Bearer migo-expired-token")], None);
    assert_eq!(res.status, 401);
    assert_eq!(res.code(), "TOKEN_EXPIRED");
    assert_eq!(card_count(addr), 0, "rejected calls must not act");

    // Scheme is case-insensitive, x-application-id is optional but logged.
    let res =
        send(addr, "POST", path, &[("authorization", "bearer migo-test-token"), ("x-application-id", "app-7")], None);
    assert_eq!(res.status, 201);
    let log = state(addr)["requests"].as_array().unwrap().clone();
    assert_eq!(log.last().unwrap()["headers"]["x-application-id"], "app-7");
}

fn extra_tokens_from_config(start: Start) {
    let addr = start(Config {
        port: 0,
        tokens: vec![TOKEN.into(), "second".into()],
        expired_tokens: vec!["old".into()],
        ..Config::default()
    });
    let path = "/rest/users/1001/cards/virtuals";
    let res = send(addr, "POST", path, &[("Authorization", "Bearer second")], None);
    assert_eq!(res.status, 201);
    let res = send(addr, "POST", path, &[("Authorization", "Bearer old")], None);
    assert_eq!(res.code(), "TOKEN_EXPIRED");
}

// ---- card lifecycle ---------------------------------------------------------

fn issue_activate_block_unblock(start: Start) {
    let addr = start(cfg());
    let res = api(addr, "POST", "/users/1001/cards/virtuals", None);
    assert_eq!(res.status, 201);
    let body = res.json();
    assert_eq!(body["success"], true);
    assert!(body["message"].is_string());
    let card = &body["data"];
    assert_eq!(card["cardId"], 5_000_001);
    assert_eq!(card["userId"], "1001");
    assert_eq!(card["status"], "INACTIVE");
    assert_eq!(card["alias"], Value::Null);
    assert_eq!(card["balance"], "0.0000");
    let masked = card["maskedPan"].as_str().unwrap();
    assert!(masked.starts_with("************") && masked.len() == 16, "{masked}");
    assert!(card["createdAt"].as_str().unwrap().ends_with('Z'));
    assert!(card.get("pan").is_none() && card.get("cvv").is_none());

    // Ids increase.
    assert_eq!(issue(addr, "alice"), 5_000_002);

    let base = "/users/1001/cards/5000001";
    // Only INACTIVE cards can be activated; block/unblock need the right state.
    assert_eq!(api(addr, "POST", &format!("{base}/block"), None).code(), "7213");
    assert_eq!(api(addr, "POST", &format!("{base}/unblock"), None).code(), "7213");
    let res = api(addr, "POST", &format!("{base}/activate"), None);
    assert_eq!(res.status, 200);
    assert_eq!(res.data()["status"], "ACTIVE");
    let res = api(addr, "POST", &format!("{base}/activate"), None);
    assert_eq!((res.status, res.code()), (409, "7213".to_string()));
    assert_eq!(res.json()["success"], false);

    let res = api(addr, "POST", &format!("{base}/block"), None);
    assert_eq!((res.status, res.data()["status"].clone()), (200, json!("BLOCKED")));
    assert_eq!(card_status(addr, 5_000_001), "BLOCKED");
    assert_eq!(api(addr, "POST", &format!("{base}/block"), None).status, 409);
    assert_eq!(api(addr, "POST", &format!("{base}/activate"), None).status, 409);
    let res = api(addr, "POST", &format!("{base}/unblock"), None);
    assert_eq!((res.status, res.data()["status"].clone()), (200, json!("ACTIVE")));
    assert_eq!(card_status(addr, 5_000_001), "ACTIVE");
}

fn operator_block_and_unblock(start: Start) {
    let addr = start(cfg());
    let id = issue(addr, "1002");
    // Another user's operator may act on it; the card must be ACTIVE to block.
    let res = api(addr, "POST", &format!("/cards/{id}/users/alice/block"), None);
    assert_eq!((res.status, res.code()), (409, "7213".to_string()));
    api(addr, "POST", &format!("/users/1002/cards/{id}/activate"), None);
    let res = api(addr, "POST", &format!("/cards/{id}/users/alice/block"), None);
    assert_eq!(res.status, 200);
    assert_eq!(res.data()["status"], "BLOCKED");
    let res = api(addr, "POST", &format!("/cards/{id}/users/1003/unblock"), None);
    assert_eq!(res.data()["status"], "ACTIVE");
    assert_eq!(api(addr, "POST", &format!("/cards/{id}/users/1003/unblock"), None).code(), "7213");

    let res = api(addr, "POST", &format!("/cards/{id}/users/nobody/block"), None);
    assert_eq!((res.status, res.code()), (404, "7100".to_string()));
    let res = api(addr, "POST", "/cards/999/users/alice/block", None);
    assert_eq!((res.status, res.code()), (404, "7200".to_string()));
    let res = api(addr, "POST", "/cards/abc/users/alice/block", None);
    assert_eq!((res.status, res.code()), (400, "7000".to_string()));
}

fn link_card_and_its_validation(start: Start) {
    let addr = start(cfg());
    let res = link(addr, "1001", "4111111111111111");
    assert_eq!(res.status, 201, "{}", res.text());
    let card = res.data();
    assert_eq!(card["status"], "ACTIVE");
    assert_eq!(card["alias"], "Linked");
    assert_eq!(card["maskedPan"], "************1111");
    assert!(!res.text().contains("4111111111111111"));

    // alias may be omitted or null; 12 and 19 digit numbers are fine.
    for body in [
        json!({"card": "5555555555554444"}),
        json!({"card": "378282246310005", "alias": null}),
        json!({"card": "4222222222222"}),
        json!({"card": "6011000990139424"}),
    ] {
        let res = api(addr, "POST", "/users/alice/cards?clientId=c", Some(body.clone()));
        assert_eq!(res.status, 201, "{body}: {}", res.text());
    }

    let bad_bodies = [
        json!({"card": "4111111111111112"}),               // Luhn
        json!({"card": "4111 1111 1111 1111"}),            // not digits only
        json!({"card": "41111111111"}),                    // too short
        json!({"card": "41111111111111111111"}),           // too long
        json!({"card": 4111111111111111u64}),              // not a string
        json!({"alias": "x"}),                             // card missing
        json!({"card": "4111111111111111", "alias": 5}),   // alias type
        json!({"card": "4111111111111111", "cvv": "123"}), // extra field
        json!(["4111111111111111"]),                       // not an object
    ];
    for body in bad_bodies {
        let res = api(addr, "POST", "/users/1001/cards?clientId=c", Some(body.clone()));
        assert_eq!((res.status, res.code()), (400, "7000".to_string()), "{body}");
    }
    let good = json!({"card": "4111111111111111"}).to_string();
    for query in ["", "?clientId=", "?other=1"] {
        let res = send(addr, "POST", &format!("/rest/users/1001/cards{query}"), &[AUTH, JSON_CT], Some(&good));
        assert_eq!((res.status, res.code()), (400, "7000".to_string()), "{query}");
    }
    // Content-Type is required and must be JSON; invalid JSON is a 400.
    let path = "/rest/users/1001/cards?clientId=c";
    let res = send(addr, "POST", path, &[AUTH], Some(&good));
    assert_eq!((res.status, res.code()), (400, "7000".to_string()));
    let res = send(addr, "POST", path, &[AUTH, ("Content-Type", "text/plain")], Some(&good));
    assert_eq!(res.status, 400);
    let res = send(addr, "POST", path, &[AUTH, JSON_CT], Some("{\"card\":"));
    assert_eq!((res.status, res.code()), (400, "7000".to_string()));
    let res = send(addr, "POST", path, &[AUTH, ("Content-Type", "application/json; charset=utf-8")], Some(&good));
    assert_eq!(res.status, 201);

    let res = link(addr, "ghost", "4111111111111111");
    assert_eq!((res.status, res.code()), (404, "7100".to_string()));
    assert_eq!(card_count(addr), 6);
}

fn no_body_endpoints_refuse_bodies(start: Start) {
    let addr = start(cfg());
    let id = issue(addr, "1001");
    let token = view_token(addr, id);
    let paths = [
        ("POST", "/rest/users/1001/cards/virtuals".to_string()),
        ("POST", format!("/rest/users/1001/cards/{id}/activate")),
        ("POST", format!("/rest/users/1001/cards/{id}/block")),
        ("POST", format!("/rest/users/1001/cards/{id}/unblock")),
        ("POST", format!("/rest/cards/{id}/users/1001/block")),
        ("POST", format!("/rest/cards/{id}/users/1001/unblock")),
        ("GET", format!("/rest/users/1001/cards/{id}?token={token}")),
    ];
    for (method, path) in &paths {
        let res = send(addr, method, path, &[AUTH, JSON_CT], Some("{}"));
        assert_eq!((res.status, res.code()), (400, "7000".to_string()), "{method} {path} with body");
        // A Content-Type alone is already a misreading of the contract.
        let res = send(addr, method, path, &[AUTH, JSON_CT], None);
        assert_eq!((res.status, res.code()), (400, "7000".to_string()), "{method} {path} with content-type");
        let res = send(addr, method, path, &[AUTH], Some("x"));
        assert_eq!(res.status, 400, "{method} {path} with raw body");
    }
    assert_eq!(card_count(addr), 1);
    assert_eq!(card_status(addr, id), "INACTIVE");
    // The token was not spent by the rejected GETs.
    let res = api(addr, "GET", &format!("/users/1001/cards/{id}?token={token}"), None);
    assert_eq!(res.status, 200);
}

fn not_found_and_routing_errors(start: Start) {
    let addr = start(cfg());
    let id = issue(addr, "1001");
    let res = api(addr, "POST", "/users/nobody/cards/virtuals", None);
    assert_eq!((res.status, res.code()), (404, "7100".to_string()));
    let res = api(addr, "POST", &format!("/users/nobody/cards/{id}/activate"), None);
    assert_eq!(res.code(), "7100");
    // Another user's card is "not found" for this user.
    let res = api(addr, "POST", &format!("/users/1002/cards/{id}/activate"), None);
    assert_eq!((res.status, res.code()), (404, "7200".to_string()));
    let res = api(addr, "POST", "/users/1001/cards/4242/activate", None);
    assert_eq!(res.code(), "7200");
    let res = api(addr, "POST", "/users/1001/cards/99999999999999999999999/activate", None);
    assert_eq!(res.code(), "7200");
    for bad in ["abc", "12a", "-1", "1%20", "%2B1"] {
        let res = api(addr, "POST", &format!("/users/1001/cards/{bad}/activate"), None);
        assert_eq!((res.status, res.code()), (400, "7000".to_string()), "{bad}");
    }
    // Percent-encoded user ids are decoded: "alic%65" is alice.
    let res = api(addr, "POST", "/users/alic%65/cards/virtuals", None);
    assert_eq!(res.status, 201);
    assert_eq!(res.data()["userId"], "alice");

    for path in ["/nope", "/users/1001", "/", "/users/1001/cards/1/close", "/cards/1/users"] {
        let res = api(addr, "POST", path, None);
        assert_eq!((res.status, res.code()), (404, "7000".to_string()), "{path}");
        assert_eq!(res.json()["success"], false);
    }
    let res = api(addr, "DELETE", &format!("/cards/{id}"), None);
    assert_eq!(res.status, 405);
    assert_eq!(res.header("allow"), Some("PATCH"));
    assert_eq!(res.json()["success"], false);
    assert_eq!(api(addr, "GET", "/users/1001/cards/virtuals", None).status, 405);
}

fn update_alias(start: Start) {
    let addr = start(cfg());
    let id = issue(addr, "1003");
    let res = api(addr, "PATCH", &format!("/cards/{id}"), Some(json!({"alias": "Groceries"})));
    assert_eq!(res.status, 200);
    assert_eq!(res.data()["alias"], "Groceries");
    assert_eq!(state(addr)["cards"][0]["alias"], "Groceries");
    for body in [
        json!({"alias": ""}),
        json!({"alias": "x".repeat(65)}),
        json!({"alias": null}),
        json!({"alias": 3}),
        json!({}),
        json!({"alias": "ok", "status": "BLOCKED"}),
    ] {
        let res = api(addr, "PATCH", &format!("/cards/{id}"), Some(body.clone()));
        assert_eq!((res.status, res.code()), (400, "7000".to_string()), "{body}");
    }
    let res = api(addr, "PATCH", &format!("/cards/{id}"), Some(json!({"alias": "é".repeat(64)})));
    assert_eq!(res.status, 200, "64 characters, more bytes");
    let res = api(addr, "PATCH", "/cards/5999999", Some(json!({"alias": "x"})));
    assert_eq!((res.status, res.code()), (404, "7200".to_string()));
}

fn card_details_need_a_single_use_view_token(start: Start) {
    let addr = start(cfg());
    let id = issue(addr, "alice");
    let other = issue(addr, "alice");
    let token = view_token(addr, id);
    assert!(token.starts_with("vt_") && token.len() == 35, "{token}");
    let other_token = view_token(addr, other);

    let denied = |path: String| {
        let res = api(addr, "GET", &path, None);
        assert_eq!((res.status, res.code()), (403, "7000".to_string()), "{path}");
        assert!(!res.text().contains("vt_"), "{}", res.text());
    };
    denied(format!("/users/alice/cards/{id}"));
    denied(format!("/users/alice/cards/{id}?token="));
    denied(format!("/users/alice/cards/{id}?token=vt_0000"));
    denied(format!("/users/alice/cards/{id}?token={other_token}"));

    let res = api(addr, "GET", &format!("/users/alice/cards/{id}?token={token}"), None);
    assert_eq!(res.status, 200, "{}", res.text());
    let d = res.data();
    assert_eq!(d["cardId"], id);
    let pan = d["pan"].as_str().unwrap();
    assert_eq!(pan.len(), 16);
    assert!(pan.starts_with('4'));
    assert_eq!(d["maskedPan"], format!("************{}", &pan[12..]));
    let cvv = d["cvv"].as_str().unwrap();
    assert!(cvv.len() == 3 && cvv.bytes().all(|b| b.is_ascii_digit()));
    let expiry = d["expiry"].as_str().unwrap();
    assert!(expiry.len() == 5 && &expiry[2..3] == "/", "{expiry}");
    assert!(d["cardholderName"].is_string());
    assert_eq!(d["status"], "INACTIVE");

    // Used once, gone.
    denied(format!("/users/alice/cards/{id}?token={token}"));
    // The other card's token still works for its own card.
    let res = api(addr, "GET", &format!("/users/alice/cards/{other}?token={other_token}"), None);
    assert_eq!(res.status, 200);

    // Wrong owner or unknown card come before the token check.
    let t = view_token(addr, id);
    assert_eq!(api(addr, "GET", &format!("/users/1001/cards/{id}?token={t}"), None).code(), "7200");
    assert_eq!(api(addr, "GET", &format!("/users/ghost/cards/{id}?token={t}"), None).code(), "7100");
    assert_eq!(admin(addr, "POST", "/view-tokens", Some(json!({"cardId": 42}))).status, 404);
    let res = admin(addr, "POST", "/view-tokens", Some(json!({"cardId": id.to_string()})));
    assert_eq!(res.status, 201, "cardId as string");
}

fn statements_are_created_and_counted(start: Start) {
    let addr = start(cfg());
    let id = issue(addr, "1001");
    let res = api(addr, "POST", &format!("/cards/{id}/statements"), Some(json!({"month": 3, "year": 2026})));
    assert_eq!(res.status, 201);
    assert_eq!(
        res.data(),
        json!({"statementId": "stmt-1", "cardId": id, "month": 3, "year": 2026, "status": "GENERATED"})
    );
    let res = api(addr, "POST", &format!("/cards/{id}/statements"), Some(json!({"month": 12, "year": 1999})));
    assert_eq!(res.data()["statementId"], "stmt-2");

    for body in [
        json!({"month": 0, "year": 2026}),
        json!({"month": 13, "year": 2026}),
        json!({"month": 3, "year": 999}),
        json!({"month": 3, "year": 10000}),
        json!({"month": "3", "year": 2026}),
        json!({"month": 3.5, "year": 2026}),
        json!({"month": 3}),
        json!({"month": 3, "year": 2026, "format": "pdf"}),
    ] {
        let res = api(addr, "POST", &format!("/cards/{id}/statements"), Some(body.clone()));
        assert_eq!((res.status, res.code()), (400, "7000".to_string()), "{body}");
    }
    let res = api(addr, "POST", "/cards/777/statements", Some(json!({"month": 1, "year": 2026})));
    assert_eq!((res.status, res.code()), (404, "7200".to_string()));

    let st = state(addr);
    assert_eq!(st["statements"].as_array().unwrap().len(), 2);
    assert_eq!(st["statements"][1]["month"], 12);
}

fn status_code_envelope_reading(start: Start) {
    let addr = start(cfg());
    let res = admin(addr, "POST", "/config", Some(json!({"envelope": "statusCode"})));
    assert_eq!(res.status, 200);
    let res = api(addr, "POST", "/users/1001/cards/virtuals", None);
    let body = res.json();
    assert_eq!(body["statusCode"], 201);
    assert!(body.get("success").is_none());
    assert_eq!(body["data"]["status"], "INACTIVE");
    let res = api(addr, "POST", "/users/1001/cards/5000001/block", None);
    let body = res.json();
    assert_eq!(res.status, 409);
    assert_eq!(body["statusCode"], 409);
    assert_eq!(body["errors"][0]["code"], "7213");
    assert!(body["message"].is_string());
    assert!(body.get("success").is_none());

    assert_eq!(admin(addr, "POST", "/config", Some(json!({"envelope": "other"}))).status, 400);
    admin(addr, "POST", "/config", Some(json!({"envelope": "success"})));
    assert_eq!(api(addr, "POST", "/users/1001/cards/virtuals", None).json()["success"], true);
}

// ---- faults -----------------------------------------------------------------

fn fault_status_with_retry_after_then_normal_service(start: Start) {
    let addr = start(cfg());
    fault(
        addr,
        json!({"method": "post", "path": "/users/*/cards/virtuals", "status": 503, "retryAfter": 2, "times": 2}),
    );
    for _ in 0..2 {
        let res = api(addr, "POST", "/users/1001/cards/virtuals", None);
        assert_eq!(res.status, 503);
        assert_eq!(res.header("retry-after"), Some("2"));
        assert_eq!(res.code(), "503");
        assert_eq!(res.json()["success"], false);
        assert!(res.header("x-request-id").is_some());
    }
    assert_eq!(card_count(addr), 0, "a before-fault means the server did not act");
    assert_eq!(api(addr, "POST", "/users/1001/cards/virtuals", None).status, 201);

    // A string Retry-After (HTTP date) is sent verbatim.
    let date = "Wed, 21 Oct 2015 07:28:00 GMT";
    fault(addr, json!({"path": "/rest/cards/*/statements", "status": 429, "retryAfter": date}));
    let res = api(addr, "POST", "/cards/5000001/statements", Some(json!({"month": 1, "year": 2026})));
    assert_eq!((res.status, res.header("retry-after")), (429, Some(date)));

    let log = state(addr)["requests"].as_array().unwrap().clone();
    assert_eq!(log[0]["status"], 503);
    assert!(log[0]["fault"].as_str().unwrap().contains("503"));
    assert_eq!(log[2]["fault"], Value::Null);
}

fn fault_matching_rules(start: Start) {
    let addr = start(cfg());
    let id = issue(addr, "1001");
    // Method mismatch and path mismatch leave the fault queued.
    fault(addr, json!({"method": "PATCH", "path": "/cards/*", "status": 500}));
    assert_eq!(api(addr, "POST", "/users/1001/cards/virtuals", None).status, 201);
    assert_eq!(
        api(addr, "POST", &format!("/cards/{id}/statements"), Some(json!({"month": 1, "year": 2026}))).status,
        201
    );
    let res = api(addr, "PATCH", &format!("/cards/{id}"), Some(json!({"alias": "a"})));
    assert_eq!(res.status, 500);
    // Consumed: the next one goes through.
    assert_eq!(api(addr, "PATCH", &format!("/cards/{id}"), Some(json!({"alias": "a"}))).status, 200);

    // First matching fault wins; faults without a path match anything.
    fault(addr, json!({"status": 502}));
    fault(addr, json!({"status": 504}));
    assert_eq!(api(addr, "POST", "/users/1001/cards/virtuals", None).status, 502);
    assert_eq!(api(addr, "POST", "/users/1001/cards/virtuals", None).status, 504);

    // DELETE clears the queue.
    fault(addr, json!({"status": 500, "times": 5}));
    assert_eq!(admin(addr, "DELETE", "/faults", None).status, 200);
    assert_eq!(api(addr, "POST", "/users/1001/cards/virtuals", None).status, 201);

    // Typos are refused rather than silently ignored.
    assert_eq!(admin(addr, "POST", "/faults", Some(json!({"delay": 5}))).status, 400);
    assert_eq!(admin(addr, "POST", "/faults", Some(json!({"status": 503, "times": 0}))).status, 400);

    // Faults also apply before auth: an edge 503 needs no token.
    fault(addr, json!({"status": 503}));
    let res = send(addr, "POST", "/rest/users/1001/cards/virtuals", &[], None);
    assert_eq!(res.status, 503);
}

fn fault_drop_before_and_after(start: Start) {
    let addr = start(cfg());
    fault(addr, json!({"path": "/users/1001/cards/virtuals", "drop": true}));
    assert!(raw(addr, "POST", "/rest/users/1001/cards/virtuals", &[AUTH], None).is_none());
    assert_eq!(card_count(addr), 0, "dropped before acting");

    fault(addr, json!({"path": "/users/1001/cards/virtuals", "drop": true, "after": true}));
    assert!(raw(addr, "POST", "/rest/users/1001/cards/virtuals", &[AUTH], None).is_none());
    assert_eq!(card_count(addr), 1, "dropped after acting: the card exists");

    let log = state(addr)["requests"].as_array().unwrap().clone();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["status"], Value::Null);
    assert_eq!(log[0]["fault"], "drop");
    assert_eq!(log[1]["fault"], "drop (after)");
    // Only the request the gateway acted on shows its own answer.
    assert_eq!((log[0]["processed"].clone(), log[1]["processed"].clone()), (Value::Null, json!(201)));
    // The server is fine afterwards.
    assert_eq!(api(addr, "POST", "/users/1001/cards/virtuals", None).status, 201);
}

fn fault_after_replaces_the_response_of_a_completed_action(start: Start) {
    let addr = start(cfg());
    fault(addr, json!({"path": "/users/*/cards", "status": 502, "after": true}));
    let res = link(addr, "1001", "4111111111111111");
    assert_eq!(res.status, 502);
    assert_eq!(res.code(), "502");
    let st = state(addr);
    assert_eq!(st["cards"].as_array().unwrap().len(), 1, "card created despite the 502");
    assert_eq!(st["cards"][0]["status"], "ACTIVE");
    assert_eq!(st["requests"][0]["status"], 502);
}

fn fault_malformed_body(start: Start) {
    let addr = start(cfg());
    fault(addr, json!({"malformed": true}));
    let res = api(addr, "POST", "/users/1001/cards/virtuals", None);
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").unwrap().starts_with("application/json"));
    assert!(serde_json::from_slice::<Value>(&res.body).is_err(), "{}", res.text());
    assert_eq!(card_count(addr), 0);
}

fn fault_raw_body_and_content_type(start: Start) {
    let addr = start(cfg());
    fault(addr, json!({"status": 502, "body": "<html>Bad Gateway</html>", "contentType": "text/html"}));
    let res = api(addr, "POST", "/users/1001/cards/virtuals", None);
    assert_eq!(res.status, 502);
    assert_eq!(res.header("content-type"), Some("text/html"));
    assert_eq!(res.text(), "<html>Bad Gateway</html>");

    fault(addr, json!({"body": "plain"}));
    let res = api(addr, "POST", "/users/1001/cards/virtuals", None);
    assert_eq!((res.status, res.text()), (200, "plain".to_string()));
    assert_eq!(res.header("content-type"), Some("text/plain"));
    assert_eq!(card_count(addr), 0);
}

fn fault_delay_then_normal_processing(start: Start) {
    let addr = start(cfg());
    fault(addr, json!({"delayMs": 400}));
    let started = Instant::now();
    let res = api(addr, "POST", "/users/1001/cards/virtuals", None);
    assert!(started.elapsed() >= Duration::from_millis(400), "{:?}", started.elapsed());
    assert_eq!(res.status, 201, "a pure delay still processes the request");
    assert_eq!(card_count(addr), 1);
    let started = Instant::now();
    api(addr, "POST", "/users/1001/cards/virtuals", None);
    assert!(started.elapsed() < Duration::from_millis(400), "the delay was used up");
}

// ---- cross-cutting ------------------------------------------------------------

fn request_ids_on_every_response(start: Start) {
    let addr = start(cfg());
    let a = api(addr, "POST", "/users/1001/cards/virtuals", None);
    let b = api(addr, "POST", "/nope", None);
    let c = send(addr, "POST", "/rest/users/1001/cards/virtuals", &[], None);
    let d = admin(addr, "GET", "/health", None);
    let ids: Vec<&str> = [&a, &b, &c, &d].iter().map(|r| r.header("x-request-id").unwrap()).collect();
    assert_eq!(ids, ["req-000001", "req-000002", "req-000003", "req-000004"]);
    assert_eq!(d.json(), json!({"ok": true}));
}

#[test]
fn cors_preflight_even_with_a_fault_queued() {
    let addr = Gw::Http(start());
    fault(addr, json!({"drop": true, "times": 10}));
    let res = send(
        addr,
        "OPTIONS",
        "/rest/users/1001/cards/virtuals",
        &[
            ("Origin", "http://localhost:8080"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "authorization, content-type, x-application-id"),
        ],
        None,
    );
    assert!(res.status == 200 || res.status == 204, "{}", res.status);
    assert_eq!(res.header("access-control-allow-origin"), Some("http://localhost:8080"));
    let methods = res.header("access-control-allow-methods").unwrap().to_ascii_uppercase();
    for m in ["GET", "POST", "PATCH", "DELETE"] {
        assert!(methods.contains(m), "{methods}");
    }
    let allowed = res.header("access-control-allow-headers").unwrap().to_ascii_lowercase();
    for h in ["authorization", "content-type", "x-application-id"] {
        assert!(allowed.contains(h), "{allowed}");
    }
    admin(addr, "DELETE", "/faults", None);

    let res = send(addr, "POST", "/rest/users/1001/cards/virtuals", &[AUTH, ("Origin", "http://localhost:8080")], None);
    assert_eq!(res.header("access-control-allow-origin"), Some("http://localhost:8080"));
    let exposed = res.header("access-control-expose-headers").unwrap().to_ascii_lowercase();
    assert!(exposed.contains("x-request-id") && exposed.contains("retry-after"), "{exposed}");
    // The preflight was not logged as an API request.
    assert_eq!(state(addr)["requests"].as_array().unwrap().len(), 1);
}

fn request_log_is_redacted(start: Start) {
    let addr = start(cfg());
    let pan = "4111111111111111";
    link(addr, "1001", pan);
    let id = issue(addr, "1001");
    let token = view_token(addr, id);
    let details = api(addr, "GET", &format!("/users/1001/cards/{id}?token={token}&x=1"), None);
    let issued_pan = details.data()["pan"].as_str().unwrap().to_string();
    let cvv = details.data()["cvv"].as_str().unwrap().to_string();
    // A broken body carrying a PAN is logged as text, still masked.
    send(addr, "POST", "/rest/users/1001/cards?clientId=c", &[AUTH, JSON_CT], Some(&format!("{{\"card\":\"{pan}\"")));
    // An unknown token must not leak either.
    send(addr, "POST", "/rest/users/1001/cards/virtuals", &[("Authorization", "Bearer s3cr3t-guess")], None);

    let st = state(addr);
    let text = st.to_string();
    for secret in [TOKEN, pan, issued_pan.as_str(), token.as_str(), "s3cr3t-guess"] {
        assert!(!text.contains(secret), "state leaks {secret}: {text}");
    }
    let log = st["requests"].as_array().unwrap();
    assert_eq!(log.len(), 5);
    assert_eq!(log[0]["method"], "POST");
    assert_eq!(log[0]["path"], "/rest/users/1001/cards");
    assert_eq!(log[0]["query"], json!({"clientId": "client-1"}));
    assert_eq!(log[0]["headers"]["authorization"], "Bearer ***");
    assert_eq!(log[0]["headers"]["content-type"], "application/json");
    assert_eq!(log[0]["body"], json!({"card": "************1111", "alias": "Linked"}));
    assert_eq!(log[0]["status"], 201);
    assert_eq!(log[1]["body"], Value::Null);
    assert_eq!(log[2]["path"], format!("/rest/users/1001/cards/{id}"));
    assert_eq!(log[2]["query"], json!({"token": "***", "x": "1"}));
    assert!(log[3]["body"].as_str().unwrap().contains("************1111"));
    assert_eq!(log[3]["status"], 400);
    assert_eq!(log[4]["headers"]["authorization"], "Bearer ***");
    assert_eq!(log[4]["status"], 401);
    // The CVV never appears as a value anywhere in the log.
    assert!(!log.iter().any(|e| e.to_string().contains(&format!("\"{cvv}\""))));
}

fn reset_clears_everything(start: Start) {
    let addr = start(cfg());
    let id = issue(addr, "1001");
    let token = view_token(addr, id);
    api(addr, "POST", &format!("/cards/{id}/statements"), Some(json!({"month": 1, "year": 2026})));
    fault(addr, json!({"path": "/nothing/here", "status": 500}));
    admin(addr, "POST", "/config", Some(json!({"envelope": "statusCode"})));

    let res = admin(addr, "POST", "/reset", None);
    assert_eq!((res.status, res.json()), (200, json!({"ok": true})));
    let st = state(addr);
    assert_eq!(
        st,
        json!({
            "cards": [], "statements": [], "requests": [], "faults": [], "envelope": "success",
            "users": ["1001", "1002", "1003", "alice"],
        })
    );

    // Ids, counters and config start over; the old view token is gone.
    let res = api(addr, "POST", "/users/1001/cards/virtuals", None);
    assert_eq!(res.json()["success"], true);
    assert_eq!(res.data()["cardId"], 5_000_001);
    assert_eq!(res.header("x-request-id"), Some("req-000002"));
    let res = api(addr, "GET", &format!("/users/1001/cards/{id}?token={token}"), None);
    assert_eq!(res.status, 403);
    let res = api(addr, "POST", &format!("/cards/{id}/statements"), Some(json!({"month": 1, "year": 2026})));
    assert_eq!(res.data()["statementId"], "stmt-1");
}

fn pins_are_set_never_kept_nor_logged(start: Start) {
    let addr = start(cfg());
    let id = api(addr, "POST", "/users/1001/cards/virtuals", None).data()["cardId"].as_u64().unwrap();
    let pin = |path: &str, body: Value| api(addr, "POST", path, Some(body));
    // INACTIVE and ACTIVE cards take one; the answer has no data.
    let res = pin(&format!("/cards/{id}/pin"), json!({"pin": "0420"}));
    assert_eq!((res.status, res.json().get("data").is_none()), (200, true), "{}", res.text());
    api(addr, "POST", &format!("/users/1001/cards/{id}/activate"), None);
    assert_eq!(pin(&format!("/cards/{id}/users/1002/pin"), json!({"pin": "4321"})).status, 200);
    let card = state(addr)["cards"][0].clone();
    assert_eq!((card["pinSet"].clone(), card["pinUsers"].clone()), (json!(true), json!(["1001", "1002"])));
    // Refusals: the body, the user, the card, its state; none repeats the PIN.
    for (path, body, status, code) in [
        (format!("/cards/{id}/pin"), json!({"pin": 4321}), 400, "7000"),
        (format!("/cards/{id}/pin"), json!({"pin": "12"}), 400, "7000"),
        (format!("/cards/{id}/pin"), json!({"pin": "4321", "old": "1"}), 400, "7000"),
        (format!("/cards/{id}/users/ghost/pin"), json!({"pin": "4321"}), 404, "7100"),
        ("/cards/999/pin".to_string(), json!({"pin": "4321"}), 404, "7200"),
    ] {
        let res = pin(&path, body.clone());
        assert_eq!((res.status, res.code()), (status, code.to_string()), "{body}: {}", res.text());
        assert!(!res.text().contains("4321"), "{}", res.text());
    }
    api(addr, "POST", &format!("/users/1001/cards/{id}/block"), None);
    let res = pin(&format!("/cards/{id}/pin"), json!({"pin": "7213"}));
    assert_eq!((res.status, res.code()), (409, "7213".to_string()));
    let log = state(addr)["requests"].to_string();
    for secret in ["0420", "4321", "7213"] {
        assert!(!log.contains(secret), "{secret} in {log}");
    }
}

fn seeded_cards_and_the_state_listing(start: Start) {
    let addr = start(cfg());
    let res = admin(addr, "POST", "/cards", Some(json!({"userId": "1002", "status": "BLOCKED", "alias": "Old"})));
    assert_eq!(res.status, 201, "{}", res.text());
    assert_eq!(
        res.json(),
        json!({"cardId": 5_000_001, "userId": "1002", "status": "BLOCKED", "alias": "Old",
               "maskedPan": res.json()["maskedPan"].clone(), "pinSet": false, "pinUsers": []})
    );
    // A seeded card behaves like any other; seeding is not an API request.
    assert_eq!(api(addr, "POST", "/users/1002/cards/5000001/activate", None).code(), "7213");
    assert_eq!(api(addr, "POST", "/users/1002/cards/5000001/unblock", None).status, 200);
    let res =
        admin(addr, "POST", "/cards", Some(json!({"userId": 1001, "pan": "4111111111111111", "status": "ACTIVE"})));
    assert_eq!((res.status, res.json()["maskedPan"].clone()), (201, json!("************1111")));
    let token = view_token(addr, 5_000_002);
    let res = api(addr, "GET", &format!("/users/1001/cards/5000002?token={token}"), None);
    assert_eq!(res.data()["pan"], "4111111111111111");
    assert_eq!(card_status(addr, 5_000_002), "ACTIVE");

    for (body, status) in [
        (json!({"userId": "ghost"}), 404),
        (json!({"userId": "1001", "status": "LOST"}), 400),
        (json!({"userId": "1001", "alias": ""}), 400),
        (json!({"userId": "1001", "pan": "4111111111111112"}), 400),
        (json!({"userId": "1001", "pan": 4111111111111111u64}), 400),
        (json!({"userId": "1001", "cvv": "123"}), 400),
        (json!({}), 400),
    ] {
        let res = admin(addr, "POST", "/cards", Some(body.clone()));
        assert_eq!(res.status, status, "{body}: {}", res.text());
        assert_eq!(res.json()["ok"], false);
        assert!(!res.text().contains("4111111111111111"), "{}", res.text());
    }
    assert_eq!(admin(addr, "GET", "/cards", None).status, 405);

    fault(addr, json!({"method": "POST", "path": "/cards/*", "status": 503, "retryAfter": 3, "times": 2}));
    admin(addr, "POST", "/config", Some(json!({"envelope": "statusCode"})));
    let st = state(addr);
    assert_eq!(st["cards"].as_array().unwrap().len(), 2);
    assert_eq!(st["requests"].as_array().unwrap().len(), 3, "the API calls only");
    assert_eq!(st["envelope"], "statusCode");
    assert_eq!(st["users"], json!(["1001", "1002", "1003", "alice"]));
    assert_eq!(
        st["faults"],
        json!([{"method": "POST", "path": "/cards/*", "status": 503, "retryAfter": "3", "delayMs": null, "drop": false,
                "malformed": false, "body": null, "contentType": null, "after": false, "times": 2}])
    );
}

fn extra_users_from_config(start: Start) {
    let mut config = cfg();
    config.users.push("bob".into());
    let addr = start(config);
    assert_eq!(api(addr, "POST", "/users/bob/cards/virtuals", None).status, 201);
    assert_eq!(api(addr, "POST", "/users/carol/cards/virtuals", None).code(), "7100");
    assert_eq!(state(addr)["users"], json!(["1001", "1002", "1003", "alice", "bob"]));
}

// ---- static files -------------------------------------------------------------

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("migo-mock-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn static_folders_with_wasm_mime_and_no_cache() {
    let www = temp_dir("www");
    let pkg = temp_dir("pkg");
    std::fs::write(www.join("index.html"), "<h1>demo</h1>").unwrap();
    std::fs::create_dir_all(www.join("sub")).unwrap();
    std::fs::write(www.join("sub/index.html"), "sub page").unwrap();
    std::fs::write(pkg.join("sdk_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(pkg.join("sdk.js"), "export {}").unwrap();
    std::fs::write(pkg.join("sdk.mjs"), "export {}").unwrap();
    // A file that would shadow the API if static routes took precedence.
    std::fs::create_dir_all(www.join("rest/users/1001/cards")).unwrap();
    std::fs::write(www.join("rest/users/1001/cards/virtuals"), "shadow").unwrap();

    let addr = start_http(Config {
        port: 0,
        statics: vec![
            StaticMount { prefix: "/".into(), dir: www.clone() },
            StaticMount { prefix: "/pkg".into(), dir: pkg.clone() },
        ],
        ..Config::default()
    });
    let res = send(addr, "GET", "/", &[], None);
    assert_eq!((res.status, res.text()), (200, "<h1>demo</h1>".to_string()));
    assert!(res.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(res.header("cache-control"), Some("no-store"));
    assert_eq!(send(addr, "GET", "/sub/", &[], None).text(), "sub page");

    let res = send(addr, "GET", "/pkg/sdk_bg.wasm", &[], None);
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("application/wasm"));
    assert_eq!(res.body, b"\0asm\x01\0\0\0");
    assert_eq!(res.header("cache-control"), Some("no-store"));
    for path in ["/pkg/sdk.js", "/pkg/sdk.mjs"] {
        let res = send(addr, "GET", path, &[], None);
        assert_eq!(res.header("content-type"), Some("text/javascript"), "{path}");
    }
    assert_eq!(send(addr, "GET", "/pkg/missing.wasm", &[], None).status, 404);

    // The API and admin routes win over the static folders.
    let res = api(addr, "POST", "/users/1001/cards/virtuals", None);
    assert_eq!(res.status, 201);
    let res = send(addr, "GET", "/rest/users/1001/cards/virtuals", &[AUTH], None);
    assert_eq!(res.status, 405, "{}", res.text());
    assert_eq!(admin(addr, "GET", "/health", None).json(), json!({"ok": true}));
    let _ = std::fs::remove_dir_all(www);
    let _ = std::fs::remove_dir_all(pkg);
}

#[test]
fn static_mount_may_not_shadow_the_api() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    for prefix in ["/rest", "/__mock/", "/rest/x"] {
        let config = Config {
            port: 0,
            statics: vec![StaticMount { prefix: prefix.into(), dir: ".".into() }],
            ..Config::default()
        };
        assert!(runtime.block_on(migo_mock::serve(config)).is_err(), "{prefix}");
    }
    let missing = Config {
        port: 0,
        statics: vec![StaticMount { prefix: "/pkg".into(), dir: "/nonexistent/migo".into() }],
        ..Config::default()
    };
    assert!(runtime.block_on(migo_mock::serve(missing)).is_err(), "missing folder");
}

// ---- the binary -----------------------------------------------------------------

#[test]
fn binary_prints_address_and_exits_when_stdin_closes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_migo-mock"))
        .args(["--port", "0", "--lifeline"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let port: u16 = first
        .trim_end()
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("first line: {first:?}"))
        .parse()
        .unwrap();
    let addr = Gw::Http(([127, 0, 0, 1], port).into());
    let res = api(addr, "POST", "/users/1001/cards/virtuals", None);
    assert_eq!(res.status, 201);

    drop(child.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("migo-mock did not exit after stdin closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(err.contains("stdin closed"), "{err}");
}

#[test]
fn binary_max_lifetime() {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_migo-mock"))
        .args(["--port", "0", "--max-lifetime", "1"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("listening on http://127.0.0.1:"));
}
