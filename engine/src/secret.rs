//! Values that must never be printed (access tokens, card numbers, view
//! tokens, PINs), and scrubbing them out of whatever the gateway sends back.

#[allow(unused_imports)]
use crate::prelude::*;

use alloc::borrow::Cow;
use core::fmt;

/// Wraps a secret so that `Debug` and `Display` can only ever print `***`.
/// The value is reachable through [`Secret::expose`], which makes every place
/// that needs the real value easy to find.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Secret(value)
    }
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Encoding layers seen through: two cover a JSON-escaped percent-encoded
/// echo (`\u00252B`); the third a JSON string embedded in a JSON message.
const LAYERS: u8 = 3;

/// Decoding steps (alternatives found) allowed per byte of text: ordinary
/// text needs under 1, the densest double-encoded echoes of the property
/// tests under 6. Past it the text is crafted nesting, and is hidden whole
/// (fail closed), so the cost stays linear whatever the text.
const STEPS_PER_BYTE: usize = 64;

/// The most bytes one character can be spelled in: six (`\uXXXX`) for each
/// of [`LAYERS`].
const SPELLING_MAX: usize = 6 * 6 * 6;

/// What the whole text becomes when it cannot be scrubbed within the budget.
const HIDDEN: &str = "***";

/// Scrubs the secrets of one call out of any text the gateway sends back,
/// whatever form the echo takes, and masks every full card number.
///
/// Built once per call from the call's secrets (view token, full card number,
/// access token) and reused for every text of every attempt.
///
/// - **Secrets** are found raw or encoded, in any mix, up to three layers
///   deep: percent-encoding (either hex case, any character encoded or not,
///   `+` for a space, UTF-8 or Latin-1 bytes), JSON escapes (`\"`, `\\`, `\/`,
///   `\n`..., a backslash before any ASCII punctuation, `\uXXXX` in either
///   case, surrogate pairs), and one within another (`%2B` written as
///   `\u00252B`, `%252B`). The whole encoded span becomes `***`, or the card
///   mask when the secret is a card number. Secrets shorter than four
///   characters are ignored: they would hide ordinary words. A secret of
///   digits alone that is not a card number (a PIN) is hidden only where it
///   stands as a number of its own: not where a digit can be read right
///   before or right after it (the PIN `4201` in `req-004201`).
/// - **Card numbers**, whoever sent them: 12 to 19 digits passing the Luhn
///   check, written together or in groups of at least three digits joined by
///   one kind of separator (single spaces, dashes or dots, also encoded:
///   `%20`, `+`, `\u0020`...), become `************` and their last four
///   digits. A run of digits longer than 19 is not a card number; within a
///   chain of groups, any consecutive groups that make one are masked.
///
/// Text crafted to make matching expensive (deeply nested escapes) is
/// replaced whole by `***`: the cost stays linear in the text's length
/// (see [`STEPS_PER_BYTE`]).
#[derive(Clone)]
pub struct Scrubber<'s> {
    /// Borrowed: a scrubber lives no longer than the call's secrets, and a
    /// copy of each would be an allocation and its code.
    secrets: Vec<Target<'s>>,
    /// Bytes where an echo can start: a secret's first byte, or an escape.
    /// One lookup per byte of text instead of one per secret.
    starts: [bool; 256],
}

/// Shows how many secrets, never one of them.
impl fmt::Debug for Scrubber<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Scrubber {{ secrets: {} }}", self.secrets.len())
    }
}

impl Default for Scrubber<'_> {
    fn default() -> Self {
        Scrubber::new(&[])
    }
}

#[derive(Clone)]
struct Target<'s> {
    secret: &'s str,
    /// The first byte of its raw form: where a raw echo can start.
    first: u8,
    mask: Mask,
    /// Digits alone, not a card number: an echo counts only as a number of its own.
    number: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mask {
    Stars,
    /// A card number's last four digits (ASCII).
    Card([u8; 4]),
}

impl<'s> Scrubber<'s> {
    /// A scrubber for `secrets` (empty strings and duplicates are fine).
    pub fn new(secrets: &[&'s str]) -> Scrubber<'s> {
        let mut out: Vec<Target<'s>> = Vec::with_capacity(secrets.len());
        let mut starts = [false; 256];
        for b in *b"%\\+" {
            starts[usize::from(b)] = true;
        }
        for &s in secrets {
            // Four characters or more (counted on bytes by `text::char_count`,
            // smaller than decoding them); such a secret has a first byte,
            // which `first()` gives without a panic site.
            let Some(&first) = s.as_bytes().first().filter(|_| super::text::char_count(s) >= 4) else { continue };
            if out.iter().any(|t| t.secret == s) {
                continue;
            }
            let card = card_mask(s.as_bytes());
            let number = card.is_none() && super::text::every(s.as_bytes(), |b| b.is_ascii_digit());
            out.push(Target { mask: card.unwrap_or(Mask::Stars), first, secret: s, number });
            starts[usize::from(first)] = true;
        }
        Scrubber { secrets: out, starts }
    }

    /// `text` with every echo of a secret replaced by `***` (card numbers:
    /// `************1234`) and every other full card number masked the same
    /// way. Borrowed when there was nothing to hide.
    pub fn scrub<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.scrub_within(text, STEPS_PER_BYTE * (text.len() + 16))
    }

    fn scrub_within<'t>(&self, text: &'t str, steps: usize) -> Cow<'t, str> {
        // Positions are u32 (as on wasm32); no message comes near 4 GiB.
        if u32::try_from(text.len()).is_err() {
            return Cow::Borrowed(HIDDEN);
        }
        let mut m = Matcher::new(text, steps);
        let (mut echoes, mut cards) = (Vec::new(), Vec::new());
        m.secret_spans(&self.secrets, &self.starts, &mut echoes);
        m.card_spans(&mut cards);
        if m.exhausted {
            return Cow::Borrowed(HIDDEN);
        }
        if echoes.is_empty() && cards.is_empty() {
            return Cow::Borrowed(text);
        }
        Cow::Owned(replace(text, &echoes, &cards))
    }

    /// Scrubs every string (keys too) and number of a JSON document, after
    /// undoing its escapes; see [`super::json::scrub`]. The value of a `code`
    /// member that is one of the gateway's codes ([`is_gateway_code`]) is
    /// kept. `None` when `raw` is not valid JSON. The result is valid JSON.
    pub fn scrub_json(&self, raw: &str) -> Option<String> {
        super::json::scrub(raw, &|key: Option<&str>, s: &str| {
            if key == Some("code") && is_gateway_code(s) {
                Cow::Borrowed(s)
            } else if self.is_number_echo(s) {
                Cow::Borrowed(HIDDEN)
            } else {
                self.scrub(s)
            }
        })
    }

    /// Whether the JSON value `s` is a digits-only secret written as a
    /// number, its leading zeros dropped (a PIN `0420` echoed as `420`).
    fn is_number_echo(&self, s: &str) -> bool {
        !s.is_empty()
            && self.secrets.iter().any(|t| {
                let mut digits = t.secret.as_bytes();
                while let [b'0', rest @ ..] = digits {
                    digits = rest;
                }
                t.number && digits == s.as_bytes()
            })
    }
}

