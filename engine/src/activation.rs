//! The hosted card-activation webview URL (activation "Option A").

#[allow(unused_imports)]
use crate::prelude::*;

use super::config::Environment;
use super::error::Error;
use super::input::Input;
use super::text::percent_encode_into;
use super::validate;

/// `{host}/card-activation?client=…&userId=…`, `client` left out when absent.
/// Values are percent-encoded so that any string survives `URLSearchParams`.
pub fn activation_url(user_id: &Input, client: &Input, environment: &Input) -> Result<String, Error> {
    // Query values are percent-encoded, so unlike path ids any character
    // (controls included) is carried faithfully.
    let user_id = match user_id {
        Input::Str(s) => validate::query_text("userId", s)?,
        other => validate::any_id("userId", other)?,
    };
    let client = match client {
        Input::Str(s) => Some(validate::query_text("client", s)?),
        other if other.is_missing() => None,
        other => return Err(validate::required_or_type_as(Error::validation, "client", other, "a string")),
    };
    let env = Environment::parse("environment", environment, Error::validation)?;
    let mut url = cat!(env.web_base(), "/card-activation?");
    if let Some(c) = client {
        url.push_str("client=");
        percent_encode_into(&c, &mut url);
        url.push('&');
    }
    url.push_str("userId=");
    percent_encode_into(&user_id, &mut url);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_documented_urls() {
        assert_eq!(
            activation_url(&"YOUR_USER_ID".into(), &"migoDeveloper".into(), &Input::Absent).unwrap(),
            "https://web.migopayments.com/card-activation?client=migoDeveloper&userId=YOUR_USER_ID"
        );
        assert_eq!(
            activation_url(&Input::Number(42.0), &Input::Null, &"sandbox".into()).unwrap(),
            "https://sandbox.migopayments.com/card-activation?userId=42"
        );
        assert_eq!(
            activation_url(&"a b&c=d+é".into(), &Input::Absent, &"production".into()).unwrap(),
            "https://web.migopayments.com/card-activation?userId=a%20b%26c%3Dd%2B%C3%A9"
        );
    }

    #[test]
    fn rejects_bad_input_with_the_field() {
        assert_eq!(activation_url(&Input::Absent, &Input::Absent, &Input::Absent).unwrap_err().field, Some("userId"));
        assert_eq!(activation_url(&"u".into(), &Input::Number(1.0), &Input::Absent).unwrap_err().field, Some("client"));
        assert_eq!(activation_url(&"u".into(), &"".into(), &Input::Absent).unwrap_err().field, Some("client"));
        assert_eq!(activation_url(&"u".into(), &Input::Absent, &"qa".into()).unwrap_err().field, Some("environment"));
        assert_eq!(activation_url(&"".into(), &Input::Absent, &Input::Absent).unwrap_err().field, Some("userId"));
        let long = "x".repeat(validate::MAX_ID_CHARS + 1);
        assert_eq!(
            activation_url(&long.as_str().into(), &Input::Absent, &Input::Absent).unwrap_err().field,
            Some("userId")
        );
        let url = activation_url(&"a\u{1}\u{85}b".into(), &Input::Absent, &Input::Absent).unwrap();
        assert!(url.ends_with("userId=a%01%C2%85b"), "{url}");
    }
}
