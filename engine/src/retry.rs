//! When a failed attempt may be tried again. Card operations move
//! money-bearing objects, so the rule is per operation class, not per status:
//! a retry must never create a second card or re-send a single-use token.

#[allow(unused_imports)]
use crate::prelude::*;

use super::endpoints::RetryClass;
use super::error::{Error, Outcome};

/// How one attempt failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No response: connection refused or dropped.
    Network,
    /// The attempt's timer fired first.
    Timeout,
    /// A 2xx whose body could not be read: the server acted.
    Undecodable,
    /// An error status. `retry_after_ms` is the parsed `Retry-After`.
    Status { status: u16, retry_after_ms: Option<u64> },
    /// A redirect answer; `followed` when the transport followed it anyway,
    /// so the request reached another location.
    Redirect { followed: bool },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Retry { delay_ms: u32 },
    GiveUp { retryable: bool, outcome: Outcome },
}

/// The longest `Retry-After` we wait for; beyond it the call fails at once.
pub const MAX_RETRY_AFTER_MS: u64 = 60_000;
const BASE_DELAY_MS: f64 = 500.0;
const MAX_DELAY_MS: f64 = 8_000.0;
const JITTER: f64 = 0.25;

/// Whether the same request could succeed later (the error's `retryable`).
fn transient(f: Failure) -> bool {
    match f {
        Failure::Network | Failure::Timeout => true,
        Failure::Undecodable | Failure::Redirect { .. } => false,
        Failure::Status { status, .. } => matches!(status, 408 | 429 | 500 | 502 | 503 | 504),
    }
}

/// What the caller can assume the server did with one failed attempt.
pub fn outcome(f: Failure) -> Outcome {
    match f {
        Failure::Network | Failure::Timeout | Failure::Undecodable => Outcome::Unknown,
        Failure::Redirect { followed } => {
            if followed {
                Outcome::Unknown
            } else {
                Outcome::Rejected
            }
        }
        // These come from the edge or the server before it acts.
        Failure::Status { status: 429, .. } | Failure::Status { status: 503, retry_after_ms: Some(_) } => {
            Outcome::Rejected
        }
        Failure::Status { status, .. } if status >= 500 || status == 408 => Outcome::Unknown,
        Failure::Status { .. } => Outcome::Rejected,
    }
}

fn safe_to_retry(class: RetryClass, f: Failure) -> bool {
    match class {
        RetryClass::NeverRetried => false,
        RetryClass::SetsState => match f {
            Failure::Network | Failure::Timeout => true,
            Failure::Undecodable | Failure::Redirect { .. } => false,
            Failure::Status { status, .. } => matches!(status, 408 | 429 | 502 | 503 | 504),
        },
        RetryClass::ActsAtMostOnce => {
            matches!(f, Failure::Status { status: 429, .. } | Failure::Status { status: 503, retry_after_ms: Some(_) })
        }
    }
}

/// Decides after `attempts` attempts (1 after the first) with `max_retries`
/// retries allowed. `jitter` is a random number in `[0, 1)`.
pub fn decide(class: RetryClass, failure: Failure, attempts: u32, max_retries: u32, jitter: f64) -> Decision {
    let give_up = Decision::GiveUp { retryable: transient(failure), outcome: outcome(failure) };
    if !safe_to_retry(class, failure) || attempts > max_retries {
        return give_up;
    }
    match failure {
        Failure::Status { retry_after_ms: Some(ms), .. } if ms > MAX_RETRY_AFTER_MS => {
            Decision::GiveUp { retryable: true, outcome: outcome(failure) }
        }
        Failure::Status { retry_after_ms: Some(ms), .. } => Decision::Retry { delay_ms: ms as u32 },
        _ => Decision::Retry { delay_ms: backoff_ms(attempts - 1, jitter) },
    }
}

/// Whether to fetch a fresh token and send the same request once more: on
/// 401 `TOKEN_EXPIRED` the gateway refused the token before acting, so this
/// is safe for every class, even a single-use view token. Only with a token
/// provider, and only once per call.
pub fn refresh_token(e: &Error, has_provider: bool, already_refreshed: bool) -> bool {
    has_provider && !already_refreshed && e.status == Some(401) && matches!(e.code.as_deref(), Some("TOKEN_EXPIRED"))
}

