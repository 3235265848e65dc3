//! The call state machine against a fake clock and scripted answers: every
//! rule of a call, natively, with no wasm and no server.

#[allow(unused_imports)]
use crate::prelude::*;

use proptest::prelude::*;

use super::*;
use crate::client::{CallId, Client, ClientInput};
use crate::config::ConfigInput;
use crate::endpoints::{endpoint, Op, Param};
use crate::error::{ErrorKind, Outcome};
use crate::input::Input;

const T0: f64 = 1_795_992_246_000.0; // 2026-11-29T22:44:06Z

fn client_with(token: Option<&str>, provider: bool) -> Client {
    Client::new(&ClientInput {
        config: ConfigInput { base_url: Some("http://127.0.0.1:3010/rest".into()), ..Default::default() },
        access_token: token.map(Input::from),
        get_access_token: provider.then_some(Input::Other("function")),
        ..Default::default()
    })
    .unwrap()
}

/// A client driven by hand: `now` is the driver's monotonic clock; the wall
/// clock reads `now + wall_offset` (a step of it moves only the offset).
struct Sim {
    client: Client,
    now: f64,
    wall_offset: f64,
}

fn sim() -> Sim {
    Sim { client: client_with(Some("tok_fixed_secret"), false), now: T0, wall_offset: 0.0 }
}

fn sim_provider() -> Sim {
    Sim { client: client_with(None, true), now: T0, wall_offset: 0.0 }
}

fn inputs(op: Op) -> Vec<(Param, Input)> {
    endpoint(op)
        .params()
        .map(|p| {
            let v = match p {
                Param::UserId | Param::AuthUserId => Input::from("1001"),
                Param::CardId => Input::Number(5_000_001.0),
                Param::ClientId => Input::from("acme"),
                Param::Card => Input::from("4111 1111 1111 1111"),
                Param::Alias => Input::from("Groceries"),
                Param::ViewToken => Input::from("vt+Q2FyZA/x9=="),
                Param::Month => Input::Number(3.0),
                Param::Year => Input::Number(2026.0),
                Param::Pin => Input::from("0420"),
            };
            (p, v)
        })
        .collect()
}

fn reply(status: u16, body: &str) -> Reply {
    Reply { status, body: body.into(), ..Default::default() }
}

fn with_retry_after(mut r: Reply, v: &str) -> Reply {
    r.retry_after = Some(v.into());
    r
}

const OK: &str = r#"{"success":true,"data":{"cardId":5000001,"status":"ACTIVE"}}"#;
const CONFLICT: &str = r#"{"success":false,"errors":[{"code":"7213","message":"card is BLOCKED"}]}"#;
const EXPIRED: &str = r#"{"success":false,"errors":[{"code":"TOKEN_EXPIRED","message":"expired"}]}"#;

impl Sim {
    fn start(&mut self, op: Op) -> CallId {
        self.start_with(op, CallInput::default())
    }

    fn start_with(&mut self, op: Op, input: CallInput) -> CallId {
        self.client.start(endpoint(op), &inputs(op), &input, true)
    }

    fn next(&mut self, id: CallId) -> Action {
        self.client.next(id, self.now)
    }

    /// The answer arrives now: the wall clock as it reads then.
    fn reply(&mut self, id: CallId, mut r: Reply) -> Action {
        r.wall_ms = self.now + self.wall_offset;
        self.client.on_reply(id, r, self.now, 0.0)
    }

    fn transport(&mut self, id: CallId, t: Transport) -> Action {
        self.client.on_transport(id, t, self.now, 0.0)
    }

    /// Follows waits (advancing the clock) until the call sends or ends.
    fn settle(&mut self, id: CallId, mut a: Action) -> Action {
        while let Action::Wait { until } = a {
            assert!(until >= self.now, "a wait never goes back in time");
            self.now = until;
            a = self.next(id);
        }
        a
    }

    fn error(&self, id: CallId) -> Error {
        self.client.call(id).and_then(|c| c.error()).cloned().expect("the call failed")
    }

    fn url(&self, id: CallId) -> String {
        self.client.call(id).and_then(|c| c.request()).map(|r| r.url()).unwrap()
    }

    fn auth(&self, id: CallId) -> String {
        let call = self.client.call(id).unwrap();
        call.request().unwrap().headers()[0].1.to_owned()
    }
}

