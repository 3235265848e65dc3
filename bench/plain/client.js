// A plain-JavaScript client for the same ten Migo card endpoints, written
// for the benchmarks (BENCHMARKS.md) as the honest alternative to the wasm
// package: the same validation rules and messages, the same MigoError
// fields, the same envelope decoding and secret scrubbing, token provider,
// timeouts, abort, redirect refusal, `fetch` and `onRequest` options, and
// retry rules. It mirrors engine/src/ rule by rule; where plain JS makes an
// edge case differ, the comment says so. It is not published.
// Its endpoint table is the package's operations list; tests/js/plain-client.test.mjs
// runs bench/conformance.mjs against the package in `make test`.

import { operations } from "../../pkg/testing/operations.js";

export class MigoError extends Error {
  constructor(message, details, cause) {
    super(message, cause === undefined ? undefined : { cause });
    Object.defineProperty(this, "name", { value: "MigoError", configurable: true, writable: true });
    if (details && typeof details === "object") {
      for (const key of Object.keys(details)) this[key] = details[key];
    }
  }
}

// ---- errors (engine/src/error.rs) -------------------------------------------

function err(kind, message, extra) {
  return { kind, message, field: undefined, status: undefined, code: undefined, errors: undefined,
    requestId: undefined, attempts: 0, retryable: false, outcome: "notSent", cause: undefined, ...extra };
}
const validation = (field, message) => err("validation", message, { field });
const configError = (field, message) => err("config", message, { field });
const apiError = (status, message) => err("api", message, { status, outcome: "rejected" });
const decodeError = (status, message) => err("decode", message, { status, outcome: "unknown" });

/** A MigoError from an error record; `cause` is the record's own (nested) or the one given. */
function toJs(e, cause) {
  const d = { kind: e.kind };
  if (e.field !== undefined) d.field = e.field;
  if (e.code !== undefined) d.code = e.code;
  if (e.requestId !== undefined) d.requestId = e.requestId;
  if (e.status !== undefined) d.status = e.status;
  if (e.errors !== undefined) d.errors = e.errors;
  d.attempts = e.attempts;
  d.retryable = e.retryable;
  d.outcome = e.outcome;
  return new MigoError(e.message, d, e.cause ? toJs(e.cause) : cause);
}

class Fail {
  constructor(e, cause) {
    this.e = e;
    this.cause = cause;
  }
}
const fail = (e) => { throw new Fail(e); };
const toJsError = (x) => (x instanceof Fail ? toJs(x.e, x.cause) : x);

// ---- reading JS values (bindings/src/exports.rs) -------------------------------

const ABSENT = { t: "undefined" };
const UNREADABLE = { t: "a value that could not be read" };

export function input(v) {
  switch (typeof v) {
    case "undefined": return ABSENT;
    case "boolean": return { t: "boolean", v };
    case "number": return { t: "number", v };
    case "string": return v.isWellFormed() ? { t: "string", v } : { t: "string with unpaired surrogates" };
    case "bigint": case "symbol": case "function": return { t: typeof v };
    // Arrays are "object" too: Array.isArray throws on a revoked Proxy.
    default: return v === null ? { t: "null" } : { t: "object" };
  }
}

function getRaw(obj, key) {
  if (obj === null || typeof obj !== "object") return { ok: true, v: undefined };
  try {
    return { ok: true, v: obj[key] };
  } catch {
    return { ok: false };
  }
}

function get(obj, key) {
  const r = getRaw(obj, key);
  return r.ok ? input(r.v) : UNREADABLE;
}

const missing = (i) => i.t === "undefined" || i.t === "null";

/** `v` when it is shaped like an AbortSignal (as js/api.js reads it), else undefined. */
function signalOf(v) {
  const a = getRaw(v, "aborted"), add = getRaw(v, "addEventListener"), rm = getRaw(v, "removeEventListener");
  return a.ok && typeof a.v === "boolean" && add.ok && typeof add.v === "function" && rm.ok && typeof rm.v === "function"
    ? v : undefined;
}

// ---- validation (engine/src/validate.rs) -------------------------------------

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_ID_CHARS = 256;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
// Rust's str::trim (Unicode White_Space), not JS's trim (which adds U+FEFF).
const TRIM = /^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$/g;
const encoder = new TextEncoder();

function chars(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}
const utf8Len = (s) => (/^[\x00-\x7f]*$/.test(s) ? s.length : encoder.encode(s).length);
const safeInt = (n) => Number.isFinite(n) && Number.isInteger(n) && n >= 0 && n <= MAX_SAFE;

function requiredOrType(field, i, expected, kind = validation) {
  return missing(i) ? kind(field, `${field} is required`) : kind(field, `${field} must be ${expected}, got ${i.t}`);
}

function anyId(field, i) {
  if (i.t === "number") {
    if (safeInt(i.v)) return String(i.v);
    fail(validation(field, `${field} must be a non-negative safe integer or a non-empty string`));
  }
  if (i.t === "string") {
    const s = i.v;
    if (s === "") fail(validation(field, `${field} must not be empty`));
    if (s.length > MAX_ID_CHARS && chars(s) > MAX_ID_CHARS) fail(validation(field, `${field} must be at most ${MAX_ID_CHARS} characters`));
    if (CONTROL.test(s)) fail(validation(field, `${field} must not contain control characters`));
    return s;
  }
  fail(requiredOrType(field, i, "a non-empty string or a non-negative safe integer"));
}

function pathId(field, i) {
  const id = anyId(field, i);
  if (id === "." || id === "..") fail(validation(field, `${field} must not be "." or ".."`));
  return id;
}

function cardId(i) {
  if (i.t === "number") {
    if (safeInt(i.v)) return String(i.v);
    fail(validation("cardId", "cardId must be a non-negative safe integer or a string of digits"));
  }
  if (i.t === "string") {
    if (/^[0-9]{1,32}$/.test(i.v)) return i.v;
    fail(validation("cardId", "cardId must be a string of 1 to 32 ASCII digits"));
  }
  fail(requiredOrType("cardId", i, "a non-negative safe integer or a string of digits"));
}

