//! Environments, the base URL rule, and the validated client options.

#[allow(unused_imports)]
use crate::prelude::*;

use super::error::Error;
use super::input::Input;
use super::secret::Secret;
use super::text;
use super::validate::{self, MAX_ACCESS_TOKEN_BYTES, MAX_ID_CHARS};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Production,
    Sandbox,
}

impl Environment {
    pub fn parse(field: &'static str, input: &Input, err: validate::Kind) -> Result<Self, Error> {
        match input {
            Input::Absent | Input::Null => Ok(Environment::Production),
            Input::Str(s) if s == "production" => Ok(Environment::Production),
            Input::Str(s) if s == "sandbox" => Ok(Environment::Sandbox),
            _ => Err(validate::says_as(err, field, " must be \"production\" or \"sandbox\"")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Sandbox => "sandbox",
        }
    }

    /// The Wallet Gateway's card API.
    pub fn api_base(self) -> &'static str {
        match self {
            Environment::Production => "https://api.ali.app/rest",
            Environment::Sandbox => "https://ali-qa.ali.app/rest",
        }
    }

    /// The host of the hosted webviews (card activation).
    pub fn web_base(self) -> &'static str {
        match self {
            Environment::Production => "https://web.migopayments.com",
            Environment::Sandbox => "https://sandbox.migopayments.com",
        }
    }
}

/// Checks a base URL and returns it without a trailing slash.
/// https is required; http only for loopback hosts, since a bearer token must
/// never cross a network in clear text.
///
/// Read byte by byte once the URL is known to be visible ASCII: std's char
/// searchers and splitters (`split_once(':')`, `find`, `split('.')`,
/// `trim_end_matches`) give the same answers in more wasm.
pub fn base_url(raw: &str) -> Result<String, Error> {
    // The checks say only what is wrong; the error is made here, once,
    // rather than once per refusal.
    checked_base_url(raw).map_err(|why| Error::config("baseUrl", cat!("baseUrl ", why)))
}

fn checked_base_url(raw: &str) -> Result<String, &'static str> {
    if raw.len() > 2048 {
        return Err("is too long");
    }
    if !text::every(raw.as_bytes(), |b| b.is_ascii_graphic()) {
        return Err("must be an absolute URL without spaces or non-ASCII characters");
    }
    // The first ':' must open "://" (a scheme has no ':').
    let (scheme, rest) = split_once_byte(raw, b':')
        .and_then(|(scheme, rest)| Some((scheme, rest.strip_prefix("//")?)))
        .ok_or("must be an absolute http(s) URL")?;
    // Scheme and host are compared ignoring case and lowercased once, in
    // the result: smaller than two lowercased copies.
    let https = scheme.eq_ignore_ascii_case("https");
    if !https && !scheme.eq_ignore_ascii_case("http") {
        return Err("must use https");
    }
    if !text::every(rest.as_bytes(), |b| b != b'?' && b != b'#') {
        return Err("must not have a query or a fragment");
    }
    let (authority, path) = match find_byte(rest, b'/') {
        Some(i) => (rest.get(..i).unwrap_or_default(), rest.get(i..).unwrap_or_default()),
        None => (rest, ""),
    };
    if find_byte(authority, b'@').is_some() {
        return Err("must not contain credentials");
    }
    let (host, port) = split_host_port(authority).ok_or("has an invalid host or port")?;
    if !https && !is_loopback(host) {
        return Err("must use https (plain http is accepted only for localhost, 127.0.0.0/8 and [::1])");
    }
    let mut out = String::with_capacity(raw.len());
    out.push_str(scheme);
    out.push_str("://");
    out.push_str(host);
    out.make_ascii_lowercase();
    if let Some(p) = port {
        out.push(':');
        out.push_str(p);
    }
    out.push_str(trim_end_slashes(path));
    Ok(out)
}

/// Where byte `c` first is in `s`. A plain loop: `bytes().position()` keeps
/// its iterator in memory and is larger.
fn find_byte(s: &str, c: u8) -> Option<usize> {
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b == c {
            return Some(i);
        }
    }
    None
}

