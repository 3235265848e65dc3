//! What the generated texts say that the endpoint table does not: a
//! method's sentence and result type, a parameter's TypeScript type, a retry
//! class's words. Each `match` is exhaustive, so a new `Op`, `Param` or
//! `RetryClass` does not compile until it is described here.

use migo_cards::engine::endpoints::RetryClass;
use migo_cards::engine::endpoints::{Method, Op, Param};

pub struct OpDoc {
    /// The declaration's first words, before the request: "Blocks a card".
    pub summary: &'static str,
    /// The TypeScript type the method's promise resolves to.
    pub result: &'static str,
    /// For each object argument (its position among the arguments), the
    /// name of its interface in js/index.d.ts.
    pub object_args: &'static [(usize, &'static str)],
}

pub fn op_doc(op: Op) -> OpDoc {
    let doc = |summary, result| OpDoc { summary, result, object_args: &[] };
    match op {
        Op::IssueCard => doc("Issues a Migo card for the user (a new card on every call)", "Card"),
        Op::LinkCard => {
            OpDoc { summary: "Links an existing card", result: "Card", object_args: &[(1, "LinkCardInput")] }
        }
        Op::ActivateCard => doc("Activates a delivered card", "Card | undefined"),
        Op::BlockCard => doc("Blocks a card", "Card | undefined"),
        Op::UnblockCard => doc("Unblocks a card", "Card | undefined"),
        Op::BlockCardForUser => doc("Blocks a card, in operator scope", "Card | undefined"),
        Op::UnblockCardForUser => doc("Unblocks a card, in operator scope", "Card | undefined"),
        Op::UpdateCardAlias => doc("Renames a card", "Card | undefined"),
        Op::GetCardDetails => doc("Reads PAN and CVV with a single-use view token", "CardDetails"),
        Op::CreateStatement => OpDoc {
            summary: "Generates a monthly statement",
            result: "Statement",
            object_args: &[(1, "StatementPeriod")],
        },
        Op::SetCardPin => doc("Sets or changes the card's PIN, in the cardholder's session", "void"),
        Op::SetCardPinForUser => doc("Sets one user's PIN on a shared card, in operator scope", "void"),
    }
}

/// An object argument's parameter name in the declarations.
pub fn object_arg_name(interface: &str) -> &'static str {
    match interface {
        "LinkCardInput" => "card",
        "StatementPeriod" => "period",
        other => panic!("{other}: give its argument a name in gen/src/docs.rs (object_arg_name)"),
    }
}

pub struct ParamDoc {
    /// Its TypeScript type, as validation accepts it.
    pub ts: &'static str,
    /// The line over it in an object argument's interface ("" for none).
    pub doc: &'static str,
    /// Left out, it takes the client's option of the same name.
    pub defaulted: bool,
}

pub fn param_doc(p: Param) -> ParamDoc {
    let plain = |ts| ParamDoc { ts, doc: "", defaulted: false };
    match p {
        Param::UserId | Param::AuthUserId => plain("UserId"),
        Param::CardId => plain("CardId"),
        Param::ClientId => ParamDoc { ts: "string", doc: "Overrides the client's `clientId`.", defaulted: true },
        Param::Card => ParamDoc {
            ts: "string",
            doc: "The card number; spaces or dashes between groups are allowed.",
            defaulted: false,
        },
        Param::Alias | Param::ViewToken => plain("string"),
        Param::Month => ParamDoc { ts: "number", doc: "1 to 12.", defaulted: false },
        Param::Year => ParamDoc { ts: "number", doc: "1000 to 9999.", defaulted: false },
        Param::Pin => plain("string"),
    }
}

pub struct ClassDoc {
    /// The rule, as the README's retry column and a declaration's last
    /// sentence start (what it retries on follows, from `engine::retry::decide`).
    pub rule: &'static str,
    /// Its name in the operations list.
    pub js: &'static str,
}

pub fn class_doc(c: RetryClass) -> ClassDoc {
    match c {
        RetryClass::SetsState => ClassDoc { rule: "sets a state", js: "setsState" },
        RetryClass::ActsAtMostOnce => ClassDoc { rule: "acts at most once", js: "actsAtMostOnce" },
        RetryClass::NeverRetried => ClassDoc { rule: "never retried", js: "neverRetried" },
    }
}

/// Every retry class: a new one fails to compile in the match beside the list.
pub const CLASSES: [RetryClass; 3] = {
    const fn listed(c: RetryClass) -> bool {
        match c {
            RetryClass::SetsState | RetryClass::ActsAtMostOnce | RetryClass::NeverRetried => true,
        }
    }
    let all = [RetryClass::SetsState, RetryClass::ActsAtMostOnce, RetryClass::NeverRetried];
    assert!(listed(all[0]));
    all
};

/// Every HTTP method: a new one fails to compile in the match beside the list.
pub const METHODS: [Method; 3] = {
    const fn listed(m: Method) -> bool {
        match m {
            Method::Get | Method::Post | Method::Patch => true,
        }
    }
    let all = [Method::Get, Method::Post, Method::Patch];
    assert!(listed(all[0]));
    all
};