export function luhn(digits) {
  let sum = 0;
  for (let i = digits.length - 1, k = 0; i >= 0; i--, k++) {
    let d = digits.charCodeAt(i) - 48;
    if (k % 2 === 1 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

function cardNumber(i) {
  const F = "card";
  if (i.t !== "string") fail(requiredOrType(F, i, "a string of digits"));
  const s = i.v.replace(TRIM, "");
  if (s === "") fail(validation(F, "card is required"));
  if (s.length > 64 && chars(s) > 64) fail(validation(F, "card is too long to be a card number"));
  let digits = "";
  let prevDigit = false;
  for (let k = 0; k < s.length; k++) {
    const c = s[k];
    if (c >= "0" && c <= "9") {
      digits += c;
      prevDigit = true;
    } else if ((c === " " || c === "-") && prevDigit && s[k + 1] >= "0" && s[k + 1] <= "9") {
      prevDigit = false;
    } else {
      fail(validation(F, "card must contain only digits, with single spaces or dashes between groups"));
    }
  }
  if (digits.length < 12 || digits.length > 19) fail(validation(F, "card must have 12 to 19 digits"));
  if (!luhn(digits)) fail(validation(F, "card number failed verification (check digit)"));
  return digits;
}

function alias(i) {
  const F = "alias";
  if (i.t !== "string") fail(requiredOrType(F, i, "a string"));
  const s = i.v;
  if (s.replace(TRIM, "") === "") fail(validation(F, "alias must not be empty"));
  if (s.length > 64 && chars(s) > 64) fail(validation(F, "alias must be at most 64 characters"));
  if (CONTROL.test(s)) fail(validation(F, "alias must not contain control characters"));
  return s;
}

function text(field, i, max, kind = validation) {
  if (i.t !== "string") fail(requiredOrType(field, i, "a non-empty string", kind));
  const s = i.v;
  if (s === "") fail(kind(field, `${field} must not be empty`));
  if (utf8Len(s) > max) fail(kind(field, `${field} is too long`));
  if (CONTROL.test(s)) fail(kind(field, `${field} must not contain control characters`));
  return s;
}

function pin(i) {
  if (i.t !== "string") fail(requiredOrType("pin", i, "a string of 4 to 12 digits"));
  if (!/^[0-9]{4,12}$/.test(i.v)) fail(validation("pin", "pin must be 4 to 12 digits (0-9)"));
  return i.v;
}

function intIn(field, i, lo, hi, kind = validation) {
  if (i.t === "number") {
    if (Number.isInteger(i.v) && i.v >= lo && i.v <= hi) return i.v;
    fail(kind(field, `${field} must be an integer from ${lo} to ${hi}`));
  }
  fail(requiredOrType(field, i, `an integer from ${lo} to ${hi}`, kind));
}

function headerValue(field, i, max, kind) {
  if (i.t === "string") {
    const s = i.v;
    if (s === "") fail(kind(field, `${field} must not be empty`));
    if (utf8Len(s) > max) fail(kind(field, `${field} is too long`));
    if (!/^[\x21-\x7e]*$/.test(s)) fail(kind(field, `${field} must contain only visible ASCII characters`));
    return s;
  }
  if (missing(i)) fail(kind(field, `${field} is required`));
  fail(kind(field, `${field} must be a string, got ${i.t}`));
}

// ---- environments and options (engine/src/config.rs) -------------------------

const ENVS = {
  production: { api: "https://api.ali.app/rest", web: "https://web.migopayments.com" },
  sandbox: { api: "https://ali-qa.ali.app/rest", web: "https://sandbox.migopayments.com" },
};

function environment(field, i, kind) {
  if (missing(i)) return "production";
  if (i.t === "string" && (i.v === "production" || i.v === "sandbox")) return i.v;
  fail(kind(field, `${field} must be "production" or "sandbox"`));
}

function isLoopback(host) {
  if (host === "localhost" || host === "[::1]" || host === "[0:0:0:0:0:0:0:1]") return true;
  const parts = host.split(".");
  return parts.length === 4 && parts[0] === "127" && parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255);
}

export function checkBaseUrl(raw) {
  const bad = (why) => fail(configError("baseUrl", `baseUrl ${why}`));
  if (raw.length > 2048 && utf8Len(raw) > 2048) bad("is too long");
  if (!/^[\x21-\x7e]*$/.test(raw)) bad("must be an absolute URL without spaces or non-ASCII characters");
  const sep = raw.indexOf("://");
  if (sep < 0) bad("must be an absolute http(s) URL");
  const scheme = raw.slice(0, sep).toLowerCase();
  const rest = raw.slice(sep + 3);
  if (scheme !== "https" && scheme !== "http") bad("must use https");
  if (/[?#]/.test(rest)) bad("must not have a query or a fragment");
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? "" : rest.slice(slash);
  if (authority.includes("@")) bad("must not contain credentials");
  let host, port;
  if (authority.startsWith("[")) {
    const end = authority.indexOf("]");
    const h = end < 0 ? "" : authority.slice(0, end + 1);
    const after = end < 0 ? "" : authority.slice(end + 1);
    if (end < 0 || h.length < 4 || !/^[0-9A-Fa-f:.]*$/.test(h.slice(1, -1)) || (after && !after.startsWith(":"))) {
      bad("has an invalid host or port");
    }
    host = h;
    port = after ? after.slice(1) : undefined;
  } else {
    const colon = authority.indexOf(":");
    host = colon < 0 ? authority : authority.slice(0, colon);
    port = colon < 0 ? undefined : authority.slice(colon + 1);
    if (!/^[A-Za-z0-9.-]+$/.test(host)) bad("has an invalid host or port");
  }
  if (port !== undefined && !(/^[0-9]{1,5}$/.test(port) && Number(port) <= 65535)) bad("has an invalid host or port");
  host = host.toLowerCase();
  if (scheme === "http" && !isLoopback(host)) {
    bad("must use https (plain http is accepted only for localhost, 127.0.0.0/8 and [::1])");
  }
  return `${scheme}://${host}${port !== undefined ? `:${port}` : ""}${path.replace(/\/+$/, "")}`;
}

export function makeConfig(options) {
  const present = (i) => (missing(i) ? undefined : i);
  const env = environment("environment", get(options, "environment"), configError);
  const b = present(get(options, "baseUrl"));
  const appId = present(get(options, "applicationId"));
  const clientId = present(get(options, "clientId"));
  const maxRetries = present(get(options, "maxRetries"));
  const timeoutMs = present(get(options, "timeoutMs"));
  let baseUrl = ENVS[env].api;
  if (b) baseUrl = b.t === "string" ? checkBaseUrl(b.v) : fail(configError("baseUrl", `baseUrl must be a string, got ${b.t}`));
  return {
    environment: env,
    baseUrl,
    applicationId: appId && headerValue("applicationId", appId, MAX_ID_CHARS, configError),
    clientId: clientId && text("clientId", clientId, MAX_ID_CHARS, configError),
    maxRetries: maxRetries ? intIn("maxRetries", maxRetries, 0, 10, configError) : 2,
    timeoutMs: timeoutMs ? intIn("timeoutMs", timeoutMs, 1, 2147483647, configError) : 30000,
  };
}

// ---- the endpoint table and request building (endpoints.rs, request.rs) ---

const FIELD = ["userId", "authUserId", "cardId", "clientId", "card", "alias", "viewToken", "month", "year", "pin"];
const [UserId, AuthUserId, CardId, ClientId, Card, Alias, ViewToken, Month, Year, Pin] = FIELD.keys();
const WIRE = FIELD.map((f) => (f === "viewToken" ? "token" : f));
const SECRET = [Card, ViewToken, Pin];

// The endpoint table, as the package lists it (pkg/testing/operations.js,
// written from engine/src/endpoints.rs): name, method, path ("{param}" for an
// argument), query, body, optional parameters, retry class, and the method's
// arguments (a parameter, or a list of them for an object argument).
const TABLE = operations.map((o) => [o.name, o.method, o.path.slice(1).split("/"), o.query, o.body, o.optional, o.retry, o.args]);
const P = (name) => FIELD.indexOf(name);
export const ENDPOINTS = Object.fromEntries(TABLE.map(([name, method, path, query, body, optional, retry, args]) => {
  const segs = path.map((s) => (s.startsWith("{") ? P(s.slice(1, -1)) : s));
  const params = [...segs.filter((s) => typeof s === "number"), ...query.map(P), ...body.map(P)];
  return [name, { name, method, path: segs, query: query.map(P), body: body.map(P), optional: optional.map(P), retry, args, params }];
}));

function validateParam(p, raw) {
  switch (p) {
    case UserId: case AuthUserId: return pathId(FIELD[p], raw);
    case CardId: return cardId(raw);
    case ClientId: return text("clientId", raw, MAX_ID_CHARS);
    case Card: return cardNumber(raw);
    case Alias: return alias(raw);
    case ViewToken: return text("viewToken", raw, 4096);
    case Month: return intIn("month", raw, 1, 12);
    case Pin: return pin(raw);
    default: return intIn("year", raw, 1000, 9999);
  }
}

/** Validates what `ep` needs in table order (path, query, body); `read(p)` gives one argument. */
export function collect(ep, config, read) {
  const args = [];
  for (const p of ep.params) {
    const raw = read(p);
    if (missing(raw) && p === ClientId) {
      if (config.clientId === undefined) {
        fail(validation("clientId", "clientId is required: pass it to linkCard or set it on the client"));
      }
      args[p] = config.clientId;
    } else if (!(missing(raw) && ep.optional.includes(p))) {
      args[p] = validateParam(p, raw);
    }
  }
  return args;
}

export const percentEncode = (s) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The request for validated `args`: `{ method, url, redactedUrl, headers, body }`. */
export function build(ep, args, baseUrl, token, applicationId) {
  let url = baseUrl.replace(/\/+$/, "");
  for (const s of ep.path) url += "/" + (typeof s === "number" ? percentEncode(String(args[s])) : s);
  // The URL for onRequest shows secret query values as ***.
  let redactedUrl = url;
  let sep = "?";
  for (const p of ep.query) {
    if (args[p] === undefined) continue;
    url += `${sep}${WIRE[p]}=${percentEncode(String(args[p]))}`;
    redactedUrl += `${sep}${WIRE[p]}=${SECRET.includes(p) ? "***" : percentEncode(String(args[p]))}`;
    sep = "&";
  }
  const headers = { authorization: `Bearer ${token}` };
  if (applicationId !== undefined) headers["x-application-id"] = applicationId;
  let body;
  if (ep.body.length) {
    const o = {};
    for (const p of ep.body) if (args[p] !== undefined) o[WIRE[p]] = args[p];
    body = JSON.stringify(o);
    headers["content-type"] = "application/json";
  }
  return { method: ep.method, url, redactedUrl, headers, body };
}

// ---- responses (engine/src/response.rs) ---------------------------------------

const CODE_NAMES = { 7000: "CHECK_PARAMETERS", 7100: "USER_NOT_FOUND", 7200: "CARD_NOT_FOUND", 7205: "INCORRECT_PIN",
  7210: "CARD_NOT_UPDATED", 7213: "INVALID_STATUS_CARD", 7220: "THIRD_PARTY_CARD_NOT_FOUND", 7303: "INSUFFICIENT_FUNDS" };
const STATUS_TEXT = { 400: "bad request", 401: "unauthorized", 403: "forbidden", 404: "not found", 408: "request timeout",
  409: "conflict", 422: "unprocessable entity", 429: "too many requests", 500: "internal server error",
  502: "bad gateway", 503: "service unavailable", 504: "gateway timeout" };

function statusMessage(status, code, detail) {
  let m = `Migo API error ${status}`;
  if (code !== undefined) m += ` (code ${code}${Object.hasOwn(CODE_NAMES, code) ? ` ${CODE_NAMES[code]}` : ""})`;
  return `${m}: ${detail || STATUS_TEXT[status] || "request failed"}`;
}

// ---- scrubbing (engine/src/secret.rs) -----------------------------------------
//
// Every echo of a secret (4 characters or more) becomes `***`, or the card
// mask when the secret is a card number, and every full card number is
// masked, raw or in groups of three or more digits joined by one kind of
// separator. An echo may spell any of its characters raw, percent-encoded
// (either hex case, `+` for a space, `%25` or `\u0025` for the percent sign)
// or JSON-escaped (`\uXXXX` in either case, a backslash before punctuation).
// The core's matcher also sees through deeper mixes (three layers, Latin-1
// bytes, encoded separators in card numbers) and hides crafted nesting
// whole; bench/conformance.mjs's cases are of the forms a URL or a JSON echo
// takes, which both see.

const cardMask = (digits) =>
  /^[0-9]{12,19}$/.test(digits) && luhn(digits) ? "************" + digits.slice(-4) : undefined;

const reEscape = (c) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
/** A hex digit in either case. */
const hexAlt = (h) => (/[a-f]/i.test(h) ? `[${h.toUpperCase()}${h.toLowerCase()}]` : h);
const hexOf = (n, width) => [...n.toString(16).padStart(width, "0")].map(hexAlt).join("");
const JSON_ESCAPES = { "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t" };

/** A pattern matching `secret` spelled with any mix of the forms above. */
function echoPattern(secret) {
  const parts = [];
  for (const c of secret) {
    const alts = [reEscape(c)];
    if (c === " ") alts.push("\\+");
    alts.push([...encoder.encode(c)].map((b) => `(?:%|%25|\\\\u0025)${hexOf(b, 2)}`).join(""));
    let units = "";
    for (let i = 0; i < c.length; i++) units += `\\\\u${hexOf(c.charCodeAt(i), 4)}`;
    alts.push(units);
    if (/[!-/:-@[-`{-~]/.test(c)) alts.push(`\\\\${reEscape(c)}`);
    if (JSON_ESCAPES[c]) alts.push(`\\\\${JSON_ESCAPES[c]}`);
    parts.push(`(?:${alts.join("|")})`);
  }
  return new RegExp(parts.join(""), "g");
}

/** Full card numbers in `text`: every run of groups that makes one (engine/src/secret.rs, card_spans). */
function cardSpans(text, spans) {
  const GROUP = /[0-9]+/g;
  let m;
  while ((m = GROUP.exec(text))) {
    const chain = [{ start: m.index, end: m.index + m[0].length, digits: m[0] }];
    let kind;
    for (;;) {
      const last = chain.at(-1);
      if (last.digits.length < 3 || last.digits.length > 19) break;
      const sep = text[last.end];
      if (!(sep === " " || sep === "-" || sep === ".") || (kind !== undefined && sep !== kind)) break;
      const next = /^[0-9]+/.exec(text.slice(last.end + 1));
      if (!next || next[0].length < 3 || next[0].length > 19) break;
      kind = sep;
      chain.push({ start: last.end + 1, end: last.end + 1 + next[0].length, digits: next[0] });
    }
    for (let i = 0; i < chain.length; i++) {
      let digits = "";
      for (let j = i; j < chain.length; j++) {
        digits += chain[j].digits;
        if (digits.length > 19) break;
        const mask = cardMask(digits);
        if (mask) spans.push({ start: chain[i].start, end: chain[j].end, mask });
      }
    }
    GROUP.lastIndex = chain.at(-1).end;
  }
}

/**
 * A function hiding the call's `secrets` and every full card number in a
 * text; the patterns are compiled once, for all the texts of one error.
 */
export function scrubber(secrets) {
  const patterns = [];
  for (const secret of new Set(secrets)) {
    if ([...secret].length >= 4) patterns.push([compiled(secret), cardMask(secret) ?? "***"]);
  }
  return (text) => scrub(text, patterns);
}

// Compiling a secret's pattern costs milliseconds (2.7 ms each in Node 20
// here), matching a message with it microseconds: the last few are kept (a
// client's token and the card numbers it handles recur).
const PATTERNS = new Map();
function compiled(secret) {
  let re = PATTERNS.get(secret);
  if (!re) {
    re = echoPattern(secret);
    PATTERNS.set(secret, re);
    if (PATTERNS.size > 16) PATTERNS.delete(PATTERNS.keys().next().value);
  }
  return re;
}

/** `text` with `secrets` and every full card number hidden, once. */
export const redact = (text, secrets) => scrubber(secrets)(text);

function scrub(text, patterns) {
  const echoes = [];
  for (const [re, mask] of patterns) {
    for (const m of text.matchAll(re)) echoes.push({ start: m.index, end: m.index + m[0].length, mask });
  }
  echoes.sort((a, b) => a.start - b.start);
  const cards = [];
  cardSpans(text, cards);
  if (!echoes.length && !cards.length) return text;
  // Merged in order of their starts, echoes first; overlapping spans become
  // one (stars unless all were card masks, then the last card's mask).
  const merged = [];
  let e = 0, c = 0;
  while (e < echoes.length || c < cards.length) {
    const s = c >= cards.length || (e < echoes.length && echoes[e].start <= cards[c].start) ? echoes[e++] : cards[c++];
    const m = merged.at(-1);
    if (m && s.start < m.end) {
      if (s.mask === "***" || m.mask === "***") m.mask = "***";
      else if (s.end >= m.end) m.mask = s.mask;
      m.end = Math.max(m.end, s.end);
    } else merged.push({ ...s });
  }
  let out = "", copied = 0;
  for (const s of merged) {
    out += text.slice(copied, s.start) + s.mask;
    copied = s.end;
  }
  return out + text.slice(copied);
}

/**
 * `scrub` on every key, string and number of a parsed JSON value (the core
 * scrubs the raw text's tokens: a number it changes becomes a string). From
 * parsed values, a number is its shortest JS form, so digits beyond 2^53 or
 * an exponent read differently; the gateway sends neither in `errors`.
 */
function scrubValue(v, scrub) {
  if (typeof v === "string") return scrub(v);
  if (typeof v === "number") {
    const t = String(v);
    const c = scrub(t);
    return c === t ? v : c;
  }
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, scrub));
  if (v === null || typeof v !== "object") return v;
  const o = {};
  for (const [k, x] of Object.entries(v)) {
    Object.defineProperty(o, scrub(k), { value: scrubValue(x, scrub), enumerable: true, writable: true, configurable: true });
  }
  return o;
}

function clip(s) {
  const kept = Array.from(s.replace(/[\u0000-\u001F\u007F-\u009F]/g, ""));
  return chars(s) > 300 ? kept.slice(0, 300).join("") + "…" : kept.join("");
}

const u16 = (v) => Number.isInteger(v) && v >= 0 && v <= 65535;

function codeText(c) {
  if (typeof c === "string") return c !== "" && utf8Len(c) <= 64 ? c : undefined;
  return Number.isSafeInteger(c) && c >= 0 ? String(c) : undefined;
}

/**
 * `{ value }` or an error record. Plain JSON.parse loses the raw text, so a
 * few edge cases read differently from the wasm core (duplicate keys, a
 * `statusCode` written as 2e2): the gateway sends neither.
 */
export function decode(status, bodyText, requestId, secrets, cutOff) {
  const ok = status >= 200 && status < 300;
  const trimmed = bodyText.replace(TRIM, "");
  const withId = (e) => {
    if (requestId != null && requestId.length <= 200 && /^[\x21-\x7e]*$/.test(requestId)) e.requestId = requestId;
    return e;
  };
  if (cutOff) {
    // The body cut off after the status: a 2xx acted and its value is lost.
    const why = cutOff === "deadline" ? "the attempt's deadline passed while its body was read" : "the connection failed while its body was read";
    const message = `the answer was cut off after the gateway replied ${status}: ${why}`;
    return { error: withId(ok ? err(cutOff === "deadline" ? "timeout" : "network", message, { status, outcome: "unknown" }) : apiError(status, message)) };
  }
  if (trimmed === "") return ok ? { value: undefined } : { error: withId(apiError(status, statusMessage(status))) };
  let body;
  try {
    body = JSON.parse(trimmed);
  } catch {
    return { error: withId(ok
      ? decodeError(status, `the gateway answered ${status} with a body that is not JSON`)
      : apiError(status, statusMessage(status, undefined, "the body is not JSON"))) };
  }
  const env = trimmed[0] === "{" ? body : undefined;
  if (!env || !(typeof env.success === "boolean" || u16(env.statusCode))) {
    return ok ? { value: body } : { error: withId(apiError(status, statusMessage(status))) };
  }
  const inBody = u16(env.statusCode) ? env.statusCode : undefined;
  if (ok && env.success !== false && !(inBody >= 400)) return { value: "data" in env ? env.data : undefined };
  const st = ok && inBody >= 400 ? inBody : status;
  const items = Array.isArray(env.errors) && env.errors.every((i) => i && typeof i === "object" && !Array.isArray(i)
    && (i.message == null || typeof i.message === "string")) ? env.errors : [];
  const rawCode = items.length ? codeText(items[0].code) : undefined;
  const scrub = scrubber(secrets);
  const code = rawCode === undefined ? undefined : scrub(rawCode);
  let detail = items.length && typeof items[0].message === "string" ? items[0].message
    : typeof env.message === "string" ? env.message : undefined;
  if (detail !== undefined) detail = clip(scrub(detail));
  const e = apiError(st, statusMessage(st, code, detail));
  e.code = code;
  if (Array.isArray(env.errors)) e.errors = scrubValue(env.errors, scrub);
  return { error: withId(e) };
}

// ---- retries (engine/src/retry.rs) --------------------------------------------

// A failure is { kind: "network" | "timeout" | "undecodable" | "redirect" | "status", followed?, status?, retryAfterMs? }.
const TRANSIENT = [408, 429, 500, 502, 503, 504];
function transient(f) {
  return f.kind === "network" || f.kind === "timeout" || (f.kind === "status" && TRANSIENT.includes(f.status));
}
export function failureOutcome(f) {
  if (f.kind === "redirect") return f.followed ? "unknown" : "rejected";
  if (f.kind !== "status") return "unknown";
  if (f.status === 429 || (f.status === 503 && f.retryAfterMs !== undefined)) return "rejected";
  return f.status >= 500 || f.status === 408 ? "unknown" : "rejected";
}
function safeToRetry(cls, f) {
  if (cls === "neverRetried") return false;
  if (cls === "setsState") {
    return f.kind === "network" || f.kind === "timeout" || (f.kind === "status" && [408, 429, 502, 503, 504].includes(f.status));
  }
  return f.kind === "status" && (f.status === 429 || (f.status === 503 && f.retryAfterMs !== undefined));
}
export function decide(cls, f, attempts, maxRetries, jitter) {
  const giveUp = { retry: false, retryable: transient(f), outcome: failureOutcome(f) };
  if (!safeToRetry(cls, f) || attempts > maxRetries) return giveUp;
  if (f.retryAfterMs !== undefined) {
    return f.retryAfterMs > 60000 ? { ...giveUp, retryable: true } : { retry: true, delayMs: f.retryAfterMs };
  }
  const base = Math.min(500 * 2 ** Math.min(attempts - 1, 16), 8000);
  const j = Number.isFinite(jitter) ? Math.min(Math.max(jitter, 0), 1) : 0;
  return { retry: true, delayMs: Math.round(base * (1 - 0.25 * j)) };
}

const RANK = { notSent: 0, rejected: 1, unknown: 2 };
/** What two outcomes amount to together: the worse one (Outcome::then). */
const worst = (a, b) => (RANK[b] >= RANK[a] ? b : a);

const MONTH = { Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12 };
const WDAY = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const MON = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
const T = "([0-9]{2}):([0-9]{2}):([0-9]{2})";
const IMF = new RegExp(`^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{2}) ${MON} ([0-9]{4}) ${T} GMT$`);
const RFC850 = new RegExp(`^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, ([0-9]{2})-${MON}-([0-9]{2}) ${T} GMT$`);
const ASCTIME = new RegExp(`^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MON} ( [0-9]|[0-9]{2}) ${T} ([0-9]{4})$`);

/**
 * An HTTP date in any of the three forms RFC 9110 §5.6.7 requires (epoch
 * ms), or undefined; as strict as the `httpdate` crate the core uses: the
 * exact layouts, and a weekday and day that exist. (`Date.parse` reads all
 * three too, but takes asctime as local time and accepts much else.)
 */
function httpDate(s) {
  if (!/^[\x00-\x7f]*$/.test(s)) return undefined;
  s = s.replace(TRIM, "");
  let d;
  let m = IMF.exec(s);
  if (m) d = { wday: WDAY[m[1]], day: +m[2], mon: MONTH[m[3]], year: +m[4], h: +m[5], mi: +m[6], sec: +m[7] };
  else if ((m = RFC850.exec(s))) {
    const yy = +m[4];
    d = { wday: WDAY[m[1].slice(0, 3)], day: +m[2], mon: MONTH[m[3]], year: yy < 70 ? 2000 + yy : 1900 + yy, h: +m[5], mi: +m[6], sec: +m[7] };
  } else if ((m = ASCTIME.exec(s))) {
    d = { wday: WDAY[m[1]], mon: MONTH[m[2]], day: +m[3], h: +m[4], mi: +m[5], sec: +m[6], year: +m[7] };
  } else return undefined;
  if (!(d.sec < 60 && d.mi < 60 && d.h < 24 && d.day > 0 && d.day < 32 && d.year >= 1970 && d.year <= 9999)) return undefined;
  const t = Date.UTC(d.year, d.mon - 1, d.day, d.h, d.mi, d.sec);
  const back = new Date(t);
  if (back.getUTCDate() !== d.day || ((back.getUTCDay() + 6) % 7) + 1 !== d.wday) return undefined;
  return t;
}

/** `Retry-After` (delay-seconds or an HTTP date) as ms from `nowMs`; a past date is 0. */
export function parseRetryAfter(value, date, wallMs) {
  const v = value.replace(TRIM, "");
  // Any number of digits: beyond 60 s it is only ever too long.
  if (/^[0-9]+$/.test(v)) return Number(v) * 1000;
  const at = httpDate(v);
  if (at === undefined) return undefined;
  // From the answer's Date (RFC 9110 §10.2.3), else the wall clock.
  const from = (date == null ? undefined : httpDate(date.replace(TRIM, ""))) ?? (Number.isFinite(wallMs) && wallMs > 0 ? Math.trunc(wallMs) : 0);
  return Math.max(at - from, 0);
}

// ---- the call (engine/src/call.rs, and the driver in js/api.js) --------------

const TIMED_OUT = { timedOut: true };
const ABORTED = { aborted: true };

/**
 * Settles with `promise`'s value, or TIMED_OUT at `deadline` (epoch ms), or
 * ABORTED when `signal` fires; `onStop` runs on either of the latter. The
 * timer and listener go whichever way it ends.
 */
function within(promise, deadline, signal, onStop) {
  return new Promise((resolve) => {
    let timer;
    const end = (why) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(why);
    };
    const stop = (why) => {
      if (why === TIMED_OUT) fired = Math.max(fired, deadline);
      end(why);
      onStop?.(why);
    };
    const onAbort = () => stop(ABORTED);
    timer = setTimeout(stop, Math.max(0, deadline - now()), TIMED_OUT);
    signal?.addEventListener("abort", onAbort);
    promise.then(end, end);
  });
}

const FOREVER = new Promise(() => {});
const sleep = (deadline, signal) => within(FOREVER, deadline, signal);

/**
 * Monotonic ms: a step of the wall clock moves no deadline. Never before the
 * last deadline a timer fired for (Node's may fire up to 1 ms early).
 */
let fired = 0;
const now = () => Math.max(performance.timeOrigin + performance.now(), fired);

/**
 * What `fetch`'s promise came to: the answer read whole, or why not; `heard`
 * gets the answer as of its status and headers.
 */
async function answerOf(pending, heard) {
  let res;
  try {
    res = await pending;
  } catch (error) {
    return { transport: "network", error };
  }
  try {
    if (res === null || typeof res !== "object" || typeof res.text !== "function") return { transport: "badResponse" };
    const status = res.type === "opaqueredirect" ? 0 : res.status;
    const redirected = res.redirected === true;
    let requestId = null;
    let retryAfter = null;
    let date = null;
    try {
      requestId = res.headers.get("x-request-id");
      retryAfter = res.headers.get("retry-after");
      date = res.headers.get("date");
    } catch {}
    const head = { status, text: "", requestId, retryAfter, date, redirected };
    if (typeof status === "number") heard(head);
    let text;
    try {
      text = await res.text();
    } catch (error) {
      if (typeof status === "number") return { ...head, cutOff: "connection", error };
      throw error;
    }
    if (typeof text !== "string" || typeof status !== "number") return { transport: "badResponse" };
    return { ...head, text };
  } catch (error) {
    return { transport: "network", error };
  }
}

/** Sends `req` with `f` (never following a redirect) and reads the whole answer. */
function send(f, req, deadline, signal) {
  const ctrl = new AbortController();
  let pending;
  try {
    pending = f(req.url, { method: req.method, headers: req.headers, body: req.body, signal: ctrl.signal, redirect: "manual" });
  } catch {
    return Promise.resolve({ transport: "notSent" });
  }
  let head;
  return within(answerOf(pending, (h) => (head = h)), deadline, signal, (why) => ctrl.abort(why === ABORTED ? signal.reason : undefined))
    .then((r) => (r === TIMED_OUT && head ? { ...head, cutOff: "deadline" } : r));
}

function isTimeout(reason) {
  try {
    return reason?.name === "TimeoutError";
  } catch {
    return false;
  }
}

/** The caller's signal fired: kind "timeout" when its reason is a TimeoutError. */
function abortedError(timeout) {
  return timeout
    ? err("timeout", "the call's signal timed out", { retryable: true })
    : err("aborted", "the request was aborted");
}

/** A scrubbed copy of what fetch threw, for `cause`: name and message only. */
function failureCause(error, secrets) {
  try {
    let text = String(error?.message ?? error);
    const inner = error?.cause?.message;
    if (typeof inner === "string" && inner) text += ` (${inner})`;
    const copy = new Error(redact(text, secrets));
    copy.name = typeof error?.name === "string" ? error.name : "Error";
    return copy;
  } catch {
    return undefined;
  }
}

/** A redirect is never followed: the request carries a bearer token and secrets. */
function redirectFailure(r) {
  const status = r.status !== 0 && !r.redirected ? r.status : undefined;
  const message = r.redirected
    ? "the request was redirected to another location (the fetch function followed a redirect although told not to); its answer was not used"
    : `the gateway answered with a redirect${status !== undefined ? ` ${status}` : ""}; migo-cards does not follow redirects, so nothing was sent to the other location: check baseUrl`;
  return [{ kind: "redirect", followed: r.redirected }, apiError(status, message)];
}

const isStateConflict = (e) => e.kind === "api" && (e.status === 409 || e.code === "7213" || e.code === "7210");

/** A state conflict after an attempt of unknown effect may be the gateway refusing to repeat that effect. */
function ownEffect(first, refusal) {
  return {
    ...first,
    message: `${first.message}; a retry was then refused as a state conflict, which is what the gateway answers when the first attempt already took effect: the outcome is unknown, check the card's state before acting on it`,
    outcome: "unknown",
    retryable: false,
    cause: refusal,
  };
}

// ---- the client (engine/src/client.rs, engine/src/token.rs, js/api.js) ----------

const accessToken = (i) => headerValue("accessToken", i, 8192, configError);

function functionOrAbsent(field, i) {
  if (missing(i)) return false;
  if (i.t === "function") return true;
  fail(configError(field, `${field} must be a function`));
}

const REJECTED = 1;
const THREW = 2;

export class MigoClient {
  #config;
  #token;
  #provider;
  #onRequest;
  #fetch;
  // The provider's token and the ticket that fetched it; the fetch in
  // progress and until when it is shared (engine/src/token.rs).
  #current;
  #pending;
  #lastTicket = 0;
  // The provider's promise for a ticket: { ticket, promise }.
  #tokenFetch;

  constructor(options) {
    try {
      if (options === null || typeof options !== "object") {
        fail(configError("options", "new MigoClient(options) needs an options object"));
      }
      this.#config = makeConfig(options);
      const t = get(options, "accessToken"), p = get(options, "getAccessToken");
      if (!missing(t) && !missing(p)) fail(configError("accessToken", "give accessToken or getAccessToken, not both"));
      if (t.t === "function") fail(configError("accessToken", "accessToken must be a string; use getAccessToken for a function"));
      if (p.t === "function") this.#provider = getRaw(options, "getAccessToken").v;
      else if (!missing(p)) fail(configError("getAccessToken", "getAccessToken must be a function"));
      else this.#token = accessToken(t);
      if (functionOrAbsent("onRequest", get(options, "onRequest"))) this.#onRequest = getRaw(options, "onRequest").v;
      if (functionOrAbsent("fetch", get(options, "fetch"))) this.#fetch = getRaw(options, "fetch").v;
    } catch (x) {
      throw toJsError(x);
    }
  }

  /** A token for a call at `now` whose wait ends at `deadline`: { token, gen } | { fetch } | { join }. */
  #acquire(stale, now, deadline) {
    if (!this.#provider) return { token: this.#token, gen: 0 };
    const c = this.#current;
    if (c && c.gen !== stale) return c;
    this.#current = undefined;
    const p = this.#pending;
    if (p && (stale === undefined || p.ticket > stale) && now < p.sharedUntil) return { join: p.ticket };
    const ticket = ++this.#lastTicket;
    this.#pending = { ticket, sharedUntil: deadline };
    return { fetch: ticket };
  }

  #settled(ticket, token) {
    if (this.#pending?.ticket === ticket) this.#pending = undefined;
    if (token !== undefined && !(this.#current?.gen >= ticket)) this.#current = { token, gen: ticket };
  }

  #tokenPromise(ticket, start) {
    if (start) {
      let promise;
      try {
        promise = Promise.resolve(this.#provider.call(undefined)).then((value) => ({ value }), (reason) => ({ how: REJECTED, reason }));
      } catch (reason) {
        promise = Promise.resolve({ how: THREW, reason });
      }
      this.#tokenFetch = { ticket, promise };
    }
    return this.#tokenFetch?.ticket === ticket ? this.#tokenFetch.promise : Promise.resolve({ how: REJECTED });
  }

  #call(name, opts, read) {
    const ep = ENDPOINTS[name];
    let args, options, signal, f;
    try {
      args = collect(ep, this.#config, read);
      if (opts !== undefined && opts !== null && typeof opts !== "object") {
        fail(validation("options", "the options argument must be an object"));
      }
      const mr = get(opts, "maxRetries"), tm = get(opts, "timeoutMs"), sg = get(opts, "signal");
      options = {
        maxRetries: missing(mr) ? this.#config.maxRetries : intIn("maxRetries", mr, 0, 10),
        timeoutMs: missing(tm) ? this.#config.timeoutMs : intIn("timeoutMs", tm, 1, 2147483647),
      };
      if (!missing(sg)) {
        signal = signalOf(getRaw(opts, "signal").v);
        if (!signal) fail(validation("signal", "signal must be an AbortSignal"));
        if (signal.aborted) fail(abortedError(isTimeout(signal.reason)));
      }
      f = this.#fetch ?? globalThis.fetch;
      if (typeof f !== "function") {
        fail(configError("fetch", "no fetch function: this runtime has no global fetch; pass one as the client's `fetch` option"));
      }
    } catch (x) {
      return Promise.reject(toJsError(x));
    }
    return this.#execute(ep, args, options, signal, f).catch((x) => {
      throw toJsError(x);
    });
  }

  async #execute(ep, args, options, signal, f) {
    const argSecrets = SECRET.filter((p) => args[p] !== undefined).map((p) => args[p]);
    const tokens = [];
    const secrets = () => [...argSecrets, ...tokens];
    let attempts = 0, retries = 0, refreshed = false, stale, soFar = "notSent", firstUnknown, cause, event, req;
    // Ends the call with `e`, stamped with what the attempts amount to.
    const end = (e) => {
      e.attempts = attempts;
      e.outcome = worst(soFar, e.outcome);
      return new Fail(e, cause);
    };
    const report = () => {
      if (!this.#onRequest || !event) return;
      const ev = { operation: ep.name, method: req.method, url: req.redactedUrl, attempt: event.attempt, result: event.result };
      if (event.status !== undefined) ev.status = event.status;
      if (event.requestId != null) ev.requestId = redact(event.requestId, secrets());
      ev.durationMs = Math.floor(event.durationMs);
      event = undefined;
      try {
        this.#onRequest.call(undefined, ev);
      } catch {}
    };
    for (;;) {
      const t = now();
      const deadline = t + options.timeoutMs;
      const a = this.#acquire(stale, t, deadline);
      if (a.token === undefined) {
        const ticket = a.fetch ?? a.join;
        const r = await within(this.#tokenPromise(ticket, a.fetch !== undefined), deadline, signal);
        if (r === ABORTED) {
          cause = signal.reason;
          throw end(abortedError(isTimeout(cause)));
        }
        if (r === TIMED_OUT) {
          throw end(err("timeout", `getAccessToken did not settle within ${options.timeoutMs} ms`, { retryable: true }));
        }
        let token, problem;
        // The provider's own error is the cause, as it gave it.
        if (r.how !== undefined) cause = r.reason;
        if (r.how === REJECTED) problem = "getAccessToken rejected";
        else if (r.how === THREW) problem = "getAccessToken threw";
        else {
          try {
            token = accessToken(input(r.value));
          } catch {
            problem = "getAccessToken must resolve to a non-empty string of visible ASCII characters";
          }
        }
        this.#settled(ticket, token);
        if (problem) throw end(configError("getAccessToken", problem));
        continue;
      }
      const generation = a.gen;
      req = build(ep, args, this.#config.baseUrl, a.token, this.#config.applicationId);
      if (!tokens.includes(a.token)) tokens.push(a.token);
      attempts++;
      const sentAt = now();
      const r = await send(f, req, sentAt + options.timeoutMs, signal);
      const at = now();
      const record = (result, status, requestId) => {
        event = { attempt: attempts, result, status, requestId, durationMs: Math.max(0, at - sentAt) };
      };
      let failure, error;
      if (r.transport === "notSent") {
        // Nothing left the client: a broken fetch, not a gateway problem.
        attempts--;
        throw end(configError("fetch", "the fetch function threw before sending the request"));
      } else if (r === ABORTED) {
        record("aborted");
        report();
        cause = signal.reason;
        soFar = worst(soFar, "unknown");
        throw end(abortedError(isTimeout(cause)));
      } else if (r === TIMED_OUT) {
        record("timeout");
        failure = { kind: "timeout" };
        error = err("timeout", `the request timed out after ${options.timeoutMs} ms`, { retryable: true, outcome: "unknown" });
      } else if (r.transport !== undefined) {
        record("network");
        if (r.error !== undefined) cause = failureCause(r.error, secrets());
        failure = { kind: "network" };
        error = err("network", r.transport === "badResponse" ? "the fetch function did not give a readable Response"
          : "could not reach the Migo gateway (network error or blocked by CORS)", { retryable: true, outcome: "unknown" });
      } else {
        record(r.cutOff === undefined ? "response" : r.cutOff === "deadline" ? "timeout" : "network", r.status, r.requestId);
        if (r.error !== undefined) cause = failureCause(r.error, secrets());
        if (r.redirected || r.status === 0 || (r.status >= 300 && r.status < 400)) {
          [failure, error] = redirectFailure(r);
        } else {
          const d = decode(r.status, r.text, r.requestId, secrets(), r.cutOff);
          if (!d.error) {
            report();
            return d.value;
          }
          error = d.error;
          if (error.kind !== "api") failure = { kind: "undecodable" };
          else if (this.#provider && !refreshed && error.status === 401 && error.code === "TOKEN_EXPIRED") {
            // Refused before acting: the same request once more with a new token.
            refreshed = true;
            soFar = worst(soFar, "rejected");
            stale = generation;
            report();
            continue;
          } else {
            const retryAfterMs = r.retryAfter == null ? undefined : parseRetryAfter(r.retryAfter, r.date, Date.now());
            failure = { kind: "status", status: error.status ?? 0, retryAfterMs };
          }
        }
      }
      report();
      const outcome = failureOutcome(failure);
      if (outcome === "rejected" && ep.retry === "setsState" && isStateConflict(error) && firstUnknown) {
        throw end(ownEffect(firstUnknown, error));
      }
      if (outcome === "unknown" && !firstUnknown) firstUnknown = { ...error };
      soFar = worst(soFar, outcome);
      retries++;
      const d = decide(ep.retry, failure, retries, options.maxRetries, Math.random());
      if (!d.retry) {
        error.outcome = d.outcome;
        error.retryable = d.retryable;
        throw end(error);
      }
      if ((await sleep(at + d.delayMs, signal)) === ABORTED) {
        cause = signal.reason;
        throw end(abortedError(isTimeout(cause)));
      }
    }
  }

  // The methods, one per table row: arguments as the row names them, then the options.
  static {
    for (const [name, ep] of Object.entries(ENDPOINTS)) {
      const n = ep.args.length;
      const method = {
        [name](...args) {
          // One reading per parameter: a positional argument, or a property of an object argument.
          const read = (p) => {
            for (let i = 0; i < n; i++) {
              const a = ep.args[i];
              if (a === FIELD[p]) return input(args[i]);
              if (typeof a !== "string" && a.includes(FIELD[p])) return get(args[i], FIELD[p]);
            }
            return ABSENT;
          };
          return this.#call(name, args[n], read);
        },
      }[name];
      Object.defineProperty(MigoClient.prototype, name, { value: method, writable: true, configurable: true });
    }
  }

  get environment() { return this.#config.environment; }
  get baseUrl() { return this.#config.baseUrl; }
  toJSON() {
    const o = { environment: this.environment, baseUrl: this.baseUrl };
    if (this.#config.applicationId !== undefined) o.applicationId = this.#config.applicationId;
    return o;
  }
  toString() { return `MigoClient(${this.environment}, ${this.baseUrl})`; }
}

function queryText(field, s) {
  if (s === "") fail(validation(field, `${field} must not be empty`));
  if (s.length > MAX_ID_CHARS && chars(s) > MAX_ID_CHARS) fail(validation(field, `${field} must be at most ${MAX_ID_CHARS} characters`));
  return s;
}

export function activationUrl(options) {
  try {
    const u = get(options, "userId"), c = get(options, "client");
    const userId = u.t === "string" ? queryText("userId", u.v) : anyId("userId", u);
    let client;
    if (c.t === "string") client = queryText("client", c.v);
    else if (!missing(c)) fail(validation("client", `client must be a string, got ${c.t}`));
    const env = environment("environment", get(options, "environment"), validation);
    let url = `${ENVS[env].web}/card-activation?`;
    if (client !== undefined) url += `client=${percentEncode(client)}&`;
    return `${url}userId=${percentEncode(userId)}`;
  } catch (x) {
    throw toJsError(x);
  }
}

export function isValidCardNumber(card) {
  try {
    cardNumber(input(card));
    return true;
  } catch {
    return false;
  }
}

export default function init() {
  return Promise.resolve();
}
