//! The one table: each card operation of the contract, described once.
//!
//! Request building, validation order and retry rules all read this table,
//! and `make generate` (gen/) writes what restates it; CONTRIBUTING.md says
//! what adding an endpoint touches.

#[allow(unused_imports)]
use crate::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
        }
    }
}

/// When a failed attempt may be tried again: the rule that `retry::decide` applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryClass {
    /// Sets a state or a value, so sending it twice has the effect of once:
    /// retried on any transient failure.
    SetsState,
    /// Must not act twice (it creates something, say): retried only when the
    /// server provably did not act.
    ActsAtMostOnce,
    /// Must not be sent twice (it carries a single-use credential, say).
    NeverRetried,
}

/// A value the caller supplies. Its JS name (for errors) and wire name (in a
/// path, query or body) may differ: `viewToken` travels as `token`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    UserId,
    AuthUserId,
    CardId,
    ClientId,
    Card,
    Alias,
    ViewToken,
    Month,
    Year,
    Pin,
}

impl Param {
    pub const ALL: [Param; 10] = [
        Param::UserId,
        Param::AuthUserId,
        Param::CardId,
        Param::ClientId,
        Param::Card,
        Param::Alias,
        Param::ViewToken,
        Param::Month,
        Param::Year,
        Param::Pin,
    ];