/// `min(0.5 s · 2^n, 8 s)`, shortened by up to 25 % at random so that many
/// clients failing together do not retry together.
pub fn backoff_ms(n: u32, jitter: f64) -> u32 {
    let base = (BASE_DELAY_MS * (1u32 << n.min(16)) as f64).min(MAX_DELAY_MS);
    let j = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.0 };
    // Rounded half up (`f64::round` needs std); the product is never negative.
    (base * (1.0 - JITTER * j) + 0.5) as u32
}

/// The wait `Retry-After` asks for, in ms (RFC 9110 §10.2.3): delay-seconds
/// of any number of digits (beyond `u64` it saturates: only ever too long),
/// or an HTTP-date less the answer's `Date` (§6.6.1: the gateway's own clock,
/// so a client clock that is off cancels out) or, without a readable `Date`,
/// less `wall_ms` (the client's wall clock, Unix epoch ms). A date before
/// that reference means no wait. Anything else (a sign, a fraction, other
/// text) is no `Retry-After`: None.
pub fn parse_retry_after(value: &str, date: Option<&str>, wall_ms: f64) -> Option<u64> {
    let v = value.trim();
    if !v.is_empty() && super::text::every(v.as_bytes(), |b| b.is_ascii_digit()) {
        // All digits: `digits_value` is None only above u64::MAX. (A compare,
        // not `saturating_mul`, whose 128-bit multiply is larger.)
        let s = super::text::digits_value(v.as_bytes()).unwrap_or(u64::MAX);
        return Some(if s > u64::MAX / 1000 { u64::MAX } else { s * 1000 });
    }
    let at = http_date_ms(v)?;
    let wall = if wall_ms.is_finite() && wall_ms > 0.0 { wall_ms } else { 0.0 };
    let now = date.and_then(http_date_ms).unwrap_or(wall);
    Some(if at > now { (at - now) as u64 } else { 0 })
}

/// An HTTP-date (RFC 9110 §5.6.7) in any of the three forms recipients must
/// accept (IMF-fixdate, RFC 850, asctime), in Unix epoch ms; None for any
/// other text or a date before 1970.
#[inline(never)]
pub fn http_date_ms(value: &str) -> Option<f64> {
    let v = value.trim();
    let mut buf = *IMF_TEMPLATE;
    let imf = if v.len() == 29 { v.as_bytes() } else { imf_fixdate(v.as_bytes(), &mut buf)? };
    let at = super::platform::imf_fixdate_ms(imf)?;
    // Before 1970 is not an HTTP date (httpdate's bound, kept in the module too).
    (at >= 0.0).then_some(at)
}

const WEEKDAYS: [&[u8]; 7] = [b"Monday", b"Tuesday", b"Wednesday", b"Thursday", b"Friday", b"Saturday", b"Sunday"];

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) before the fields of
/// another form are copied in: the bytes marked `_` all come from it.
const IMF_TEMPLATE: &[u8; 29] = b"___, __ ___ ____ ________ GMT";

/// Not copied: the template's byte stays (or is set apart).
const KEEP: u8 = 0xFF;

/// For each byte of the IMF-fixdate, the byte of an asctime date
/// (`Sun Nov  6 08:49:37 1994`) it is copied from.
const FROM_ASCTIME: [u8; 29] = [
    0, 1, 2, KEEP, KEEP, 8, 9, KEEP, 4, 5, 6, KEEP, 20, 21, 22, 23, KEEP, 11, 12, 13, 14, 15, 16, 17, 18, KEEP, KEEP,
    KEEP, KEEP,
];

/// The same for an RFC 850 date after its weekday (`, 06-Nov-94 08:49:37
/// GMT`); the weekday and the century are set apart.
const FROM_RFC850: [u8; 29] = [
    KEEP, KEEP, KEEP, KEEP, KEEP, 2, 3, KEEP, 5, 6, 7, KEEP, KEEP, KEEP, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
    21, 22, 23,
];