/// `s.split_once(c)` for an ASCII `c`.
fn split_once_byte(s: &str, c: u8) -> Option<(&str, &str)> {
    let i = find_byte(s, c)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// `s.trim_end_matches('/')`, on bytes.
pub(crate) fn trim_end_slashes(s: &str) -> &str {
    let mut kept = s.len();
    while kept > 0 && matches!(s.as_bytes().get(kept - 1), Some(b'/')) {
        kept -= 1;
    }
    s.get(..kept).unwrap_or(s)
}

fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    let (host, port) = if authority.starts_with('[') {
        let end = find_byte(authority, b']')?;
        let (h, rest) = (authority.get(..end + 1)?, authority.get(end + 1..)?);
        let valid = text::every(h.get(1..end)?.as_bytes(), |b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !valid || h.len() < 4 {
            return None;
        }
        match rest {
            "" => (h, None),
            _ => (h, Some(rest.strip_prefix(':')?)),
        }
    } else {
        match split_once_byte(authority, b':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let host_ok = host.starts_with('[')
        || (!host.is_empty() && text::every(host.as_bytes(), |b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
    // `digits_value` refuses an empty port and anything but digits.
    let port_ok = port.map_or(true, |p| p.len() <= 5 && text::digits_value(p.as_bytes()).is_some_and(|n| n <= 65535));
    (host_ok && port_ok).then_some((host, port))
}

/// `localhost` (any case), `[::1]` (either spelling), or a dotted quad in
/// 127.0.0.0/8.
fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host == "[::1]" || host == "[0:0:0:0:0:0:0:1]" {
        return true;
    }
    // Four parts of 1 to 3 digits up to 255, the first "127"; a loop of its
    // own rather than `split('.').collect()` into a Vec.
    let mut parts = 0;
    for part in host.as_bytes().split(|&b| b == b'.') {
        let octet = part.len() <= 3 && text::digits_value(part).is_some_and(|n| n <= 255);
        if !octet || (parts == 0 && part != b"127") {
            return false;
        }
        parts += 1;
    }
    parts == 4
}

/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Upper bound on `maxRetries`, so a typo cannot hammer the gateway.
pub const MAX_MAX_RETRIES: u32 = 10;
/// Default time allowed for one attempt.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Largest delay `setTimeout` honours (2^31 - 1 ms).
pub const MAX_TIMEOUT_MS: u32 = 2_147_483_647;

/// The client options once validated. The access token is not here: it may
/// come from a provider callback, which only the wasm layer can call.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub environment: Environment,
    pub base_url: String,
    pub application_id: Option<String>,
    pub client_id: Option<String>,
    pub max_retries: u32,
    pub timeout_ms: u32,
}

/// The raw option values, read from the JS options object by the wasm layer.
#[derive(Clone, Debug, Default)]
pub struct ConfigInput {
    pub environment: Option<Input>,
    pub base_url: Option<Input>,
    pub application_id: Option<Input>,
    pub client_id: Option<Input>,
    pub max_retries: Option<Input>,
    pub timeout_ms: Option<Input>,
}

fn present(i: &Option<Input>) -> Option<&Input> {
    i.as_ref().filter(|i| !i.is_missing())
}

impl Config {
    pub fn from_input(c: &ConfigInput) -> Result<Config, Error> {
        let environment =
            Environment::parse("environment", c.environment.as_ref().unwrap_or(&Input::Absent), Error::config)?;
        let base_url = match present(&c.base_url) {
            Some(Input::Str(s)) => base_url(s)?,
            Some(other) => return Err(validate::required_or_type_as(Error::config, "baseUrl", other, "a string")),
            None => environment.api_base().to_owned(),
        };
        // Plain matches rather than `map(..).transpose()?`, which is larger.
        let application_id = match present(&c.application_id) {
            Some(i) => Some(validate::header_value("applicationId", i, MAX_ID_CHARS, Error::config)?),
            None => None,
        };
        let client_id = match present(&c.client_id) {
            Some(i) => Some(validate::text(Error::config, "clientId", i, MAX_ID_CHARS)?),
            None => None,
        };
        let max_retries = match present(&c.max_retries) {
            Some(i) => retries("maxRetries", i, Error::config)?,
            None => DEFAULT_MAX_RETRIES,
        };
        let timeout_ms = match present(&c.timeout_ms) {
            Some(i) => timeout("timeoutMs", i, Error::config)?,
            None => DEFAULT_TIMEOUT_MS,
        };
        Ok(Config { environment, base_url, application_id, client_id, max_retries, timeout_ms })
    }
}

/// `accessToken`: visible ASCII, since it goes into the Authorization header.
pub fn access_token(input: &Input) -> Result<Secret<String>, Error> {
    validate::header_value("accessToken", input, MAX_ACCESS_TOKEN_BYTES, Error::config).map(Secret::new)
}

pub fn retries(field: &'static str, input: &Input, err: validate::Kind) -> Result<u32, Error> {
    validate::int_in(err, field, input, 0, MAX_MAX_RETRIES)
}

pub fn timeout(field: &'static str, input: &Input, err: validate::Kind) -> Result<u32, Error> {
    validate::int_in(err, field, input, 1, MAX_TIMEOUT_MS)
}

/// Per-call options (`{ timeoutMs, maxRetries }`); the signal is the wasm layer's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallOptions {
    pub max_retries: u32,
    pub timeout_ms: u32,
}

impl CallOptions {
    pub fn resolve(config: &Config, max_retries: &Input, timeout_ms: &Input) -> Result<CallOptions, Error> {
        Ok(CallOptions {
            max_retries: if max_retries.is_missing() {
                config.max_retries
            } else {
                retries("maxRetries", max_retries, Error::validation)?
            },
            timeout_ms: if timeout_ms.is_missing() {
                config.timeout_ms
            } else {
                timeout("timeoutMs", timeout_ms, Error::validation)?
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(base_url("https://api.example.com/rest/").unwrap(), "https://api.example.com/rest");
        assert_eq!(base_url("HTTPS://API.example.com").unwrap(), "https://api.example.com");
        assert_eq!(base_url("http://localhost:3010").unwrap(), "http://localhost:3010");
        assert_eq!(base_url("http://127.0.0.1:8080/rest").unwrap(), "http://127.0.0.1:8080/rest");
        assert_eq!(base_url("http://127.10.0.3/rest//").unwrap(), "http://127.10.0.3/rest");
        assert_eq!(base_url("http://[::1]:9000/rest").unwrap(), "http://[::1]:9000/rest");
        for bad in [
            "http://api.example.com",
            "http://127.0.0.1.evil.com",
            "http://128.0.0.1",
            "http://localhost.evil.com",
            "http://localhost@evil.com",
            "https://user:pw@api.example.com",
            "ftp://localhost",
            "https://",
            "https://a b.com",
            "https://api.example.com?x=1",
            "https://api.example.com#x",
            "https://api.example.com:99999",
            "https://api.example.com:",
            "//api.example.com",
            "api.example.com",
            "javascript:alert(1)",
            "http://[::2]",
            "",
        ] {
            let e = base_url(bad).unwrap_err();
            assert_eq!(e.field, Some("baseUrl"), "{bad}");
        }
    }

    /// The byte-level `base_url` against a char-level one written with std's str methods.
    #[cfg(not(target_arch = "wasm32"))]
    mod against_the_char_version {
        use super::super::*;
        use proptest::prelude::*;

        fn old_base_url(raw: &str) -> Result<String, Error> {
            let bad = |why: &str| Error::config("baseUrl", cat!("baseUrl ", why));
            if raw.len() > 2048 {
                return Err(bad("is too long"));
            }
            if raw.bytes().any(|b| !b.is_ascii_graphic()) {
                return Err(bad("must be an absolute URL without spaces or non-ASCII characters"));
            }
            // The first ':' must open "://" (a scheme has no ':'); a str pattern
            // here would bring std's two-way searcher for this one search.
            let (scheme, rest) = raw
                .split_once(':')
                .and_then(|(scheme, rest)| Some((scheme, rest.strip_prefix("//")?)))
                .ok_or_else(|| bad("must be an absolute http(s) URL"))?;
            let scheme = scheme.to_ascii_lowercase();
            if scheme != "https" && scheme != "http" {
                return Err(bad("must use https"));
            }
            if rest.contains(['?', '#']) {
                return Err(bad("must not have a query or a fragment"));
            }
            let (authority, path) = match rest.find('/') {
                Some(i) => (rest.get(..i).unwrap_or_default(), rest.get(i..).unwrap_or_default()),
                None => (rest, ""),
            };
            if authority.contains('@') {
                return Err(bad("must not contain credentials"));
            }
            let (host, port) = old_split_host_port(authority).ok_or_else(|| bad("has an invalid host or port"))?;
            let host = host.to_ascii_lowercase();
            if scheme == "http" && !old_is_loopback(&host) {
                return Err(bad("must use https (plain http is accepted only for localhost, 127.0.0.0/8 and [::1])"));
            }
            let mut out = cat!(scheme, "://", host);
            if let Some(p) = port {
                out.push(':');
                out.push_str(p);
            }
            out.push_str(path.trim_end_matches('/'));
            Ok(out)
        }

        fn old_split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
            let (host, port) = if authority.starts_with('[') {
                let end = authority.find(']')?;
                let (h, rest) = (authority.get(..end + 1)?, authority.get(end + 1..)?);
                let valid = h.get(1..end)?.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
                if !valid || h.len() < 4 {
                    return None;
                }
                match rest {
                    "" => (h, None),
                    _ => (h, Some(rest.strip_prefix(':')?)),
                }
            } else {
                match authority.split_once(':') {
                    Some((h, p)) => (h, Some(p)),
                    None => (authority, None),
                }
            };
            let host_ok = host.starts_with('[')
                || (!host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
            let port_ok = port.map_or(true, |p| {
                !p.is_empty()
                    && p.len() <= 5
                    && p.bytes().all(|b| b.is_ascii_digit())
                    && p.parse::<u32>().is_ok_and(|n| n <= 65535)
            });
            (host_ok && port_ok).then_some((host, port))
        }

        fn old_is_loopback(host: &str) -> bool {
            if host == "localhost" || host == "[::1]" || host == "[0:0:0:0:0:0:0:1]" {
                return true;
            }
            let parts: Vec<&str> = host.split('.').collect();
            parts.len() == 4
                && parts[0] == "127"
                && parts.iter().all(|p| {
                    !p.is_empty()
                        && p.len() <= 3
                        && p.bytes().all(|b| b.is_ascii_digit())
                        && p.parse::<u16>().is_ok_and(|n| n <= 255)
                })
        }

        fn url() -> impl Strategy<Value = String> {
            let scheme = prop_oneof!["https", "HTTPS", "http", "hTTp", "ftp", "", "[a-z]{1,5}"];
            let sep = prop_oneof![4 => Just("://"), 1 => Just(":/"), 1 => Just(":"), 1 => Just("//")];
            let host = prop_oneof![
                "[a-z0-9.-]{1,10}",
                "localhost|LocalHost|localhost.evil",
                "127\\.[0-9]{1,4}\\.[0-9]{1,3}\\.[0-9]{1,3}(\\.)?",
                "\\[[0-9a-f:.]{0,8}\\]",
                "\\[::1\\]|\\[0:0:0:0:0:0:0:1\\]",
                "[a-z]{1,3}@[a-z]{1,3}|",
            ];
            let port = prop_oneof![Just(String::new()), ":[0-9]{0,6}"];
            let path = prop_oneof![Just(String::new()), "/[a-z/]{0,6}", "[/?# \\x7f\\u{e9}:.]{1,4}"];
            (scheme, sep, host, port, path).prop_map(|(a, b, c, d, e)| format!("{a}{b}{c}{d}{e}"))
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            #[test]
            fn same_answers(s in url()) {
                prop_assert_eq!(base_url(&s), old_base_url(&s), "{}", s);
            }
        }
    }

    #[test]
    fn loopback_hosts_and_trailing_slashes() {
        for host in ["localhost", "[::1]", "[0:0:0:0:0:0:0:1]", "127.0.0.1", "127.255.255.255", "127.0.0.001"] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "127.0.0",
            "127.0.0.1.",
            ".127.0.0.1",
            "127.0.0.256",
            "127..0.1",
            "128.0.0.1",
            "127.0.0.1000",
            "127.0.0.+1",
            "",
            "127",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
        for s in ["", "/", "//", "a", "a/", "/a//", "/rest/v1///"] {
            assert_eq!(trim_end_slashes(s), s.trim_end_matches('/'), "{s}");
        }
    }

    #[test]
    fn config_defaults_and_environment() {
        let c = Config::from_input(&ConfigInput::default()).unwrap();
        assert_eq!(c.base_url, "https://api.ali.app/rest");
        assert_eq!(c.max_retries, 2);
        assert_eq!(c.timeout_ms, 30_000);
        let c = Config::from_input(&ConfigInput { environment: Some("sandbox".into()), ..Default::default() }).unwrap();
        assert_eq!(c.base_url, "https://ali-qa.ali.app/rest");
        let e =
            Config::from_input(&ConfigInput { environment: Some("prod".into()), ..Default::default() }).unwrap_err();
        assert_eq!((e.kind, e.field), (super::super::error::ErrorKind::Config, Some("environment")));
        let e =
            Config::from_input(&ConfigInput { base_url: Some(Input::Number(1.0)), ..Default::default() }).unwrap_err();
        assert_eq!(e.field, Some("baseUrl"));
    }

    #[test]
    fn access_token_is_checked_and_never_echoed() {
        let e = access_token(&Input::Str("secret token\n".into())).unwrap_err();
        assert!(!e.message.contains("secret"));
        assert_eq!(e.field, Some("accessToken"));
        assert!(access_token(&Input::Absent).is_err());
    }
}