    /// The name the caller knows, used in `MigoError.field`.
    pub fn field(self) -> &'static str {
        match self {
            Param::UserId => "userId",
            Param::AuthUserId => "authUserId",
            Param::CardId => "cardId",
            Param::ClientId => "clientId",
            Param::Card => "card",
            Param::Alias => "alias",
            Param::ViewToken => "viewToken",
            Param::Month => "month",
            Param::Year => "year",
            Param::Pin => "pin",
        }
    }

    /// The name on the wire, as the contract spells it.
    pub fn wire(self) -> &'static str {
        match self {
            Param::ViewToken => "token",
            other => other.field(),
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg {
    Lit(&'static str),
    Arg(Param),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    IssueCard,
    LinkCard,
    ActivateCard,
    BlockCard,
    UnblockCard,
    BlockCardForUser,
    UnblockCardForUser,
    UpdateCardAlias,
    GetCardDetails,
    CreateStatement,
    SetCardPin,
    SetCardPinForUser,
}

/// One positional argument of the JS method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsArg {
    /// The argument is the value of this parameter.
    One(Param),
    /// The argument is an object whose properties (named by
    /// [`Param::field`]) are these parameters.
    Fields(&'static [Param]),
}

#[derive(Debug)]
pub struct Endpoint {
    pub op: Op,
    /// The JS method name.
    pub name: &'static str,
    /// The JS method's arguments, before the last optional `CallOptions`.
    pub args: &'static [JsArg],
    pub method: Method,
    pub path: &'static [Seg],
    pub query: &'static [Param],
    pub body: &'static [Param],
    /// Parameters that may be left out; they are then absent from the request.
    pub optional: &'static [Param],
    pub retry: RetryClass,
}

impl Endpoint {
    /// Every parameter in the order they are validated: path, query, body.
    pub fn params(&self) -> impl Iterator<Item = Param> + '_ {
        let path = self.path.iter().filter_map(|s| match s {
            Seg::Arg(p) => Some(*p),
            Seg::Lit(_) => None,
        });
        path.chain(self.query.iter().copied()).chain(self.body.iter().copied())
    }

    pub fn has_body(&self) -> bool {
        !self.body.is_empty()
    }
}

use Param::*;
use Seg::{Arg, Lit};

pub static ENDPOINTS: [Endpoint; 12] = [
    Endpoint {
        op: Op::IssueCard,
        name: "issueCard",
        args: &[JsArg::One(UserId)],
        method: Method::Post,
        path: &[Lit("users"), Arg(UserId), Lit("cards"), Lit("virtuals")],
        query: &[],
        body: &[],
        optional: &[],
        retry: RetryClass::ActsAtMostOnce,
    },
    Endpoint {
        op: Op::LinkCard,
        name: "linkCard",
        args: &[JsArg::One(UserId), JsArg::Fields(&[Card, Alias, ClientId])],
        method: Method::Post,
        path: &[Lit("users"), Arg(UserId), Lit("cards")],
        query: &[ClientId],
        body: &[Card, Alias],
        optional: &[Alias],
        retry: RetryClass::ActsAtMostOnce,
    },
    Endpoint {
        op: Op::ActivateCard,
        name: "activateCard",
        args: &[JsArg::One(UserId), JsArg::One(CardId)],
        method: Method::Post,
        path: &[Lit("users"), Arg(UserId), Lit("cards"), Arg(CardId), Lit("activate")],
        query: &[],
        body: &[],
        optional: &[],
        retry: RetryClass::SetsState,
    },
    Endpoint {
        op: Op::BlockCard,
        name: "blockCard",
        args: &[JsArg::One(UserId), JsArg::One(CardId)],
        method: Method::Post,
        path: &[Lit("users"), Arg(UserId), Lit("cards"), Arg(CardId), Lit("block")],
        query: &[],
        body: &[],
        optional: &[],
        retry: RetryClass::SetsState,
    },
    Endpoint {
        op: Op::UnblockCard,
        name: "unblockCard",
        args: &[JsArg::One(UserId), JsArg::One(CardId)],
        method: Method::Post,
        path: &[Lit("users"), Arg(UserId), Lit("cards"), Arg(CardId), Lit("unblock")],
        query: &[],
        body: &[],
        optional: &[],
        retry: RetryClass::SetsState,
    },
    Endpoint {
        op: Op::BlockCardForUser,
        name: "blockCardForUser",
        args: &[JsArg::One(CardId), JsArg::One(AuthUserId)],
        method: Method::Post,
        path: &[Lit("cards"), Arg(CardId), Lit("users"), Arg(AuthUserId), Lit("block")],
        query: &[],
        body: &[],
        optional: &[],
        retry: RetryClass::SetsState,
    },
    Endpoint {
        op: Op::UnblockCardForUser,
        name: "unblockCardForUser",
        args: &[JsArg::One(CardId), JsArg::One(AuthUserId)],
        method: Method::Post,
        path: &[Lit("cards"), Arg(CardId), Lit("users"), Arg(AuthUserId), Lit("unblock")],
        query: &[],
        body: &[],
        optional: &[],
        retry: RetryClass::SetsState,
    },
    Endpoint {
        op: Op::UpdateCardAlias,
        name: "updateCardAlias",
        args: &[JsArg::One(CardId), JsArg::One(Alias)],
        method: Method::Patch,
        path: &[Lit("cards"), Arg(CardId)],
        query: &[],
        body: &[Alias],
        optional: &[],
        retry: RetryClass::SetsState,
    },
    Endpoint {
        op: Op::GetCardDetails,
        name: "getCardDetails",
        args: &[JsArg::One(UserId), JsArg::One(CardId), JsArg::One(ViewToken)],
        method: Method::Get,
        path: &[Lit("users"), Arg(UserId), Lit("cards"), Arg(CardId)],
        query: &[ViewToken],
        body: &[],
        optional: &[],
        retry: RetryClass::NeverRetried,
    },
    Endpoint {
        op: Op::CreateStatement,
        name: "createStatement",
        args: &[JsArg::One(CardId), JsArg::Fields(&[Month, Year])],
        method: Method::Post,
        path: &[Lit("cards"), Arg(CardId), Lit("statements")],
        query: &[],
        body: &[Month, Year],
        optional: &[],
        retry: RetryClass::ActsAtMostOnce,
    },
    Endpoint {
        op: Op::SetCardPin,
        name: "setCardPin",
        args: &[JsArg::One(CardId), JsArg::One(Pin)],
        method: Method::Post,
        path: &[Lit("cards"), Arg(CardId), Lit("pin")],
        query: &[],
        body: &[Pin],
        optional: &[],
        retry: RetryClass::ActsAtMostOnce,
    },
    Endpoint {
        op: Op::SetCardPinForUser,
        name: "setCardPinForUser",
        args: &[JsArg::One(CardId), JsArg::One(AuthUserId), JsArg::One(Pin)],
        method: Method::Post,
        path: &[Lit("cards"), Arg(CardId), Lit("users"), Arg(AuthUserId), Lit("pin")],
        query: &[],
        body: &[Pin],
        optional: &[],
        retry: RetryClass::ActsAtMostOnce,
    },
];

pub fn endpoint(op: Op) -> &'static Endpoint {
    // The table is in `Op` order; the test below keeps it so.
    &ENDPOINTS[op as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_op_order_and_names_are_unique() {
        for (i, e) in ENDPOINTS.iter().enumerate() {
            assert_eq!(e.op as usize, i, "{}", e.name);
            assert_eq!(endpoint(e.op).name, e.name);
        }
        let mut names: Vec<_> = ENDPOINTS.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ENDPOINTS.len());
    }

    #[test]
    fn the_js_arguments_carry_exactly_the_endpoints_parameters() {
        for e in &ENDPOINTS {
            let mut from_args: Vec<Param> = e
                .args
                .iter()
                .flat_map(|a| match a {
                    JsArg::One(p) => core::slice::from_ref(p).iter().copied(),
                    JsArg::Fields(ps) => ps.iter().copied(),
                })
                .collect();
            let mut from_table: Vec<Param> = e.params().collect();
            from_args.sort_by_key(|p| p.index());
            from_table.sort_by_key(|p| p.index());
            assert_eq!(from_args, from_table, "{}", e.name);
        }
    }

    #[test]
    fn param_index_matches_all() {
        for (i, p) in Param::ALL.iter().enumerate() {
            assert_eq!(p.index(), i);
        }
    }

    #[test]
    fn alias_is_required_for_rename_but_optional_for_link() {
        assert!(endpoint(Op::LinkCard).optional.contains(&Param::Alias));
        assert!(!endpoint(Op::UpdateCardAlias).optional.contains(&Param::Alias));
    }

    #[test]
    fn optional_params_belong_to_their_endpoint() {
        for e in &ENDPOINTS {
            for p in e.optional {
                assert!(e.params().any(|q| q == *p), "{}", e.name);
            }
        }
    }
}