/// How one attempt fails, for the class × failure table.
#[derive(Clone, Copy, Debug)]
enum F {
    Network,
    Timeout,
    Status(u16),
    StatusAfter(u16, &'static str),
    Undecodable,
    Redirect,
}

fn fail_once(s: &mut Sim, id: CallId, f: F) -> Action {
    match f {
        F::Network => s.transport(id, Transport::Network),
        F::Timeout => {
            s.now += 30_000.0;
            s.client.on_timeout(id, s.now, 0.0)
        }
        F::Status(st) => s.reply(id, reply(st, "")),
        F::StatusAfter(st, ra) => s.reply(id, with_retry_after(reply(st, ""), ra)),
        F::Undecodable => s.reply(id, reply(200, "<html>")),
        F::Redirect => s.reply(id, reply(307, "")),
    }
}

#[test]
fn a_call_sends_the_contracts_request_and_resolves_to_the_data() {
    let mut s = sim();
    let id = s.start(Op::ActivateCard);
    assert_eq!(s.next(id), Action::Send { deadline: T0 + 30_000.0 });
    assert_eq!(s.url(id), "http://127.0.0.1:3010/rest/users/1001/cards/5000001/activate");
    assert_eq!(s.auth(id), "Bearer tok_fixed_secret");
    assert_eq!(s.reply(id, reply(200, OK)), Action::Done);
    assert_eq!(s.client.call(id).unwrap().value(), Some(r#"{"cardId":5000001,"status":"ACTIVE"}"#));
    s.client.finish(id);
    assert_eq!(s.client.live_calls(), 0);
}

#[test]
fn each_retry_class_against_each_kind_of_failure() {
    use F::*;
    // (failure, retried for SetsState, for ActsAtMostOnce, outcome when given up, retryable)
    let table: &[(F, bool, bool, Outcome, bool)] = &[
        (Network, true, false, Outcome::Unknown, true),
        (Timeout, true, false, Outcome::Unknown, true),
        (Status(408), true, false, Outcome::Unknown, true),
        (Status(429), true, true, Outcome::Rejected, true),
        (Status(500), false, false, Outcome::Unknown, true),
        (Status(502), true, false, Outcome::Unknown, true),
        (Status(503), true, false, Outcome::Unknown, true),
        (StatusAfter(503, "1"), true, true, Outcome::Rejected, true),
        (Status(504), true, false, Outcome::Unknown, true),
        (Status(400), false, false, Outcome::Rejected, false),
        (Status(404), false, false, Outcome::Rejected, false),
        (Status(409), false, false, Outcome::Rejected, false),
        (Status(422), false, false, Outcome::Rejected, false),
        (Undecodable, false, false, Outcome::Unknown, false),
        (Redirect, false, false, Outcome::Rejected, false),
    ];
    for &(f, idem, creating, outcome, retryable) in table {
        for (op, retried) in [(Op::BlockCard, idem), (Op::IssueCard, creating), (Op::GetCardDetails, false)] {
            let mut s = sim();
            let id = s.start(op);
            assert!(matches!(s.next(id), Action::Send { .. }));
            let a = fail_once(&mut s, id, f);
            let a = s.settle(id, a);
            if retried {
                assert!(matches!(a, Action::Send { .. }), "{op:?} {f:?}: retried");
                assert_eq!(s.client.call(id).unwrap().attempts(), 2);
            } else {
                assert_eq!(a, Action::Fail, "{op:?} {f:?}: not retried");
                let e = s.error(id);
                assert_eq!((e.attempts, e.outcome, e.retryable), (1, outcome, retryable), "{op:?} {f:?}");
            }
        }
    }
}

#[test]
fn retries_stop_at_max_retries_and_the_error_counts_every_attempt() {
    let mut s = sim();
    let id = s.start_with(
        Op::BlockCard,
        CallInput { options: Input::Other("object"), max_retries: Input::Number(3.0), ..Default::default() },
    );
    let mut a = s.next(id);
    let mut sends = 0;
    while let Action::Send { .. } = a {
        sends += 1;
        let r = s.reply(id, reply(503, ""));
        a = s.settle(id, r);
    }
    assert_eq!((a, sends), (Action::Fail, 4));
    let e = s.error(id);
    assert_eq!(
        (e.kind, e.status, e.attempts, e.retryable, e.outcome),
        (ErrorKind::Api, Some(503), 4, true, Outcome::Unknown)
    );
}

#[test]
fn backoff_doubles_with_the_jitter_passed_in() {
    let mut s = sim();
    let id = s.start(Op::ActivateCard);
    s.next(id);
    assert_eq!(s.client.on_transport(id, Transport::Network, s.now, 0.0), Action::Wait { until: T0 + 500.0 });
    s.now += 500.0;
    assert!(matches!(s.next(id), Action::Send { .. }));
    // jitter 1.0 shortens the 1000 ms step by 25 %.
    assert_eq!(s.client.on_transport(id, Transport::Network, s.now, 1.0), Action::Wait { until: s.now + 750.0 });
    // Asking early changes nothing.
    assert_eq!(s.next(id), Action::Wait { until: s.now + 750.0 });
}

#[test]
fn retry_after_is_honoured_in_every_form_and_capped() {
    for v in ["3", "Sun, 29 Nov 2026 22:44:09 GMT", "Sunday, 29-Nov-26 22:44:09 GMT", "Sun Nov 29 22:44:09 2026"] {
        // issueCard on 503 with Retry-After: the gateway did not act, so even a creating call retries.
        let mut s = sim();
        let id = s.start(Op::IssueCard);
        s.next(id);
        let a = s.reply(id, with_retry_after(reply(503, ""), v));
        assert_eq!(a, Action::Wait { until: T0 + 3000.0 }, "{v}");
    }
    let mut s = sim();
    let id = s.start(Op::ActivateCard);
    s.next(id);
    let a = s.reply(id, with_retry_after(reply(429, ""), "61"));
    assert_eq!(a, Action::Fail, "beyond 60 s the call fails at once");
    let e = s.error(id);
    assert_eq!((e.retryable, e.outcome, e.attempts), (true, Outcome::Rejected, 1));
    // A date in the past means no wait.
    let mut s = sim();
    let id = s.start(Op::ActivateCard);
    s.next(id);
    let a = s.reply(id, with_retry_after(reply(429, ""), "Sun, 29 Nov 2026 22:00:00 GMT"));
    assert_eq!(a, Action::Send { deadline: T0 + 30_000.0 }, "sent again at once");
}

/// The answer's Date header, and the Retry-After date three seconds after it.
const DATE: &str = "Sun, 29 Nov 2026 22:44:06 GMT";
const DATE_PLUS_3S: &str = "Sun, 29 Nov 2026 22:44:09 GMT";

fn with_date(mut r: Reply, date: &str) -> Reply {
    r.date = Some(date.into());
    r
}

#[test]
fn a_retry_after_date_counts_from_the_gateways_date_whatever_the_clocks_read() {
    // The driver's monotonic clock has its own origin; the wall clock is an hour off either way, or right.
    for (now, wall_offset) in
        [(5_000.0, T0 - 5_000.0), (5_000.0, T0 - 5_000.0 - 3_600_000.0), (T0, 3_600_000.0), (T0, 0.0)]
    {
        let mut s = Sim { now, wall_offset, ..sim() };
        let id = s.start(Op::IssueCard);
        s.next(id);
        let a = s.reply(id, with_date(with_retry_after(reply(503, ""), DATE_PLUS_3S), DATE));
        assert_eq!(a, Action::Wait { until: now + 3000.0 }, "wall clock {}", now + wall_offset);
    }
    // A Retry-After date before the gateway's Date: sent again at once, though the wall clock is an hour behind.
    let mut s = Sim { wall_offset: -3_600_000.0, ..sim() };
    let id = s.start(Op::IssueCard);
    s.next(id);
    let a = s.reply(id, with_date(with_retry_after(reply(503, ""), "Sun, 29 Nov 2026 22:44:01 GMT"), DATE));
    assert_eq!(a, Action::Send { deadline: T0 + 30_000.0 });
}

#[test]
fn without_a_readable_date_a_retry_after_date_counts_from_the_wall_clock_not_the_monotonic_one() {
    for date in [None, Some("not a date"), Some("Sun, 29 Nov 2026 22:44:06"), Some("Mon, 29 Nov 2026 22:44:06 GMT")] {
        // The monotonic clock reads 5 s; the wall clock is T0.
        let mut s = Sim { now: 5_000.0, wall_offset: T0 - 5_000.0, ..sim() };
        let id = s.start(Op::IssueCard);
        s.next(id);
        let mut r = with_retry_after(reply(503, ""), DATE_PLUS_3S);
        r.date = date.map(Into::into);
        assert_eq!(s.reply(id, r), Action::Wait { until: 8_000.0 }, "{date:?}");
    }
    // The wall clock an hour behind the date: beyond 60 s, the call fails at once, retryable.
    let mut s = Sim { wall_offset: -3_600_000.0, ..sim() };
    let id = s.start(Op::IssueCard);
    s.next(id);
    assert_eq!(s.reply(id, with_retry_after(reply(503, ""), DATE_PLUS_3S)), Action::Fail);
    let e = s.error(id);
    assert_eq!((e.retryable, e.outcome, e.attempts), (true, Outcome::Rejected, 1));
}

#[test]
fn the_wall_clock_moves_no_deadline_and_no_wait() {
    // The same events at the same monotonic times, with the wall clock right, an hour ahead, an hour behind.
    let script = |wall_offset: f64| {
        let mut s = Sim { wall_offset, ..sim_provider() };
        let mut seen = Vec::new();
        let three =
            CallInput { options: Input::Other("object"), max_retries: Input::Number(3.0), ..Default::default() };
        let id = s.start_with(Op::BlockCard, three);
        let a = s.next(id);
        seen.push(a);
        let Action::FetchToken { ticket, .. } = a else { panic!("{a:?}") };
        s.now += 40.0;
        seen.push(s.client.on_token(id, ticket, TokenResult::Value(Input::from("tok_a_secret")), s.now));
        s.now += 100.0;
        // Backoff, then a Retry-After of seconds, then one of a date with the gateway's Date.
        seen.push(s.reply(id, reply(502, "")));
        s.now += 500.0;
        seen.push(s.next(id));
        s.now += 7.0;
        seen.push(s.reply(id, with_retry_after(reply(429, ""), "2")));
        s.now += 2_000.0;
        seen.push(s.next(id));
        s.now += 3.0;
        seen.push(s.reply(id, with_date(with_retry_after(reply(503, ""), DATE_PLUS_3S), DATE)));
        seen
    };
    let right = script(0.0);
    assert_eq!(
        right,
        [
            Action::FetchToken { ticket: 1, deadline: T0 + 30_000.0 },
            Action::Send { deadline: T0 + 40.0 + 30_000.0 },
            Action::Wait { until: T0 + 140.0 + 500.0 },
            Action::Send { deadline: T0 + 640.0 + 30_000.0 },
            Action::Wait { until: T0 + 647.0 + 2_000.0 },
            Action::Send { deadline: T0 + 2_647.0 + 30_000.0 },
            Action::Wait { until: T0 + 2_650.0 + 3_000.0 },
        ]
    );
    assert_eq!(script(3_600_000.0), right);
    assert_eq!(script(-3_600_000.0), right);
}

#[test]
fn retry_after_seconds_of_any_length_beyond_60_s_fail_at_once_as_retryable() {
    for v in ["61", "99999999999", "18446744073709551616", &"9".repeat(300), "0000000000000000000000000000000120"] {
        // issueCard on 503: the gateway did not act (rejected), and the call does not wait.
        let mut s = sim();
        let id = s.start(Op::IssueCard);
        s.next(id);
        assert_eq!(s.reply(id, with_retry_after(reply(503, ""), v)), Action::Fail, "{v}");
        let e = s.error(id);
        assert_eq!((e.retryable, e.outcome, e.attempts, e.status), (true, Outcome::Rejected, 1, Some(503)), "{v}");
        let mut s = sim();
        let id = s.start(Op::BlockCard);
        s.next(id);
        assert_eq!(s.reply(id, with_retry_after(reply(429, ""), v)), Action::Fail, "{v}");
        assert_eq!((s.error(id).retryable, s.error(id).attempts), (true, 1), "{v}");
    }
    // Leading zeros, however many, change nothing.
    let mut s = sim();
    let id = s.start(Op::IssueCard);
    s.next(id);
    let a = s.reply(id, with_retry_after(reply(503, ""), "00000000000000000000000000000000002"));
    assert_eq!(a, Action::Wait { until: T0 + 2000.0 });
}

#[test]
fn a_retry_after_with_a_sign_or_a_fraction_counts_as_absent() {
    for v in ["-1", "-120", "1.5", "0.5", "+2", "1e3"] {
        // issueCard on 503 without a Retry-After: the gateway may have acted; not retried.
        let mut s = sim();
        let id = s.start(Op::IssueCard);
        s.next(id);
        assert_eq!(s.reply(id, with_retry_after(reply(503, ""), v)), Action::Fail, "{v}");
        let e = s.error(id);
        assert_eq!((e.retryable, e.outcome, e.attempts), (true, Outcome::Unknown, 1), "{v}");
        // blockCard on 429: the ordinary backoff.
        let mut s = sim();
        let id = s.start(Op::BlockCard);
        s.next(id);
        assert_eq!(s.reply(id, with_retry_after(reply(429, ""), v)), Action::Wait { until: T0 + 500.0 }, "{v}");
    }
}

fn cut(status: u16, how: CutOff) -> Reply {
    Reply { status, request_id: Some("req-7".into()), cut_off: Some(how), ..Default::default() }
}

#[test]
fn an_answer_cut_off_after_a_2xx_is_unknown_and_never_retried() {
    for (op, status) in
        [(Op::IssueCard, 201), (Op::BlockCard, 200), (Op::CreateStatement, 201), (Op::GetCardDetails, 200)]
    {
        for how in [CutOff::Connection, CutOff::Deadline] {
            let mut s = sim();
            let id = s.start(op);
            s.next(id);
            s.now += 25.0;
            assert_eq!(s.reply(id, cut(status, how)), Action::Fail, "{op:?} {how:?}");
            let e = s.error(id);
            let kind = if how == CutOff::Connection { ErrorKind::Network } else { ErrorKind::Timeout };
            assert_eq!(
                (e.kind, e.status, e.request_id.as_deref(), e.attempts, e.retryable, e.outcome),
                (kind, Some(status), Some("req-7"), 1, false, Outcome::Unknown),
                "{op:?} {how:?}"
            );
            let prefix = cat!("the answer was cut off after the gateway replied ", status, ": ");
            assert!(e.message.starts_with(&prefix), "{}", e.message);
            let ending = if how == CutOff::Connection {
                "the connection failed while its body was read"
            } else {
                "the attempt's deadline passed while its body was read"
            };
            assert!(e.message.ends_with(ending), "{}", e.message);
            let ev = s.client.call(id).unwrap().event().unwrap().clone();
            let result = if how == CutOff::Connection { AttemptResult::Network } else { AttemptResult::Timeout };
            assert_eq!((ev.result, ev.status, ev.duration_ms), (result, Some(status), 25.0));
        }
    }
}

#[test]
fn a_signal_that_fires_while_the_body_is_read_ends_the_call_with_what_was_heard() {
    for (status, outcome) in [(201, Outcome::Unknown), (503, Outcome::Unknown), (409, Outcome::Rejected)] {
        for timeout in [false, true] {
            let mut s = sim();
            let id = s.start(Op::IssueCard);
            s.next(id);
            assert_eq!(s.reply(id, cut(status, CutOff::Aborted { timeout })), Action::Fail, "{status} {timeout}");
            let e = s.error(id);
            let kind = if timeout { ErrorKind::Timeout } else { ErrorKind::Aborted };
            // Never retried, whatever the status; retryable as a timed-out 5xx is.
            let retryable = timeout && status == 503;
            assert_eq!(
                (e.kind, e.status, e.request_id.as_deref(), e.attempts, e.retryable, e.outcome),
                (kind, Some(status), Some("req-7"), 1, retryable, outcome),
                "{status} {timeout}"
            );
            assert!(e.message.ends_with("the call's signal fired while its body was read"), "{}", e.message);
            let ev = s.client.call(id).unwrap().event().unwrap().clone();
            assert_eq!((ev.result, ev.status), (AttemptResult::Aborted, Some(status)));
        }
    }
}

#[test]
fn an_answer_cut_off_after_an_error_status_is_decided_by_its_status() {
    // blockCard on 503: retried as any 503 is, and the retry succeeds.
    let mut s = sim();
    let id = s.start(Op::BlockCard);
    s.next(id);
    let a = s.reply(id, cut(503, CutOff::Connection));
    assert_eq!(a, Action::Wait { until: T0 + 500.0 });
    let a = s.settle(id, a);
    assert!(matches!(a, Action::Send { .. }));
    assert_eq!(s.reply(id, reply(200, OK)), Action::Done);
    // A 404 is refused at once: nothing happened.
    for how in [CutOff::Connection, CutOff::Deadline] {
        let mut s = sim();
        let id = s.start(Op::BlockCard);
        s.next(id);
        assert_eq!(s.reply(id, cut(404, how)), Action::Fail);
        let e = s.error(id);
        assert_eq!(
            (e.kind, e.status, e.attempts, e.retryable, e.outcome),
            (ErrorKind::Api, Some(404), 1, false, Outcome::Rejected)
        );
        assert_eq!(e.request_id.as_deref(), Some("req-7"));
        assert!(e.message.starts_with("the answer was cut off after the gateway replied 404: "), "{}", e.message);
    }
    // issueCard on 503 with Retry-After: the gateway did not act, so it is retried; without, it may have.
    let mut s = sim();
    let id = s.start(Op::IssueCard);
    s.next(id);
    let mut r = cut(503, CutOff::Connection);
    r.retry_after = Some("1".into());
    assert_eq!(s.reply(id, r), Action::Wait { until: T0 + 1000.0 });
    let mut s = sim();
    let id = s.start(Op::IssueCard);
    s.next(id);
    assert_eq!(s.reply(id, cut(503, CutOff::Connection)), Action::Fail);
    let e = s.error(id);
    assert_eq!((e.status, e.attempts, e.retryable, e.outcome), (Some(503), 1, true, Outcome::Unknown));
    // A 401 cut off has no code to read: no refresh, the call fails as refused.
    let mut s = sim_provider();
    let id = s.start(Op::BlockCard);
    let Action::FetchToken { ticket, .. } = s.next(id) else { panic!() };
    s.client.on_token(id, ticket, TokenResult::Value(Input::from("tok_a_secret")), s.now);
    assert_eq!(s.reply(id, cut(401, CutOff::Connection)), Action::Fail);
    assert_eq!((s.error(id).status, s.error(id).attempts), (Some(401), 1));
}

#[test]
fn a_cut_off_answers_request_id_is_scrubbed_of_the_calls_secrets() {
    let mut s = sim();
    let id = s.start(Op::GetCardDetails);
    s.next(id);
    let mut r = cut(201, CutOff::Connection);
    r.request_id = Some("id-vt+Q2FyZA/x9==-tok_fixed_secret".into());
    s.reply(id, r);
    let text = s.error(id).to_json();
    assert!(!text.contains("vt+Q2FyZA/x9==") && !text.contains("tok_fixed_secret"), "{text}");
}

#[test]
fn an_attempt_times_out_at_its_deadline_and_is_counted() {
    let mut s = sim();
    let id = s.start_with(
        Op::BlockCard,
        CallInput {
            options: Input::Other("object"),
            timeout_ms: Input::Number(300.0),
            max_retries: Input::Number(0.0),
            ..Default::default()
        },
    );
    assert_eq!(s.next(id), Action::Send { deadline: T0 + 300.0 });
    s.now += 300.0;
    assert_eq!(s.client.on_timeout(id, s.now, 0.0), Action::Fail);
    let e = s.error(id);
    assert_eq!((e.kind, e.attempts, e.outcome, e.retryable), (ErrorKind::Timeout, 1, Outcome::Unknown, true));
    let ev = s.client.call(id).unwrap().event().unwrap().clone();
    assert_eq!((ev.attempt, ev.result, ev.duration_ms), (1, AttemptResult::Timeout, 300.0));
}

#[test]
fn concurrent_calls_share_one_token_fetch_and_one_refresh() {
    let mut s = sim_provider();
    let a = s.start(Op::ActivateCard);
    let b = s.start(Op::BlockCard);
    assert_eq!(s.next(a), Action::FetchToken { ticket: 1, deadline: T0 + 30_000.0 });
    assert_eq!(s.next(b), Action::AwaitToken { ticket: 1, deadline: T0 + 30_000.0 });
    let tok = |v: &str| TokenResult::Value(Input::from(v));
    assert!(matches!(s.client.on_token(a, 1, tok("tok_one_secret"), s.now), Action::Send { .. }));
    assert!(matches!(s.client.on_token(b, 1, tok("tok_one_secret"), s.now), Action::Send { .. }));
    assert_eq!(s.auth(b), "Bearer tok_one_secret");
    // Both are refused as expired: one refresh for the two.
    assert_eq!(s.reply(a, reply(401, EXPIRED)), Action::FetchToken { ticket: 2, deadline: T0 + 30_000.0 });
    assert_eq!(s.reply(b, reply(401, EXPIRED)), Action::AwaitToken { ticket: 2, deadline: T0 + 30_000.0 });
    assert!(matches!(s.client.on_token(a, 2, tok("tok_two_secret"), s.now), Action::Send { .. }));
    assert!(matches!(s.client.on_token(b, 2, tok("tok_two_secret"), s.now), Action::Send { .. }));
    assert_eq!(s.auth(a), "Bearer tok_two_secret");
    // A third call uses the new token without asking.
    let c = s.start(Op::UnblockCard);
    assert!(matches!(s.next(c), Action::Send { .. }));
    // A second expiry in the same call is not refreshed again.
    assert_eq!(s.reply(a, reply(401, EXPIRED)), Action::Fail);
    let e = s.error(a);
    assert_eq!(
        (e.status, e.code.as_deref(), e.attempts, e.outcome),
        (Some(401), Some("TOKEN_EXPIRED"), 2, Outcome::Rejected)
    );
}

#[test]
fn a_fixed_token_is_never_refreshed() {
    let mut s = sim();
    let id = s.start(Op::ActivateCard);
    s.next(id);
    assert_eq!(s.reply(id, reply(401, EXPIRED)), Action::Fail);
    assert_eq!(s.error(id).attempts, 1);
}

#[test]
fn a_token_provider_that_never_settles_holds_up_only_the_calls_of_its_deadline() {
    // The first getAccessToken never settles; later calls ask again.
    let mut s = sim_provider();
    let timeout = CallInput { options: Input::Other("object"), timeout_ms: Input::Number(300.0), ..Default::default() };
    let a = s.start_with(Op::ActivateCard, timeout.clone());
    assert_eq!(s.next(a), Action::FetchToken { ticket: 1, deadline: T0 + 300.0 });
    s.now += 300.0;
    assert_eq!(s.client.on_timeout(a, s.now, 0.0), Action::Fail);
    let e = s.error(a);
    assert_eq!((e.kind, e.attempts, e.outcome), (ErrorKind::Timeout, 0, Outcome::NotSent));
    let b = s.start_with(Op::ActivateCard, timeout);
    assert_eq!(s.next(b), Action::FetchToken { ticket: 2, deadline: s.now + 300.0 });
    let a2 = s.client.on_token(b, 2, TokenResult::Value(Input::from("tok_late_secret")), s.now);
    assert!(matches!(a2, Action::Send { .. }));
}

#[test]
fn a_bad_token_provider_fails_the_call_with_a_config_error_naming_it() {
    for (result, message) in [
        (TokenResult::Rejected, "getAccessToken rejected"),
        (TokenResult::Threw, "getAccessToken threw"),
        (TokenResult::Value(Input::Number(1.0)), "getAccessToken must resolve"),
        (TokenResult::Value(Input::from("has space")), "getAccessToken must resolve"),
    ] {
        let mut s = sim_provider();
        let id = s.start(Op::ActivateCard);
        s.next(id);
        assert_eq!(s.client.on_token(id, 1, result, s.now), Action::Fail);
        let e = s.error(id);
        assert_eq!(
            (e.kind, e.field, e.attempts, e.outcome),
            (ErrorKind::Config, Some("getAccessToken"), 0, Outcome::NotSent)
        );
        assert!(e.message.starts_with(message), "{}", e.message);
        // The next call asks again.
        let id = s.start(Op::ActivateCard);
        assert_eq!(s.next(id), Action::FetchToken { ticket: 2, deadline: s.now + 30_000.0 });
    }
}

/// A provider's token is taken exactly when `accessToken` would be.
#[test]
fn a_provided_token_follows_the_access_token_rule() {
    let long = "t".repeat(crate::validate::MAX_ACCESS_TOKEN_BYTES);
    let too_long = "t".repeat(crate::validate::MAX_ACCESS_TOKEN_BYTES + 1);
    let inputs = [
        Input::from("tok_ok"),
        Input::from(long.as_str()),
        Input::from(too_long.as_str()),
        Input::from(""),
        Input::from("t\u{e9}"),
        Input::from("a\tb"),
        Input::from("~!"),
        Input::Null,
        Input::Absent,
        Input::Bool(true),
        Input::Other("object"),
    ];
    for input in inputs {
        let expected = crate::config::access_token(&input).is_ok();
        let mut s = sim_provider();
        let id = s.start(Op::ActivateCard);
        s.next(id);
        let a = s.client.on_token(id, 1, TokenResult::Value(input.clone()), s.now);
        assert_eq!(matches!(a, Action::Send { .. }), expected, "{input:?}");
    }
}

#[test]
fn abort_at_every_stage() {
    let abort = |timeout: bool| CallInput {
        options: Input::Other("object"),
        signal: SignalInput::Aborted { timeout },
        ..Default::default()
    };
    // Before anything: nothing sent.
    let mut s = sim();
    let id = s.start_with(Op::ActivateCard, abort(false));
    assert_eq!(s.next(id), Action::Fail);
    let e = s.error(id);
    assert_eq!((e.kind, e.attempts, e.outcome), (ErrorKind::Aborted, 0, Outcome::NotSent));
    // A signal from AbortSignal.timeout() is a timeout.
    let id = s.start_with(Op::ActivateCard, abort(true));
    assert_eq!(s.next(id), Action::Fail);
    assert_eq!(s.error(id).kind, ErrorKind::Timeout);
    // While waiting for the token.
    let mut s = sim_provider();
    let id = s.start(Op::ActivateCard);
    s.next(id);
    assert_eq!(s.client.on_abort(id, false, true, s.now), Action::Fail);
    assert_eq!(s.error(id).outcome, Outcome::NotSent);
    // In flight: the gateway may have acted.
    let mut s = sim();
    let id = s.start(Op::ActivateCard);
    s.next(id);
    s.now += 40.0;
    assert_eq!(s.client.on_abort(id, false, true, s.now), Action::Fail);
    let e = s.error(id);
    assert_eq!((e.kind, e.attempts, e.outcome), (ErrorKind::Aborted, 1, Outcome::Unknown));
    assert_eq!(s.client.call(id).unwrap().event().unwrap().result, AttemptResult::Aborted);
    // Handed out but aborted before the driver sent it: no attempt, nothing to report.
    let mut s = sim();
    let id = s.start(Op::ActivateCard);
    assert!(matches!(s.next(id), Action::Send { .. }));
    assert_eq!(s.client.on_abort(id, false, false, s.now), Action::Fail);
    let e = s.error(id);
    assert_eq!((e.kind, e.attempts, e.outcome), (ErrorKind::Aborted, 0, Outcome::NotSent));
    assert!(s.client.call(id).unwrap().event().is_none());
    // ... and after an attempt that may have acted, the outcome keeps it.
    let mut s = sim();
    let id = s.start(Op::ActivateCard);
    s.next(id);
    let Action::Wait { until } = s.reply(id, reply(503, "")) else { panic!("503 is retried") };
    s.now = until;
    assert!(matches!(s.next(id), Action::Send { .. }));
    assert_eq!(s.client.on_abort(id, true, false, s.now), Action::Fail);
    let e = s.error(id);
    assert_eq!((e.kind, e.attempts, e.outcome), (ErrorKind::Timeout, 1, Outcome::Unknown));
    // During backoff after a refusal that did not act.
    let mut s = sim();
    let id = s.start(Op::ActivateCard);
    s.next(id);
    assert!(matches!(s.reply(id, reply(429, "")), Action::Wait { .. }));
    assert_eq!(s.client.on_abort(id, true, true, s.now), Action::Fail);
    let e = s.error(id);
    assert_eq!((e.kind, e.attempts, e.outcome, e.retryable), (ErrorKind::Timeout, 1, Outcome::Rejected, true));
    // After the end, an abort changes nothing.
    let id = s.start(Op::ActivateCard);
    s.next(id);
    s.reply(id, reply(200, OK));
    assert_eq!(s.client.on_abort(id, false, true, s.now), Action::Done);
}

#[test]
fn once_an_attempt_may_have_acted_the_outcome_stays_unknown() {
    let mut s = sim();
    let id = s.start(Op::UpdateCardAlias);
    s.next(id);
    let a = s.reply(id, reply(502, ""));
    s.settle(id, a);
    assert_eq!(
        s.reply(id, reply(400, r#"{"success":false,"errors":[{"code":"7000","message":"bad"}]}"#)),
        Action::Fail
    );
    let e = s.error(id);
    assert_eq!((e.status, e.code.as_deref(), e.attempts, e.outcome), (Some(400), Some("7000"), 2, Outcome::Unknown));
    // A refusal that did not act, then success: resolved.
    let id = s.start(Op::ActivateCard);
    s.next(id);
    let a = s.reply(id, reply(429, ""));
    s.settle(id, a);
    assert_eq!(s.reply(id, reply(200, OK)), Action::Done);
}

#[test]
fn a_retry_refused_as_a_state_conflict_after_a_lost_answer_never_looks_like_a_plain_refusal() {
    // blockCard's first answer is lost, the retry gets 409 7213.
    let mut s = sim();
    let id = s.start(Op::BlockCard);
    s.next(id);
    let a = s.transport(id, Transport::Network);
    s.settle(id, a);
    assert_eq!(s.reply(id, reply(409, CONFLICT)), Action::Fail);
    let e = s.error(id);
    assert_eq!((e.kind, e.code.as_deref(), e.status), (ErrorKind::Network, None, None), "not a plain 7213");
    assert_eq!((e.attempts, e.outcome, e.retryable), (2, Outcome::Unknown, false));
    assert!(e.message.contains("state conflict"), "{}", e.message);
    let cause = e.cause.as_deref().unwrap();
    assert_eq!((cause.kind, cause.status, cause.code.as_deref()), (ErrorKind::Api, Some(409), Some("7213")));
    // The same 7213 on a first attempt is a plain refusal.
    let id = s.start(Op::BlockCard);
    s.next(id);
    s.reply(id, reply(409, CONFLICT));
    let e = s.error(id);
    assert_eq!(
        (e.kind, e.code.as_deref(), e.outcome, e.cause.as_ref()),
        (ErrorKind::Api, Some("7213"), Outcome::Rejected, None)
    );
    // After a timed-out attempt, a 7213 in a 2xx envelope is the same case.
    let id = s.start(Op::UnblockCard);
    s.next(id);
    s.now += 30_000.0;
    let a = s.client.on_timeout(id, s.now, 0.0);
    s.settle(id, a);
    s.reply(id, reply(200, CONFLICT));
    let e = s.error(id);
    assert_eq!((e.kind, e.outcome), (ErrorKind::Timeout, Outcome::Unknown));
    assert_eq!(e.cause.as_ref().unwrap().code.as_deref(), Some("7213"));
}

#[test]
fn redirects_are_refused_never_followed() {
    for (status, redirected, outcome) in
        [(307, false, Outcome::Rejected), (0, false, Outcome::Rejected), (200, true, Outcome::Unknown)]
    {
        let mut s = sim();
        let id = s.start(Op::LinkCard);
        s.next(id);
        let r = Reply { status, body: OK.into(), redirected, ..Default::default() };
        assert_eq!(s.reply(id, r), Action::Fail);
        let e = s.error(id);
        assert_eq!((e.kind, e.attempts, e.outcome, e.retryable), (ErrorKind::Api, 1, outcome, false), "{status}");
        assert!(e.message.contains("redirect"), "{}", e.message);
        assert!(s.client.call(id).unwrap().value().is_none());
    }
}

#[test]
fn without_fetch_the_call_is_a_config_error_and_sends_nothing() {
    let mut s = sim();
    let id = s.client.start(endpoint(Op::IssueCard), &inputs(Op::IssueCard), &CallInput::default(), false);
    assert_eq!(s.next(id), Action::Fail);
    let e = s.error(id);
    assert_eq!((e.kind, e.field, e.attempts, e.outcome), (ErrorKind::Config, Some("fetch"), 0, Outcome::NotSent));
    // Bad arguments are reported first.
    let id = s.client.start(endpoint(Op::IssueCard), &[(Param::UserId, Input::Null)], &CallInput::default(), false);
    s.next(id);
    assert_eq!(s.error(id).field, Some("userId"));
    // A fetch that throws before sending is the fetch's fault, not the gateway's.
    let id = s.start(Op::IssueCard);
    s.next(id);
    assert_eq!(s.transport(id, Transport::NotSent), Action::Fail);
    let e = s.error(id);
    assert_eq!((e.kind, e.field, e.attempts, e.outcome), (ErrorKind::Config, Some("fetch"), 0, Outcome::NotSent));
}

#[test]
fn bad_options_fail_before_anything_is_sent() {
    let mut s = sim();
    for (input, field) in [
        (CallInput { options: Input::Number(1.0), ..Default::default() }, "options"),
        (
            CallInput { options: Input::Other("object"), timeout_ms: Input::Number(0.0), ..Default::default() },
            "timeoutMs",
        ),
        (
            CallInput { options: Input::Other("object"), max_retries: Input::Number(11.0), ..Default::default() },
            "maxRetries",
        ),
        (
            CallInput { options: Input::Other("object"), signal: SignalInput::Invalid("object"), ..Default::default() },
            "signal",
        ),
    ] {
        let id = s.start_with(Op::ActivateCard, input);
        assert_eq!(s.next(id), Action::Fail);
        let e = s.error(id);
        assert_eq!((e.kind, e.field, e.attempts), (ErrorKind::Validation, Some(field), 0));
    }
}

#[test]
fn stale_events_and_unknown_ids_never_panic() {
    let mut s = sim();
    let id = s.start(Op::ActivateCard);
    // Events before anything was sent are ignored.
    assert!(matches!(s.reply(id, reply(200, OK)), Action::Send { .. }));
    assert!(matches!(s.client.on_token(id, 9, TokenResult::Rejected, s.now), Action::Wait { .. }));
    assert_eq!(s.client.next(999, s.now), Action::Fail);
    assert_eq!(s.client.on_reply(999, reply(200, OK), s.now, 0.0), Action::Fail);
    s.client.finish(999);
    s.client.finish(id);
    s.client.finish(id);
    assert_eq!(s.client.live_calls(), 0);
}

#[test]
fn events_report_each_attempt_without_secrets() {
    let mut s = sim();
    let id = s.start(Op::GetCardDetails);
    s.next(id);
    s.now += 12.0;
    let mut r = reply(404, r#"{"success":false,"message":"card not found"}"#);
    r.request_id = Some("req-vt+Q2FyZA/x9==".into());
    s.reply(id, r);
    let json = s.client.event_json(id).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"operation": "getCardDetails", "method": "GET",
            "url": "http://127.0.0.1:3010/rest/users/1001/cards/5000001?token=***", "attempt": 1,
            "result": "response", "status": 404, "requestId": "req-***", "durationMs": 12})
    );
}

/// One step of a random call: what the driver reports next.
#[derive(Clone, Debug)]
enum Step {
    /// Status, Retry-After, body, and what cut the body off after the status.
    Reply(u16, Option<&'static str>, &'static str, Option<CutOff>),
    Network,
    Timeout,
    Abort,
    /// The signal fires before the driver sends what it was handed.
    AbortUnsent,
    Token(Option<&'static str>),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (
            prop::sample::select(vec![200u16, 201, 204, 301, 307, 400, 401, 404, 408, 409, 429, 500, 502, 503, 504]),
            prop::option::of(prop::sample::select(vec![
                "0",
                "1",
                "61",
                "Sun, 29 Nov 2026 22:44:09 GMT",
                "x",
                "-1",
                "99999999999"
            ])),
            prop::sample::select(vec!["", OK, CONFLICT, EXPIRED, "{", "[1]"]),
            prop::option::of(prop::sample::select(vec![CutOff::Connection, CutOff::Deadline])),
        )
            .prop_map(|(s, ra, b, cut)| Step::Reply(s, ra, b, cut)),
        Just(Step::Network),
        Just(Step::Timeout),
        Just(Step::Abort),
        Just(Step::AbortUnsent),
        prop::option::of(prop::sample::select(vec!["tok_a_secret", "tok_b_secret", ""])).prop_map(Step::Token),
    ]
}

proptest! {
    #[test]
    fn any_sequence_of_events_keeps_the_call_invariants(
        op in prop::sample::select(vec![Op::IssueCard, Op::BlockCard, Op::GetCardDetails, Op::UpdateCardAlias]),
        provider in any::<bool>(),
        max_retries in 0u32..4,
        steps in prop::collection::vec(step(), 1..20),
    ) {
        let mut s = Sim { client: client_with((!provider).then_some("tok_fixed_secret"), provider), now: T0, wall_offset: 0.0 };
        let input = CallInput { options: Input::Other("object"), max_retries: Input::Number(f64::from(max_retries)), ..Default::default() };
        let id = s.start_with(op, input);
        let class = endpoint(op).retry;
        let mut a = s.next(id);
        let (mut sends, mut unknown_before_send) = (0u32, false);
        let mut may_have_acted = false;
        // Whether `a` was just returned by the call (and not a repeat).
        let mut fresh = true;
        for st in steps {
            let waited = matches!(a, Action::Wait { .. });
            a = s.settle(id, a);
            if let (true, Action::Send { .. }) = (fresh || waited, a) {
                sends += 1;
                // A creating or single-use call is never sent again once an attempt may have acted.
                if class != RetryClass::SetsState {
                    prop_assert!(!unknown_before_send, "{op:?} resent after an unknown outcome");
                }
            }
            if matches!(a, Action::Done | Action::Fail) { break; }
            fresh = true;
            a = match (st, a) {
                (Step::Token(t), Action::FetchToken { ticket, .. } | Action::AwaitToken { ticket, .. }) => {
                    let r = t.map_or(TokenResult::Rejected, |t| TokenResult::Value(Input::from(t)));
                    s.client.on_token(id, ticket, r, s.now)
                }
                (Step::Reply(st, ra, body, cut), Action::Send { .. }) => {
                    // 503 with a readable Retry-After comes before the gateway acts.
                    let before_acting = st == 503 && ra.is_some_and(|r| r != "x" && r != "-1");
                    let lost = st >= 500 || st == 408;
                    let unreadable_success = (200..300).contains(&st) && (body == "{" || cut.is_some());
                    if (lost && !before_acting) || unreadable_success { may_have_acted = true; }
                    let mut r = reply(st, if cut.is_some() { "" } else { body });
                    r.retry_after = ra.map(str::to_owned);
                    r.cut_off = cut;
                    // (A zero Retry-After resends at once: the reply returns Send.)
                    s.reply(id, r)
                }
                (Step::Network, Action::Send { .. }) => { may_have_acted = true; s.transport(id, Transport::Network) }
                (Step::Timeout, _) => { if matches!(a, Action::Send { .. }) { may_have_acted = true; } s.now += 30_000.0; s.client.on_timeout(id, s.now, 0.5) }
                (Step::Abort, _) => { if matches!(a, Action::Send { .. }) { may_have_acted = true; } s.client.on_abort(id, false, true, s.now) }
                // The send handed out never happened: it is not an attempt.
                (Step::AbortUnsent, _) => { if matches!(a, Action::Send { .. }) { sends -= 1; } s.client.on_abort(id, false, false, s.now) }
                (_, a) => { fresh = false; a }
            };
            unknown_before_send = unknown_before_send || may_have_acted;
        }
        if let (true, Action::Send { .. }) = (fresh, a) { sends += 1; }
        let call = s.client.call(id).unwrap();
        prop_assert_eq!(call.attempts(), sends);
        // At most the retries allowed, plus one resend for a refreshed token.
        prop_assert!(sends <= max_retries + 2);
        if class == RetryClass::NeverRetried { prop_assert!(sends <= 2); }
        if let Some(e) = call.error() {
            prop_assert_eq!(e.attempts, sends);
            prop_assert_eq!(e.outcome == Outcome::NotSent, sends == 0, "{:?}", e);
            if may_have_acted && e.kind != ErrorKind::Validation { prop_assert_eq!(e.outcome, Outcome::Unknown, "{:?}", e); }
            let text = e.to_json();
            for secret in ["tok_fixed_secret", "tok_a_secret", "tok_b_secret", "4111111111111111", "vt+Q2FyZA/x9=="] {
                prop_assert!(!text.contains(secret));
            }
        }
    }
}

#[test]
fn the_value_span_indexes_the_body_as_js_strings_do() {
    for body in [
        OK.to_owned(),
        r#"{"success":true,"message":"héllo 😀 ✓","data":{"alias":"Café ☕","cardId":7}}"#.to_owned(),
        r#"  {"statusCode":200,"data":[1,"𝄞",{"a":"ü"}]}  "#.to_owned(),
    ] {
        let mut s = sim();
        let id = s.start(Op::ActivateCard);
        s.next(id);
        assert_eq!(s.reply(id, reply(200, &body)), Action::Done);
        let call = s.client.call(id).unwrap();
        let (start, end) = call.value_span().expect("the data is a part of the body");
        let units: Vec<u16> = body.encode_utf16().collect();
        assert_eq!(String::from_utf16(&units[start..end]).unwrap(), call.value().unwrap(), "{body}");
    }
    // A value the core rewrote (an id beyond 2^53) is not a part of the body.
    let mut s = sim();
    let id = s.start(Op::IssueCard);
    s.next(id);
    s.reply(id, reply(201, r#"{"success":true,"data":{"cardId":9007199254740993}}"#));
    let call = s.client.call(id).unwrap();
    assert_eq!((call.value_span(), call.value()), (None, Some(r#"{"cardId":"9007199254740993"}"#)));
}

/// `SignalInput::from_tag` matches on indices: each tag reads as its name says.
#[test]
fn every_signal_tag_reads_as_its_name() {
    use crate::input::TAGS;
    for (i, name) in TAGS.iter().enumerate() {
        let expected = match *name {
            "undefined" | "null" => SignalInput::Absent,
            "signal" => SignalInput::Live,
            "abortedSignal" => SignalInput::Aborted { timeout: false },
            "timedOutSignal" => SignalInput::Aborted { timeout: true },
            _ => SignalInput::Invalid(Input::from_tag(i as u8, None, 0.0).type_name()),
        };
        assert_eq!(SignalInput::from_tag(i as u8), expected, "{name}");
    }
    assert_eq!(SignalInput::from_tag(99), SignalInput::Invalid("a value that could not be read"));
}

#[test]
fn utf16_len_counts_as_encode_utf16() {
    for s in ["", "abc", "é", "€uro", "😀", "a😀é€\u{10FFFF}\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}"] {
        assert_eq!(super::utf16_len(s), s.encode_utf16().count(), "{s:?}");
    }
}

proptest! {
    #[test]
    fn utf16_len_agrees_with_encode_utf16(s in any::<String>()) {
        prop_assert_eq!(super::utf16_len(&s), s.encode_utf16().count());
    }
}