/// An HTTP date in the asctime or RFC 850 form, as IMF-fixdate written into
/// `out` (the template), by moving its fields (at httpdate's positions);
/// None for any other shape. The fields' values are not read here: the
/// platform's round trip checks them. Tables of positions rather than a
/// list of pieces, whose slices, built on the stack, would be larger.
fn imf_fixdate<'o>(b: &[u8], out: &'o mut [u8; 29]) -> Option<&'o [u8]> {
    let (from, src) = if b.len() == 24 {
        // asctime: `Sun Nov  6 08:49:37 1994` (the day may be space-padded)
        (&FROM_ASCTIME, b)
    } else {
        // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (two-digit year: before
        // 70 is 20xx, as httpdate reads it)
        let comma = b.iter().position(|&c| c == b',')?;
        let (name, rest) = b.split_at(comma);
        let at = |i: usize| rest.get(i).copied();
        // `any`, not `contains`, whose generic copy is larger.
        #[allow(clippy::manual_contains)]
        if !WEEKDAYS.iter().any(|&d| d == name)
            || rest.len() != 24
            || at(1)? != b' '
            || at(4)? != b'-'
            || at(8)? != b'-'
        {
            return None;
        }
        let yy = rest.get(9..11)?;
        if !super::text::every(yy, |b| b.is_ascii_digit()) {
            return None;
        }
        let century: &[u8] = if yy < b"70".as_slice() { b"20" } else { b"19" };
        for (o, &c) in out.iter_mut().zip(name.iter().take(3).chain(b", __ ___ ").chain(century)) {
            *o = c;
        }
        (&FROM_RFC850, rest)
    };
    for (o, &i) in out.iter_mut().zip(from) {
        if i != KEEP {
            *o = *src.get(usize::from(i))?;
        }
    }
    if b.len() == 24 && out[5] == b' ' {
        out[5] = b'0';
    }
    // Bytes, not `str`: the platform compares them with its own ASCII text.
    Some(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Decision::*;
    use RetryClass::*;

    fn st(status: u16) -> Failure {
        Failure::Status { status, retry_after_ms: None }
    }

    #[test]
    fn sets_state_operations_retry_transient_failures() {
        for f in [Failure::Network, Failure::Timeout, st(408), st(429), st(502), st(503), st(504)] {
            assert!(matches!(decide(SetsState, f, 1, 2, 0.0), Retry { .. }), "{f:?}");
            assert!(matches!(decide(SetsState, f, 3, 2, 0.0), GiveUp { retryable: true, .. }), "{f:?}");
        }
        for f in [st(400), st(401), st(404), st(409), st(500), Failure::Undecodable] {
            assert!(matches!(decide(SetsState, f, 1, 2, 0.0), GiveUp { .. }), "{f:?}");
        }
    }

    #[test]
    fn acts_at_most_once_operations_retry_only_when_the_server_did_not_act() {
        assert_eq!(decide(ActsAtMostOnce, st(429), 1, 2, 0.0), Retry { delay_ms: 500 });
        let with_after = Failure::Status { status: 503, retry_after_ms: Some(1000) };
        assert_eq!(decide(ActsAtMostOnce, with_after, 1, 2, 0.0), Retry { delay_ms: 1000 });
        for f in [Failure::Network, Failure::Timeout, st(503), st(502), st(504), st(500), Failure::Undecodable] {
            assert_eq!(
                decide(ActsAtMostOnce, f, 1, 2, 0.0),
                GiveUp { retryable: f != Failure::Undecodable, outcome: Outcome::Unknown },
                "{f:?}"
            );
        }
        assert_eq!(decide(ActsAtMostOnce, st(409), 1, 2, 0.0), GiveUp { retryable: false, outcome: Outcome::Rejected });
    }

    #[test]
    fn never_retried_class_is_never_retried() {
        for f in [Failure::Network, Failure::Timeout, st(429), Failure::Status { status: 503, retry_after_ms: Some(0) }]
        {
            assert!(matches!(decide(NeverRetried, f, 1, 10, 0.0), GiveUp { .. }));
        }
    }

    #[test]
    fn long_retry_after_fails_at_once_as_retryable() {
        let f = Failure::Status { status: 429, retry_after_ms: Some(61_000) };
        assert_eq!(decide(SetsState, f, 1, 2, 0.0), GiveUp { retryable: true, outcome: Outcome::Rejected });
        let f = Failure::Status { status: 429, retry_after_ms: Some(60_000) };
        assert_eq!(decide(SetsState, f, 1, 2, 0.0), Retry { delay_ms: 60_000 });
    }

    #[test]
    fn outcomes_add_up_to_the_worst() {
        use Outcome::*;
        assert_eq!(NotSent.then(Rejected), Rejected);
        assert_eq!(Unknown.then(Rejected), Unknown, "an attempt that may have acted is not undone by a later refusal");
        assert_eq!(Rejected.then(Unknown), Unknown);
        assert_eq!(Rejected.then(NotSent), Rejected);
        assert_eq!(outcome(st(502)), Unknown);
        assert_eq!(outcome(st(409)), Rejected);
    }

    #[test]
    fn an_expired_token_is_refreshed_once_with_a_provider() {
        let mut e = Error::api(401, "expired");
        e.code = Some("TOKEN_EXPIRED".into());
        assert!(refresh_token(&e, true, false));
        assert!(!refresh_token(&e, true, true), "once per call");
        assert!(!refresh_token(&e, false, false), "a fixed token cannot be refreshed");
        e.code = Some("UNAUTHORIZED".into());
        assert!(!refresh_token(&e, true, false));
    }

    #[test]
    fn backoff_doubles_to_a_cap() {
        assert_eq!([0, 1, 2, 3, 4, 5, 40].map(|n| backoff_ms(n, 0.0)), [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(backoff_ms(0, 0.999_999), 375);
        assert_eq!(backoff_ms(0, f64::NAN), 500);
    }

    #[test]
    fn retry_after_formats() {
        assert_eq!(parse_retry_after("2", None, 0.0), Some(2000));
        assert_eq!(parse_retry_after(" 0 ", None, 0.0), Some(0));
        // 1994-11-06T08:49:37Z is 784111777 s after the epoch.
        let now = 784_111_777_000.0;
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", None, now), Some(10_000));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:27 GMT", None, now), Some(0));
        for bad in ["", "-1", "1.5", "soon", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37", "tomorrow"] {
            assert_eq!(parse_retry_after(bad, None, now), None, "{bad}");
        }
    }

    #[test]
    fn retry_after_seconds_of_any_length_are_read_or_saturate() {
        // Leading zeros change nothing, however many.
        assert_eq!(parse_retry_after("0000000000000000000000001", None, 0.0), Some(1000));
        assert_eq!(parse_retry_after("99999999999", None, 0.0), Some(99_999_999_999_000));
        // Beyond u64 (seconds, or once in ms) it is only ever too long.
        for huge in ["18446744073709551616", "18446744073709552", &"9".repeat(400)] {
            assert_eq!(parse_retry_after(huge, None, 0.0), Some(u64::MAX), "{huge}");
        }
        let f = Failure::Status { status: 503, retry_after_ms: parse_retry_after(&"7".repeat(40), None, 0.0) };
        assert_eq!(decide(ActsAtMostOnce, f, 1, 2, 0.0), GiveUp { retryable: true, outcome: Outcome::Rejected });
    }

    #[test]
    fn retry_after_out_of_its_grammar_is_no_retry_after() {
        for bad in ["-1", "-0", "+5", "1.5", "0.5", "1e3", "1_000", "1 000", "٣", "0x10", "Infinity", "NaN"] {
            assert_eq!(parse_retry_after(bad, None, 0.0), None, "{bad}");
            assert_eq!(parse_retry_after(bad, Some("Sun, 29 Nov 2026 22:44:06 GMT"), 0.0), None, "{bad}");
        }
    }

    #[test]
    fn a_retry_after_date_counts_from_the_answers_date() {
        let ra = "Sun, 29 Nov 2026 22:44:09 GMT";
        let date = "Sun, 29 Nov 2026 22:44:06 GMT";
        // The client's wall clock an hour off either way, or unknown: the gateway's own Date rules.
        for wall in
            [1_795_992_246_000.0, 1_795_992_246_000.0 - 3_600_000.0, 1_795_992_246_000.0 + 3_600_000.0, 0.0, f64::NAN]
        {
            assert_eq!(parse_retry_after(ra, Some(date), wall), Some(3000), "{wall}");
        }
        // Date in each of the three forms, with spaces around it.
        for d in ["Sunday, 29-Nov-26 22:44:06 GMT", "Sun Nov 29 22:44:06 2026", "  Sun, 29 Nov 2026 22:44:06 GMT "] {
            assert_eq!(parse_retry_after(ra, Some(d), 0.0), Some(3000), "{d}");
        }
        // A Retry-After date before the answer's Date: no wait, whatever the wall clock says.
        assert_eq!(
            parse_retry_after("Sun, 29 Nov 2026 22:44:01 GMT", Some(date), 1_795_992_246_000.0 - 3_600_000.0),
            Some(0)
        );
        // A Date that is no HTTP-date: the wall clock instead.
        let wall = 1_795_992_247_000.0;
        for bad in [
            "",
            "yesterday",
            "Sun, 31 Nov 2026 22:44:06 GMT",
            "Mon, 29 Nov 2026 22:44:06 GMT",
            "1795992246",
            "Sun, 06 Nov 1969 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(ra, Some(bad), wall), Some(2000), "{bad:?}");
        }
        // Delay-seconds need no reference at all.
        assert_eq!(parse_retry_after("3", Some(date), f64::NAN), Some(3000));
    }

    #[test]
    fn http_dates_before_1970_or_malformed_are_none() {
        assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(http_date_ms("Sun, 29 Nov 2026 22:44:06 GMT"), Some(1_795_992_246_000.0));
        for bad in ["Wed, 31 Dec 1969 23:59:59 GMT", "Sun, 29 Nov 2026 22:44:06", "29 Nov 2026", ""] {
            assert_eq!(http_date_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn retry_after_accepts_every_http_date_form() {
        // 2026-11-29T22:44:06Z, three seconds before each date.
        let now = 1_795_992_246_000.0;
        for form in ["Sun, 29 Nov 2026 22:44:09 GMT", "Sunday, 29-Nov-26 22:44:09 GMT", "Sun Nov 29 22:44:09 2026"] {
            assert_eq!(parse_retry_after(form, None, now), Some(3000), "{form}");
        }
    }

    proptest! {
        #[test]
        fn delays_stay_within_bounds(n in 0u32..100, j in 0.0f64..1.0) {
            let d = backoff_ms(n, j);
            prop_assert!((375..=8000).contains(&d));
        }

        /// Differential against httpdate, which reads all three forms itself:
        /// any date-shaped text, valid or not (day 0..39, any weekday, years
        /// around the two-digit pivot), in each of the three forms, gets the
        /// same answer.
        #[test]
        fn http_dates_read_as_httpdate_reads_them(
            wday in 0usize..7, day in 0u32..40, mon in 0usize..12, year in 1960u32..2080,
            h in 0u32..25, m in 0u32..61, sec in 0u32..61, form in 0u8..3, pad in any::<bool>(),
        ) {
            const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
            const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            let (name, short, mo) = (DAYS[wday], &DAYS[wday][..3], MONTHS[mon]);
            let time = format!("{h:02}:{m:02}:{sec:02}");
            let text = match form {
                0 => format!("{short}, {day:02} {mo} {year} {time} GMT"),
                1 => format!("{name}, {day:02}-{mo}-{:02} {time} GMT", year % 100),
                _ if pad => format!("{short} {mo} {day:>2} {time} {year}"),
                _ => format!("{short} {mo} {day:02} {time} {year}"),
            };
            let expected = httpdate::parse_http_date(&text)
                .ok()
                .map(|t| t.duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64);
            prop_assert_eq!(parse_retry_after(&text, None, 0.0), expected, "{}", text);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}", d in "\\PC{0,40}", now in any::<f64>()) {
            let _ = parse_retry_after(&s, Some(&d), now);
            let _ = parse_retry_after(&s, None, now);
        }
    }
}
