//! Where a call's bearer token comes from, shared by every call of a client.
//!
//! A fixed token is used as is. With a provider (`getAccessToken`) the token
//! is fetched lazily, kept, and fetched again when the gateway says it
//! expired. Concurrent calls share one fetch: the first call that needs a
//! token asks the driver to call the provider (a *ticket*); calls that need
//! one meanwhile wait for that same ticket. A fetch is shared only until the
//! deadline of the call that started it: a provider whose promise never
//! settles then stops blocking the client, and the next call asks again.

#[allow(unused_imports)]
use crate::prelude::*;

use super::secret::Secret;

/// Where the token comes from, decided when the client is created.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Fixed(Secret<String>),
    Provider,
}

/// What a call needing a token should do.
#[derive(Clone, Debug, PartialEq)]
pub enum Acquire {
    /// Use this token; `generation` identifies it for a later refresh.
    Ready { token: Secret<String>, generation: u32 },
    /// Call the provider, then report the result for `ticket`.
    Fetch { ticket: u32 },
    /// Another call is fetching: wait for `ticket`'s result.
    Join { ticket: u32 },
}

#[derive(Clone, Debug)]
struct Pending {
    ticket: u32,
    /// The time (the driver's clock, ms) after which the fetch is no longer shared.
    shared_until: f64,
}

#[derive(Clone, Debug)]
pub struct Tokens {
    source: Source,
    /// The latest token from the provider and the ticket that fetched it.
    current: Option<(Secret<String>, u32)>,
    pending: Option<Pending>,
    last_ticket: u32,
}

impl Tokens {
    pub fn new(source: Source) -> Tokens {
        Tokens { source, current: None, pending: None, last_ticket: 0 }
    }

    /// Whether a refused token can be replaced (only with a provider).
    pub fn can_refresh(&self) -> bool {
        self.source == Source::Provider
    }

    /// A token for a call at `now` whose wait would end at `deadline`.
    /// `stale` is the generation the gateway refused as expired, if any:
    /// that token is not handed out again.
    pub fn acquire(&mut self, stale: Option<u32>, now: f64, deadline: f64) -> Acquire {
        if let Source::Fixed(token) = &self.source {
            return Acquire::Ready { token: token.clone(), generation: 0 };
        }
        match &self.current {
            Some((token, generation)) if Some(*generation) != stale => {
                return Acquire::Ready { token: token.clone(), generation: *generation };
            }
            Some(_) => self.current = None,
            None => {}
        }
        if let Some(p) = &self.pending {
            // A fetch started after the stale token was handed out yields a new one.
            let newer = stale.map_or(true, |s| p.ticket > s);
            if newer && now < p.shared_until {
                return Acquire::Join { ticket: p.ticket };
            }
        }
        self.last_ticket += 1;
        self.pending = Some(Pending { ticket: self.last_ticket, shared_until: deadline });
        Acquire::Fetch { ticket: self.last_ticket }
    }

    /// The provider's promise for `ticket` resolved to `token` (already
    /// validated). Every waiter reports it; the first report counts.
    pub fn resolved(&mut self, ticket: u32, token: Secret<String>) {
        self.settled(ticket);
        if self.current.as_ref().map_or(true, |(_, g)| *g < ticket) {
            self.current = Some((token, ticket));
        }
    }

    /// The provider's promise for `ticket` rejected, threw, or resolved to
    /// an unusable value: the next call asks again.
    pub fn failed(&mut self, ticket: u32) {
        self.settled(ticket);
    }

    fn settled(&mut self, ticket: u32) {
        if self.pending.as_ref().is_some_and(|p| p.ticket == ticket) {
            self.pending = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Secret<String> {
        Secret::new(t.to_owned())
    }

    #[test]
    fn a_fixed_token_is_always_ready() {
        let mut t = Tokens::new(Source::Fixed(s("abc")));
        assert_eq!(t.acquire(None, 0.0, 10.0), Acquire::Ready { token: s("abc"), generation: 0 });
        assert_eq!(t.acquire(Some(0), 0.0, 10.0), Acquire::Ready { token: s("abc"), generation: 0 });
        assert!(!t.can_refresh());
    }

    #[test]
    fn concurrent_calls_share_one_fetch_then_the_token() {
        let mut t = Tokens::new(Source::Provider);
        assert_eq!(t.acquire(None, 0.0, 100.0), Acquire::Fetch { ticket: 1 });
        assert_eq!(t.acquire(None, 5.0, 200.0), Acquire::Join { ticket: 1 });
        t.resolved(1, s("one"));
        t.resolved(1, s("one"));
        assert_eq!(t.acquire(None, 6.0, 200.0), Acquire::Ready { token: s("one"), generation: 1 });
    }

    #[test]
    fn an_expired_token_is_fetched_again_once_for_all_who_saw_it() {
        let mut t = Tokens::new(Source::Provider);
        t.acquire(None, 0.0, 100.0);
        t.resolved(1, s("one"));
        assert_eq!(t.acquire(Some(1), 10.0, 110.0), Acquire::Fetch { ticket: 2 });
        // A second call refused with the same token joins the refresh.
        assert_eq!(t.acquire(Some(1), 11.0, 111.0), Acquire::Join { ticket: 2 });
        t.resolved(2, s("two"));
        assert_eq!(t.acquire(Some(1), 12.0, 112.0), Acquire::Ready { token: s("two"), generation: 2 });
        // A late result of an older fetch does not replace a newer token.
        t.resolved(1, s("one"));
        assert_eq!(t.acquire(None, 13.0, 113.0), Acquire::Ready { token: s("two"), generation: 2 });
    }

    #[test]
    fn a_fetch_that_never_settles_is_shared_only_until_its_deadline() {
        let mut t = Tokens::new(Source::Provider);
        assert_eq!(t.acquire(None, 0.0, 300.0), Acquire::Fetch { ticket: 1 });
        assert_eq!(t.acquire(None, 299.0, 599.0), Acquire::Join { ticket: 1 });
        assert_eq!(t.acquire(None, 300.0, 600.0), Acquire::Fetch { ticket: 2 });
        t.resolved(2, s("two"));
        assert_eq!(t.acquire(None, 301.0, 601.0), Acquire::Ready { token: s("two"), generation: 2 });
    }

    #[test]
    fn a_failed_fetch_is_not_shared_again() {
        let mut t = Tokens::new(Source::Provider);
        t.acquire(None, 0.0, 300.0);
        t.failed(1);
        assert_eq!(t.acquire(None, 1.0, 301.0), Acquire::Fetch { ticket: 2 });
    }
}