/// Whether `code` is of the gateway's own vocabulary, which is never
/// scrubbed (a PIN `7213` must leave the code `7213` readable): a code of
/// Migo's range, `7000` to `8099` (platform facts, "Error codes"), or a
/// name in capitals such as `TOKEN_EXPIRED`.
pub fn is_gateway_code(code: &str) -> bool {
    let b = code.as_bytes();
    match super::text::digits_value(b) {
        Some(n) => b.len() == 4 && (7000..=8099).contains(&n),
        None => !b.is_empty() && super::text::every(b, |c| c.is_ascii_uppercase() || c == b'_'),
    }
}

/// The card mask for `digits` when it is a card number (12 to 19 ASCII
/// digits passing the Luhn check).
fn card_mask(digits: &[u8]) -> Option<Mask> {
    let ok = (12..=19).contains(&digits.len())
        && super::text::every(digits, |b| b.is_ascii_digit())
        && super::text::luhn(digits);
    let last: &[u8; 4] = digits.get(digits.len().checked_sub(4)?..)?.try_into().ok()?;
    ok.then_some(Mask::Card(*last))
}

/// A byte range of the text to replace, and with what.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    mask: Mask,
}

/// Writes `text` with the spans of `echoes` and `cards` (each in order of
/// their starts) replaced; overlapping spans merge (into `***` unless all of
/// them were card masks, then the last card's mask).
fn replace(text: &str, echoes: &[Span], cards: &[Span]) -> String {
    // A merge of the two ordered lists: slice sorting is several KB of wasm.
    let (mut e, mut c) = (0, 0);
    let mut merged: Vec<Span> = Vec::with_capacity(echoes.len() + cards.len());
    loop {
        let s = match (echoes.get(e), cards.get(c)) {
            (Some(&a), Some(&b)) if a.start <= b.start => {
                e += 1;
                a
            }
            (_, Some(&b)) => {
                c += 1;
                b
            }
            (Some(&a), None) => {
                e += 1;
                a
            }
            (None, None) => break,
        };
        match merged.last_mut() {
            Some(m) if s.start < m.end => {
                if s.mask == Mask::Stars || m.mask == Mask::Stars {
                    m.mask = Mask::Stars;
                } else if s.end >= m.end {
                    m.mask = s.mask;
                }
                m.end = m.end.max(s.end);
            }
            _ => merged.push(s),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for s in &merged {
        out.push_str(text.get(copied..s.start).unwrap_or_default());
        match s.mask {
            Mask::Stars => out.push_str("***"),
            Mask::Card(last) => {
                out.push_str("************");
                // ASCII digits (`card_mask`), pushed as chars: no `from_utf8`.
                out.extend(last.iter().map(|&d| char::from(d)));
            }
        }
        copied = s.end;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// Up to [`WIDE`] alternatives: (a character or value, where it ends).
/// Almost always one; more only where an escape character can be read
/// either as itself or as the start of an escape.
#[derive(Clone, Copy)]
struct Alts {
    n: usize,
    a: [(u32, u32); WIDE],
}

/// Alternatives kept per position; only crafted text needs more.
const WIDE: usize = 16;

impl Alts {
    const NONE: Alts = Alts { n: 0, a: [(0, 0); WIDE] };

    fn one(v: u32, end: usize) -> Alts {
        let mut a = Alts::NONE;
        a.a[0] = (v, end as u32);
        a.n = 1;
        a
    }

    /// The `k`th alternative, its end as a position. Callers ask for
    /// `k < n`; `get` keeps a panic site out of the module all the same.
    fn get(&self, k: usize) -> (u32, usize) {
        let (v, e) = self.a.get(k).copied().unwrap_or_default();
        (v, e as usize)
    }

    /// The alternatives found. `n` never exceeds [`WIDE`] (`push` checks);
    /// the `min` lets the compiler see it, so no panic site is kept.
    fn items(&self) -> &[(u32, u32)] {
        &self.a[..self.n.min(WIDE)]
    }

    /// Becomes a copy of `from`, copying only the alternatives found
    /// (copying whole sets would take a fifth of the time).
    fn set(&mut self, from: &Alts) {
        let items = from.items();
        for (to, item) in self.a.iter_mut().zip(items) {
            *to = *item;
        }
        self.n = items.len();
    }

    fn is_empty(&self) -> bool {
        self.n == 0
    }

    fn longest(&self) -> Option<usize> {
        self.items().iter().map(|&(_, e)| e as usize).max()
    }
}

fn is_escape(b: u8) -> bool {
    matches!(b, b'%' | b'\\' | b'+')
}

/// Reads the text as every layering of escapes at once: [`Matcher::at_into`]
/// gives each character the text spells at a position, with where the
/// spelling ends. Cheaper than generating the encoded forms of each secret
/// (there are exponentially many mixes), and sees through all of them.
/// Results at escape characters are memoized, so each position is decoded
/// once per layer whatever asks.
struct Matcher<'t> {
    text: &'t str,
    t: &'t [u8],
    /// For each byte position that starts an escape: 1 + its index in
    /// `memo`, 0 when not decoded yet. Allocated at the first escape.
    slot: Vec<u32>,
    memo: Vec<[Option<Alts>; LAYERS as usize]>,
    /// Decoding steps left before giving up (see [`STEPS_PER_BYTE`]).
    steps: usize,
    exhausted: bool,
}

impl<'t> Matcher<'t> {
    fn new(text: &'t str, steps: usize) -> Self {
        Matcher { text, t: text.as_bytes(), slot: Vec::new(), memo: Vec::new(), steps, exhausted: false }
    }

    fn push(&mut self, out: &mut Alts, (v, end): (u32, usize)) {
        // Every alternative found is a step of work, wherever it is found.
        if self.steps == 0 {
            self.exhausted = true;
            return;
        }
        self.steps -= 1;
        let item = (v, end as u32);
        // `any`, not `contains`, whose generic copy is larger.
        #[allow(clippy::manual_contains)]
        if out.items().iter().any(|&x| x == item) {
            return;
        }
        match out.a.get_mut(out.n) {
            Some(slot) => {
                *slot = item;
                out.n += 1;
            }
            // Only crafted text branches this much: give up, hide it all.
            None => self.exhausted = true,
        }
    }

    /// Every character spelled at `p`, raw or through up to `layers` layers
    /// of escapes (each escape's own characters spelled with one layer
    /// fewer), with the end of each spelling, written into `buf`. Only the
    /// alternatives found are copied: copying whole sets would take a fifth
    /// of the time.
    fn at_into(&mut self, p: usize, layers: u8, buf: &mut Alts) {
        buf.n = 0;
        let Some(&b) = self.t.get(p) else { return };
        if b < 0x80 && !(layers > 0 && is_escape(b)) {
            buf.a[0] = (u32::from(b), p as u32 + 1);
            buf.n = 1;
            return;
        }
        if b >= 0x80 {
            if let Some(c) = self.text.get(p..).and_then(|rest| rest.chars().next()) {
                buf.a[0] = (u32::from(c), (p + c.len_utf8()) as u32);
                buf.n = 1;
            }
            return;
        }
        if self.slot.is_empty() {
            self.slot = vec![0; self.t.len()];
        }
        let layer = usize::from(layers - 1);
        // `get` below where an index could not be proven in bounds (`slot`
        // has a slot per byte, `memo` an entry per slot used, `layer` is
        // below LAYERS): the same lookups without panic sites. Were one
        // ever missing, the text is hidden whole (fail closed).
        let index = match self.slot.get(p).copied() {
            Some(0) => {
                self.memo.push([None; LAYERS as usize]);
                if let Some(slot) = self.slot.get_mut(p) {
                    *slot = self.memo.len() as u32;
                }
                self.memo.len() - 1
            }
            Some(k) => k as usize - 1,
            None => {
                self.exhausted = true;
                return;
            }
        };
        if matches!(self.memo.get(index).and_then(|e| e.get(layer)), Some(None)) {
            let mut out = Alts::one(u32::from(b), p + 1);
            let l = layers - 1;
            let mut first = Alts::NONE;
            self.at_into(p, l, &mut first);
            for k in 0..first.n {
                let (c, e) = first.get(k);
                if c == u32::from('+') {
                    self.push(&mut out, (u32::from(' '), e));
                } else if c == u32::from('%') {
                    self.percent_after(e, l, &mut out);
                } else if c == u32::from('\\') {
                    self.backslash_after(e, l, &mut out);
                }
            }
            if let Some(entry) = self.memo.get_mut(index).and_then(|e| e.get_mut(layer)) {
                *entry = Some(out);
            }
        }
        match self.memo.get(index).and_then(|e| e.get(layer)) {
            Some(Some(done)) => buf.set(done),
            _ => self.exhausted = true,
        }
    }

    /// After each alternative of `from`, the character `c`: the ends.
    fn then(&mut self, from: &Alts, c: char, layers: u8) -> Alts {
        let mut out = Alts::NONE;
        self.step(from, Some(u32::from(c)), layers, &mut out);
        out
    }

    /// `digits` hex digits after each alternative of `from` (whose values
    /// are carried over as the high digits): the values and ends.
    fn hex(&mut self, from: &Alts, digits: u32, layers: u8) -> Alts {
        let (mut cur, mut out) = (*from, Alts::NONE);
        for _ in 0..digits {
            self.step(&cur, None, layers, &mut out);
            cur.set(&out);
        }
        cur
    }

    /// One character after each alternative of `from`, into `out`: `want`
    /// (the ends, valued 0), or with `None` a hex digit (appended to the
    /// value). One loop for [`Matcher::then`] and [`Matcher::hex`], smaller
    /// than one each.
    fn step(&mut self, from: &Alts, want: Option<u32>, layers: u8, out: &mut Alts) {
        out.n = 0;
        let mut next = Alts::NONE;
        for k in 0..from.n {
            let (v, p) = from.get(k);
            self.at_into(p, layers, &mut next);
            for j in 0..next.n {
                let (x, e) = next.get(j);
                let value = match want {
                    Some(c) => (x == c).then_some(0),
                    None => char::from_u32(x).and_then(|h| h.to_digit(16)).map(|h| (v << 4) | h),
                };
                if let Some(value) = value {
                    self.push(out, (value, e));
                }
            }
        }
    }

    /// After a `%`: a byte. ASCII is itself; above, a Latin-1 character and
    /// the start of a UTF-8 sequence whose other bytes are `%XX` too.
    fn percent_after(&mut self, p: usize, layers: u8, out: &mut Alts) {
        let bytes = self.hex(&Alts::one(0, p), 2, layers);
        for k in 0..bytes.n {
            let (b, e) = bytes.get(k);
            self.push(out, (b, e));
            let more = match b {
                0xC2..=0xDF => 1,
                0xE0..=0xEF => 2,
                0xF0..=0xF4 => 3,
                _ => continue,
            };
            let mut seqs = Alts::one(b & (0x7F >> (more + 1)), e);
            for _ in 0..more {
                let mut next = Alts::NONE;
                for i in 0..seqs.n {
                    let (v, start) = seqs.get(i);
                    let pct = self.then(&Alts::one(0, start), '%', layers);
                    let cont = self.hex(&pct, 2, layers);
                    for j in 0..cont.n {
                        let (byte, end) = cont.get(j);
                        if byte & 0xC0 == 0x80 {
                            self.push(&mut next, ((v << 6) | (byte & 0x3F), end));
                        }
                    }
                }
                seqs = next;
            }
            for k in 0..seqs.n {
                let (v, e) = seqs.get(k);
                if char::from_u32(v).is_some() {
                    self.push(out, (v, e));
                }
            }
        }
    }

    /// After a backslash: a JSON (or JavaScript) escape.
    fn backslash_after(&mut self, p: usize, layers: u8, out: &mut Alts) {
        let mut next = Alts::NONE;
        self.at_into(p, layers, &mut next);
        for k in 0..next.n {
            let (x, e) = next.get(k);
            let c = match char::from_u32(x) {
                Some('n') => '\n',
                Some('r') => '\r',
                Some('t') => '\t',
                Some('b') => '\u{8}',
                Some('f') => '\u{c}',
                Some(c) if c.is_ascii_punctuation() => c,
                Some('u') => {
                    let units = self.hex(&Alts::one(0, e), 4, layers);
                    for i in 0..units.n {
                        let (unit, e) = units.get(i);
                        if !(0xD800..0xDC00).contains(&unit) {
                            self.push(out, (unit, e));
                            continue;
                        }
                        // A high surrogate: the low one follows as `\uXXXX`.
                        let slash = self.then(&Alts::one(0, e), '\\', layers);
                        let u = self.then(&slash, 'u', layers);
                        let lows = self.hex(&u, 4, layers);
                        for j in 0..lows.n {
                            let (low, e) = lows.get(j);
                            if (0xDC00..0xE000).contains(&low) {
                                self.push(out, (0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), e));
                            }
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            self.push(out, (u32::from(c), e));
        }
    }

    /// The end of the longest spelling of `secret` starting at `p`.
    fn find(&mut self, p: usize, secret: &str) -> Option<usize> {
        let mut ends = Alts::one(0, p);
        for c in secret.chars() {
            // The common case, one raw byte against an ASCII character: no
            // decoding, which halves the cost of scrubbing ordinary text.
            if ends.n == 1 && c.is_ascii() && self.steps > 0 {
                let q = ends.a[0].1 as usize;
                let b = *self.t.get(q)?;
                if !is_escape(b) {
                    // Counted too: text made of a long secret's prefix, over
                    // and over, would otherwise cost length × secret length.
                    self.steps -= 1;
                    if u32::from(b) != u32::from(c) {
                        return None;
                    }
                    ends.a[0].1 += 1;
                    continue;
                }
            }
            let next = self.then(&ends, c, LAYERS);
            if next.is_empty() {
                return None;
            }
            ends = next;
        }
        ends.longest()
    }

    /// Every echo of every secret, overlapping ones included (so that no
    /// part of one is left showing next to another).
    fn secret_spans(&mut self, secrets: &[Target<'_>], starts: &[bool; 256], spans: &mut Vec<Span>) {
        if secrets.is_empty() {
            return;
        }
        // Over a copy of the slice: `self.t[p]` after `&mut self` calls kept
        // a bounds check (and a panic site) the compiler could not drop.
        let t = self.t;
        for (p, &b) in t.iter().enumerate() {
            if !starts[usize::from(b)] {
                continue;
            }
            for s in secrets {
                if b != s.first && !is_escape(b) {
                    continue;
                }
                if let Some(end) = self.find(p, s.secret) {
                    if !s.number || self.stands_alone(p, end) {
                        spans.push(Span { start: p, end, mask: s.mask });
                    }
                }
            }
            if self.exhausted {
                return;
            }
        }
    }

    /// Whether the text spelled from `start` to `end` can be read as a
    /// number of its own: some reading of the text gives no digit right
    /// after `end`, and some reading gives no digit right before `start`.
    /// When in doubt, it stands alone (the echo is hidden).
    fn stands_alone(&mut self, start: usize, end: usize) -> bool {
        let digit = |c: u32| (u32::from(b'0')..=u32::from(b'9')).contains(&c);
        let mut alts = Alts::NONE;
        self.at_into(end, LAYERS, &mut alts);
        // Nothing after it (the text's end) or some reading that is no digit.
        let after = alts.is_empty() || alts.items().iter().any(|&(c, _)| !digit(c));
        if !after {
            return false;
        }
        // Every spelling that ends at `start`, from as far back as the
        // longest spelling of one character reaches.
        let mut digits_only = false;
        for q in start.saturating_sub(SPELLING_MAX)..start {
            self.at_into(q, LAYERS, &mut alts);
            for &(c, e) in alts.items() {
                if e as usize == start {
                    if !digit(c) {
                        return true;
                    }
                    digits_only = true;
                }
            }
        }
        !digits_only
    }

    /// The first of the characters `wanted` spelled at `p`, with the end of
    /// its longest spelling.
    fn one_of(&mut self, p: usize, wanted: &[u8]) -> Option<(u8, usize)> {
        let mut alts = Alts::NONE;
        self.at_into(p, LAYERS, &mut alts);
        let mut found = None;
        for k in 0..alts.n {
            let (c, e) = alts.get(k);
            match u8::try_from(c) {
                // `any`, not `contains`, which would bring memchr.
                #[allow(clippy::manual_contains)]
                Ok(c) if wanted.iter().any(|&w| w == c) && found.map_or(true, |(_, f)| e > f) => found = Some((c, e)),
                _ => {}
            }
        }
        found
    }

    fn digit(&mut self, p: usize) -> Option<(u8, usize)> {
        match *self.t.get(p)? {
            b @ b'0'..=b'9' => Some((b, p + 1)),
            b if is_escape(b) => self.one_of(p, b"0123456789"),
            _ => None,
        }
    }

    /// A group separator spelled at `p` (`+` is a space).
    fn separator(&mut self, p: usize) -> Option<(u8, usize)> {
        match *self.t.get(p)? {
            b' ' | b'-' | b'.' | b'+' | b'%' | b'\\' => self.one_of(p, b" -."),
            _ => None,
        }
    }

    /// The maximal run of digits starting at `p`, its first 20 digits
    /// appended to `digits`.
    fn group(&mut self, p: usize, digits: &mut Vec<u8>) -> Option<Group> {
        let (d, mut end) = self.digit(p)?;
        let first = digits.len();
        push_byte(digits, d);
        let mut len = 1;
        while let Some((d, e)) = self.digit(end) {
            if len < 20 {
                push_byte(digits, d);
            }
            len += 1;
            end = e;
        }
        Some(Group { start: p, end, first, len })
    }

    /// Every card number: a digit run, or a chain of digit groups (each of
    /// three digits or more, one kind of separator), any consecutive groups
    /// of which make 12 to 19 digits passing the Luhn check.
    fn card_spans(&mut self, spans: &mut Vec<Span>) {
        let mut digits = Vec::new();
        let mut chain: Vec<Group> = Vec::new();
        let mut p = 0;
        while let Some(&b) = self.t.get(p) {
            if self.exhausted {
                return;
            }
            if !b.is_ascii_digit() && !is_escape(b) {
                p += 1;
                continue;
            }
            digits.clear();
            chain.clear();
            let Some(first) = self.group(p, &mut digits) else {
                p += 1;
                continue;
            };
            chain.push(first);
            let mut kind = None;
            let mut end = first.end;
            while let Some(last) = chain.last().copied().filter(|g| (3..=19).contains(&g.len)) {
                let Some((sep, after)) = self.separator(last.end) else { break };
                if kind.is_some_and(|k| k != sep) {
                    break;
                }
                let mark = digits.len();
                match self.group(after, &mut digits) {
                    Some(g) if (3..=19).contains(&g.len) => {
                        kind = Some(sep);
                        end = g.end;
                        chain.push(g);
                    }
                    _ => {
                        digits.truncate(mark);
                        break;
                    }
                }
            }
            // Iterators rather than indices: the same pairs, no panic sites.
            for (i, first) in chain.iter().enumerate() {
                let mut len = 0;
                for last in chain.iter().skip(i) {
                    len += last.len;
                    if len > 19 {
                        break;
                    }
                    let from = first.first;
                    if let Some(mask) = digits.get(from..from + len).and_then(card_mask) {
                        spans.push(Span { start: first.start, end: last.end, mask });
                    }
                }
            }
            p = end;
        }
    }
}

/// `v.push(b)` through `extend_from_slice`, whose code the module has
/// anyway: `Vec<u8>::push` would add a copy of its own.
fn push_byte(v: &mut Vec<u8>, b: u8) {
    v.extend_from_slice(core::slice::from_ref(&b));
}

#[derive(Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
    /// Index of its first digit in the chain's digits.
    first: usize,
    len: usize,
}

/// Replaces every echo of each secret in `text` with `***` and masks every
/// full card number (see [`Scrubber`]). For one-off use: a caller with
/// several texts builds one [`Scrubber`].
pub fn redact(text: &str, secrets: &[&str]) -> String {
    Scrubber::new(secrets).scrub(text).into_owned()
}

/// Masks every full card number in `text` (see [`Scrubber`]).
pub fn mask_card_numbers(text: &str) -> String {
    Scrubber::default().scrub(text).into_owned()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const VIEW_TOKEN: &str = "vt+Q2FyZA/x9==";
    const PAN: &str = "4111111111111111";
    const ACCESS_TOKEN: &str = "eyJhbGciOi.J9x_y-z~";

    fn call() -> Scrubber<'static> {
        Scrubber::new(&[VIEW_TOKEN, PAN, ACCESS_TOKEN])
    }

    #[test]
    fn a_pin_is_hidden_where_it_stands_as_a_number_of_its_own() {
        let pin = Scrubber::new(&["4201"]);
        for (text, want) in [
            ("PIN 4201 rejected", "PIN *** rejected"),
            ("4201", "***"),
            ("pin=4201&x", "pin=***&x"),
            ("\"pin\":\"4201\"", "\"pin\":\"***\""),
            // Encoded, around it or in it.
            ("pin%3D%34%32%30%31%26", "pin%3D***%26"),
            ("pin%3D4201", "pin%3D***"),
            ("pin \\u0034201.", "pin ***."),
            ("%20", "%20"),
            ("x%204201", "x%20***"),
            ("x%25204201", "x%2520***"),
            ("x\\u00204201", "x\\u0020***"),
            // Inside a longer run of digits: another number.
            ("card 5000420100", "card 5000420100"),
            ("req-004201", "req-004201"),
            ("42010", "42010"),
            ("%314201", "%314201"),
            ("\\u00314201", "\\u00314201"),
        ] {
            assert_eq!(pin.scrub(text), want, "{text}");
        }
        let zeros = Scrubber::new(&["0042"]);
        assert_eq!(zeros.scrub("card 5000420 pin 0042"), "card 5000420 pin ***");
    }

    #[test]
    fn the_gateways_codes_are_never_scrubbed() {
        let pin = Scrubber::new(&["7213"]);
        let errors = r#"[{"code":"7213","message":"PIN 7213 refused","pin":"7213"},{"code":7213}]"#;
        assert_eq!(
            pin.scrub_json(errors).unwrap(),
            r#"[{"code":"7213","message":"PIN *** refused","pin":"***"},{"code":7213}]"#
        );
        // A PIN echoed as a JSON number has lost its leading zeros.
        let zeros = Scrubber::new(&["0420"]);
        assert_eq!(
            zeros.scrub_json(r#"[{"detail":420,"pin":"0420","n":4200,"m":"420"}]"#).unwrap(),
            r#"[{"detail":"***","pin":"***","n":4200,"m":"***"}]"#
        );
        // Only a code of the gateway's vocabulary is spared.
        let other = Scrubber::new(&["123456"]);
        assert_eq!(other.scrub_json(r#"[{"code":"123456"}]"#).unwrap(), r#"[{"code":"***"}]"#);
        for code in ["7000", "7213", "8099", "TOKEN_EXPIRED", "CHECK_PARAMETERS"] {
            assert!(is_gateway_code(code), "{code}");
        }
        for code in ["", "6999", "8100", "07213", "72130", "Token", "4111111111111111", "7213 "] {
            assert!(!is_gateway_code(code), "{code}");
        }
    }

    #[test]
    fn no_secret_is_dropped_however_many_a_call_has() {
        let secrets = ["tok_first_value", "tok_second_value", "tok_third_value", PAN, VIEW_TOKEN, "0042"];
        let text = secrets.join(" ");
        let out = Scrubber::new(&secrets).scrub(&text).into_owned();
        assert_eq!(out, "*** *** *** ************1111 *** ***");
    }

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("tok_live_123".to_string());
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(s.expose(), "tok_live_123");
    }

    #[test]
    fn a_scrubber_never_shows_its_secrets() {
        assert_eq!(format!("{:?}", call()), "Scrubber { secrets: 3 }");
    }

    /// The view token echoed as the gateway received it.
    #[test]
    fn a_view_token_echoed_percent_encoded_in_the_url() {
        assert_eq!(
            call().scrub("card not found (/rest/users/1001/cards/5000001?token=vt%2BQ2FyZA%2Fx9%3D%3D)"),
            "card not found (/rest/users/1001/cards/5000001?token=***)"
        );
    }

    #[test]
    fn every_echo_form_of_a_secret() {
        let forms = [
            "vt+Q2FyZA/x9==",                                 // raw
            "vt%2BQ2FyZA%2Fx9%3D%3D",                         // as the SDK encodes
            "vt%2bQ2FyZA%2fx9%3d%3d",                         // lowercase hex
            "%76%74%2B%51%32%46%79%5A%41%2F%78%39%3D%3D",     // unreserved encoded too
            "vt+Q2FyZA%2Fx9==",                               // reserved left unencoded
            "vt%2BQ2FyZA/x9%3d=",                             // a mix of both cases and choices
            "vt+Q2FyZA\\/x9==",                               // JSON `\/`
            "\\u0076t\\u002bQ2FyZA\\u002Fx9\\u003d=",         // JSON \u, either case
            "vt\\+Q2FyZA\\/x9\\=\\=",                         // a backslash before punctuation
            "vt\\u00252BQ2FyZA\\u00252Fx9\\u00253D\\u00253D", // JSON-escaped percent-encoding
            "vt%252BQ2FyZA%252Fx9%253D%253D",                 // percent-encoded twice
            "vt%5Cu002BQ2FyZA%5C%2Fx9==",                     // percent-encoded JSON escapes
            "vt\\\\u002BQ2FyZA\\\\\\/x9==",                   // JSON-escaped twice
            "vt\\u0025\\u0032\\u0042Q2FyZA%2Fx9%3D%3D",       // every character of `%2B` escaped
        ];
        for form in forms {
            assert_eq!(call().scrub(&format!("token={form})")), "token=***)", "{form}");
            assert_eq!(call().scrub(&format!("\"{form}\"")), "\"***\"", "{form}");
        }
    }

    #[test]
    fn spaces_surrogate_pairs_and_latin1() {
        let s = Scrubber::new(&["my secret phrase", "tok😀abc", "clé-secrète"]);
        for (echo, out) in [
            ("x my+secret%20phrase y", "x *** y"),
            ("x my\\u0020secret phrase y", "x *** y"),
            ("tok\\ud83d\\ude00abc", "***"),
            ("tok\\uD83D\\uDE00abc", "***"),
            ("tok%F0%9F%98%80abc", "***"),
            ("cl%C3%A9-secr%C3%A8te", "***"),
            ("cl%E9-secr%E8te", "***"),
            ("cl\\u00e9-secr\\u00E8te", "***"),
        ] {
            assert_eq!(s.scrub(echo), out, "{echo}");
        }
        // The same characters that do not spell the secret stay.
        assert_eq!(s.scrub("my+secret+phrases"), "***s");
        assert_eq!(s.scrub("my secret phras"), "my secret phras");
    }

    /// A card number echoed grouped, and one that was not
    /// in the request at all.
    #[test]
    fn grouped_card_numbers() {
        assert_eq!(call().scrub("card 4111 1111 1111 1111 is not eligible"), "card ************1111 is not eligible");
        assert_eq!(call().scrub("5555-5555-5555-4444"), "************4444");
        for (text, out) in [
            ("4111111111111111", "************1111"),
            ("4111.1111.1111.1111", "************1111"),
            ("4111%201111%201111%201111", "************1111"),
            ("4111+1111+1111+1111", "************1111"),
            ("4111\\u00201111\\u00201111 1111", "************1111"),
            ("4111%2D1111-1111\\u002d1111", "************1111"),
            ("amex 3782 822463 10005.", "amex ************0005."),
            ("diners 3056-930902-5904", "diners ************5904"),
            ("19: 6011 0009 9013 9424 110", "19: ************9424 110"),
            ("card:5555555555554444;", "card:************4444;"),
            ("é4111111111111111é", "é************1111é"),
            // A card after another number: the consecutive groups that make
            // one are masked.
            ("ids 1001 4111 1111 1111 1111", "ids 1001 ************1111"),
            ("4111111111111111 1234", "************1111 1234"),
            ("4111 1111 1111 1111 12", "************1111 12"),
            // Digits spelled through escapes count too.
            ("\\u0034111111111111111", "************1111"),
            ("%34%31%31%31 1111 1111 1111", "************1111"),
        ] {
            assert_eq!(Scrubber::default().scrub(text), out, "{text}");
        }
    }

    #[test]
    fn ordinary_numbers_stay() {
        for text in [
            "on 2026-11-29 at 10:42",
            "call +1 415 555 2671 or +49 30 1234 5678",
            "request req-2026-11-29-000123 card 5000001 user 1001",
            "4111111111111112",        // fails the Luhn check
            "41111111111111111111",    // 20 digits: not a card number
            "4111 1111-1111 1111",     // mixed separators: not one number
            "4111  1111  1111  1111",  // double spaces: not one number
            "41 11 11 11 11 11 11 11", // groups of two: not a card grouping
            "1.5e3 0.000123 -12.34 1e308",
            "ids 1234 5678 9012", // 12 digits, fail the Luhn check
            "123e4567-e89b-12d3-a456-426614174000",
        ] {
            // Not the request's card: that one is found inside longer runs too.
            let s = Scrubber::new(&[VIEW_TOKEN, ACCESS_TOKEN]);
            assert_eq!(s.scrub(text), text);
            assert!(matches!(s.scrub(text), Cow::Borrowed(_)), "no copy when nothing changes");
        }
    }

    #[test]
    fn the_request_card_is_masked_like_any_card_and_other_secrets_are_stars() {
        let out = redact(
            "card 4111111111111111 token abcd1234 again 4111111111111111",
            &["4111111111111111", "abcd1234", "ab"],
        );
        assert_eq!(out, "card ************1111 token *** again ************1111");
        // Inside a longer run of digits the request's card is still found.
        assert_eq!(redact("ref 941111111111111119", &[PAN]), "ref 9************11119");
        assert_eq!(redact("other card 5555555555554444", &[]), "other card ************4444");
        assert_eq!(mask_card_numbers("x 4111 1111 1111 1111"), "x ************1111");
    }

    #[test]
    fn overlapping_echoes_merge() {
        let s = Scrubber::new(&["abcdef", "defghi"]);
        assert_eq!(s.scrub("xabcdefghiy"), "x***y");
        assert_eq!(s.scrub("abcdefabcdef"), "******");
        // A secret ending in a card number: no digit of it is left.
        let s = Scrubber::new(&["tok4111111111111111"]);
        assert_eq!(s.scrub("tok4111111111111111!"), "***!");
    }

    #[test]
    fn short_secrets_are_ignored() {
        assert_eq!(Scrubber::new(&["", "ab", "abc"]).scrub("abc ab"), "abc ab");
    }

    #[test]
    fn a_long_secret_prefix_over_and_over_stays_linear() {
        let secret = format!("{}!", "a".repeat(2000));
        let s = Scrubber::new(&[&secret]);
        // Naive matching would compare 2000 characters at each of 200 000 places.
        let text = "a".repeat(200_000);
        assert_eq!(s.scrub(&text), HIDDEN);
        // A real (random) long secret, many times over, is well within it.
        let mut x = 12345u32;
        let token: String = (0..2000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[(x >> 16) as usize % 64])
            })
            .collect();
        let text = format!("{token} ").repeat(100);
        assert_eq!(Scrubber::new(&[&token]).scrub(&text), "*** ".repeat(100));
    }

    #[test]
    fn escape_dense_text_is_decoded_once_and_text_over_budget_is_hidden_whole() {
        let noise = "%25%5C%255Cu0025\\u0025\\\\u005c%+".repeat(500);
        let text = format!("{noise} vt%252BQ2FyZA%252Fx9%253D%253D {noise}");
        let out = call().scrub(&text);
        assert_eq!(out, format!("{noise} *** {noise}"));
        // The same text with too small a budget: nothing is shown at all.
        assert_eq!(call().scrub_within(&text, 1000), HIDDEN);
    }

    #[test]
    fn json_documents_stay_valid_and_exact() {
        let raw = r#"[{"code":"7000","message":"token vt%2BQ2FyZA%2Fx9%3D%3D","pan":4111111111111111,"id":9007199254740993,"n":12.5}]"#;
        let out = call().scrub_json(raw).unwrap();
        assert_eq!(
            out,
            r#"[{"code":"7000","message":"token ***","pan":"************1111","id":"9007199254740993","n":12.5}]"#
        );
    }

    // ---- properties ---------------------------------------------------------

    /// One character of a secret as an echo might write it.
    fn encode_char(c: char, how: u8, out: &mut String) {
        let mut buf = [0u8; 4];
        match how % 8 {
            0 => out.push(c),
            1 | 2 => {
                for b in c.encode_utf8(&mut buf).bytes() {
                    let hex = format!("%{b:02X}");
                    out.push_str(&if how % 8 == 2 { hex.to_ascii_lowercase() } else { hex });
                }
            }
            3 if c == ' ' => out.push('+'),
            4 if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            5 | 6 => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let hex = format!("\\u{u:04X}");
                    out.push_str(&if how % 8 == 6 { hex.to_ascii_lowercase().replace("\\U", "\\u") } else { hex });
                }
            }
            7 => {
                // The request's own encoding.
                crate::text::percent_encode_into(c.encode_utf8(&mut buf), out);
            }
            _ => out.push(c),
        }
    }

    /// `text` through one layer of encoding, a choice per character.
    fn encode(text: &str, choices: &[u8]) -> String {
        let mut out = String::new();
        for (i, c) in text.chars().enumerate() {
            encode_char(c, choices.get(i % choices.len().max(1)).copied().unwrap_or(0), &mut out);
        }
        out
    }

    fn secret() -> impl Strategy<Value = String> {
        prop_oneof![
            "[A-Za-z0-9+/]{4,40}={0,2}",
            "[A-Za-z0-9_-]{4,40}",
            "[a-f0-9]{8,40}",
            "[ -~]{4,30}",
            "\\PC{4,20}",
            "[%\\\\u+ 0-9A-Fa-f]{4,16}",
        ]
    }

    /// Text around an echo that can neither spell nor continue one.
    fn filler(secret: &str) -> impl Strategy<Value = String> {
        let pool: Vec<char> = "GHIJKLMNOPQRSTVWXYZghijklmnopqrstvwxyz!#&(),;<>?@[]^`{|}"
            .chars()
            .filter(|c| !secret.contains(*c))
            .collect();
        prop::collection::vec(prop::sample::select(pool), 0..12).prop_map(|v| v.into_iter().collect())
    }

    fn luhn_digits() -> impl Strategy<Value = String> {
        prop::collection::vec(0u8..10, 11..=18).prop_map(|mut v| {
            // The check digit that makes the whole pass.
            let sum: u32 = v
                .iter()
                .rev()
                .enumerate()
                .map(|(i, &d)| {
                    let d = u32::from(d);
                    if i % 2 == 0 {
                        let d = d * 2;
                        if d > 9 {
                            d - 9
                        } else {
                            d
                        }
                    } else {
                        d
                    }
                })
                .sum();
            v.push(((10 - sum % 10) % 10) as u8);
            v.into_iter().map(|d| char::from(b'0' + d)).collect()
        })
    }

    /// Cases the property below once found (proptest's regression files are
    /// not kept in git, so they live here).
    #[test]
    fn echoes_the_property_test_found() {
        let cases: [(&str, &[u8], &[u8], usize); 3] = [
            (",`$&==v5'DL<C`H#zC5'C", &[176, 2, 188], &[92], 2),
            ("\\;=a", &[89, 69], &[190, 138, 170, 68], 2),
            ("`$s/¥", &[28, 36, 211, 247], &[38], 1),
        ];
        for (secret, first, second, layers) in cases {
            let mut echo = secret.to_owned();
            for choices in [first, second].into_iter().take(layers) {
                echo = encode(&echo, choices);
            }
            assert_eq!(Scrubber::new(&[secret]).scrub(&format!("G{echo}")), "G***", "{echo}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn secrets_never_survive_any_echo(
            (secret, before, after) in secret().prop_flat_map(|s| (Just(s.clone()), filler(&s), filler(&s))),
            first in prop::collection::vec(any::<u8>(), 1..8),
            second in prop::collection::vec(any::<u8>(), 1..8),
            layers in 0usize..3,
        ) {
            let mut echo = secret.clone();
            for choices in [&first, &second].into_iter().take(layers) {
                echo = encode(&echo, choices);
            }
            let s = Scrubber::new(&[&secret, "unrelated-secret"]);
            let expected_mask = card_mask(secret.as_bytes()).map_or("***".to_owned(), |_| {
                format!("************{}", &secret[secret.len() - 4..])
            });
            let text = format!("{before}{echo}{after}");
            let out = s.scrub(&text);
            prop_assert_eq!(out.as_ref(), format!("{before}{expected_mask}{after}"), "echo {:?}", echo);
        }

        #[test]
        fn card_numbers_never_survive_any_grouping(
            digits in luhn_digits(),
            cuts in prop::collection::vec(3usize..=6, 0..6),
            kind in 0usize..3,
            seps in prop::collection::vec(0usize..4, 6),
            before in "([A-Za-z]{1,8} ){0,3}",
            after in "( [A-Za-z,.!]{1,8}){0,3}",
        ) {
            const SEPS: [[&str; 4]; 3] = [
                [" ", "+", "%20", "\\u0020"],
                ["-", "%2D", "%2d", "\\u002D"],
                [".", "%2E", "\\u002e", "."],
            ];
            // Group the digits: every group at least three long.
            let mut groups = Vec::new();
            let mut rest = digits.as_str();
            for cut in cuts {
                if rest.len() >= cut + 3 {
                    let (g, r) = rest.split_at(cut);
                    groups.push(g);
                    rest = r;
                }
            }
            groups.push(rest);
            let mut written = String::new();
            for (i, g) in groups.iter().enumerate() {
                if i > 0 {
                    written.push_str(SEPS[kind][seps[i % seps.len()]]);
                }
                written.push_str(g);
            }
            let text = format!("{before}{written}{after}");
            let out = Scrubber::default().scrub(&text);
            prop_assert_eq!(out.as_ref(), format!("{before}************{}{after}", &digits[digits.len() - 4..]));
        }

        #[test]
        fn digit_runs_failing_luhn_stay(digits in luhn_digits(), bump in 1u8..10, before in "[a-z ]{0,5}") {
            let mut wrong = digits.into_bytes();
            let last = wrong.len() - 1;
            wrong[last] = b'0' + (wrong[last] - b'0' + bump) % 10;
            let text = format!("{before}{}", String::from_utf8(wrong).unwrap());
            let out = Scrubber::default().scrub(&text);
            prop_assert_eq!(out.as_ref(), text.as_str());
        }

        #[test]
        fn scrubbing_never_panics(
            text in prop_oneof!["\\PC{0,200}", "[%\\\\u+ 0-9a-fA-F.-]{0,200}", ".{0,100}"],
            secrets in prop::collection::vec(prop_oneof!["\\PC{0,12}", "[%\\\\u+0-9a-f]{0,10}"], 0..4),
        ) {
            let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
            let _ = Scrubber::new(&refs).scrub(&text);
        }

        #[test]
        fn scrubbed_json_stays_valid(v in arb_json(), secret in "[a-z0-9]{4,8}") {
            let raw = serde_json::to_string(&v).unwrap();
            let out = Scrubber::new(&[&secret]).scrub_json(&raw).unwrap();
            prop_assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok(), "{}", out);
        }
    }

    fn arb_json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            "\\PC{0,20}".prop_map(Value::String),
            "[%\\\\u0-9a-f ]{0,20}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map("\\PC{0,8}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
