// A plain-JavaScript client for the same ten Migo card endpoints, written
// for the benchmarks (BENCHMARKS.md) as the honest alternative to the wasm
// package: the same validation rules and messages, the same MigoError
// fields, the same envelope decoding, token refresh, timeouts, abort and
// retry rules. It mirrors src/core/ rule by rule; where plain JS makes an
// edge case differ, the comment says so. It is not published.

export class MigoError extends Error {
  constructor(message, details) {
    super(message);
    Object.defineProperty(this, "name", { value: "MigoError", configurable: true, writable: true });
    if (details && typeof details === "object") {
      for (const key of Object.keys(details)) this[key] = details[key];
    }
  }
}

// ---- errors (src/core/error.rs) -------------------------------------------

function err(kind, message, extra) {
  return { kind, message, field: undefined, status: undefined, code: undefined, errors: undefined,
    requestId: undefined, attempts: 0, retryable: false, outcome: "notSent", ...extra };
}
const validation = (field, message) => err("validation", message, { field });
const configError = (field, message) => err("config", message, { field });
const apiError = (status, message) => err("api", message, { status, outcome: "rejected" });
const decodeError = (status, message) => err("decode", message, { status, outcome: "unknown" });

function toJs(e) {
  const d = { kind: e.kind };
  if (e.field !== undefined) d.field = e.field;
  if (e.status !== undefined) d.status = e.status;
  if (e.code !== undefined) d.code = e.code;
  if (e.errors !== undefined) d.errors = e.errors;
  if (e.requestId !== undefined) d.requestId = e.requestId;
  d.attempts = e.attempts;
  d.retryable = e.retryable;
  d.outcome = e.outcome;
  return new MigoError(e.message, d);
}

class Fail {
  constructor(e) { this.e = e; }
}
const fail = (e) => { throw new Fail(e); };

// ---- reading JS values (src/wasm/convert.rs) -------------------------------

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

// ---- validation (src/core/validate.rs) -------------------------------------

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

// ---- environments and options (src/core/config.rs) -------------------------

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

const FIELD = ["userId", "authUserId", "cardId", "clientId", "card", "alias", "viewToken", "month", "year"];
const [UserId, AuthUserId, CardId, ClientId, Card, Alias, ViewToken, Month, Year] = FIELD.keys();
const WIRE = FIELD.map((f) => (f === "viewToken" ? "token" : f));
const SECRET = [Card, ViewToken];

const E = (name, method, path, query, body, optional, retry) => ({ name, method, path, query, body, optional, retry,
  params: [...path.filter((s) => typeof s === "number"), ...query, ...body] });
export const ENDPOINTS = Object.fromEntries([
  E("issueCard", "POST", ["users", UserId, "cards", "virtuals"], [], [], [], "creating"),
  E("linkCard", "POST", ["users", UserId, "cards"], [ClientId], [Card, Alias], [Alias], "creating"),
  E("activateCard", "POST", ["users", UserId, "cards", CardId, "activate"], [], [], [], "idempotent"),
  E("blockCard", "POST", ["users", UserId, "cards", CardId, "block"], [], [], [], "idempotent"),
  E("unblockCard", "POST", ["users", UserId, "cards", CardId, "unblock"], [], [], [], "idempotent"),
  E("blockCardForUser", "POST", ["cards", CardId, "users", AuthUserId, "block"], [], [], [], "idempotent"),
  E("unblockCardForUser", "POST", ["cards", CardId, "users", AuthUserId, "unblock"], [], [], [], "idempotent"),
  E("updateCardAlias", "PATCH", ["cards", CardId], [], [Alias], [], "idempotent"),
  E("getCardDetails", "GET", ["users", UserId, "cards", CardId], [ViewToken], [], [], "never"),
  E("createStatement", "POST", ["cards", CardId, "statements"], [], [Month, Year], [], "creating"),
].map((e) => [e.name, e]));

function validateParam(p, raw) {
  switch (p) {
    case UserId: case AuthUserId: return pathId(FIELD[p], raw);
    case CardId: return cardId(raw);
    case ClientId: return text("clientId", raw, MAX_ID_CHARS);
    case Card: return cardNumber(raw);
    case Alias: return alias(raw);
    case ViewToken: return text("viewToken", raw, 4096);
    case Month: return intIn("month", raw, 1, 12);
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

/** The request for validated `args`: `{ method, url, headers, body }`. */
export function build(ep, args, baseUrl, token, applicationId) {
  let url = baseUrl.replace(/\/+$/, "");
  for (const s of ep.path) url += "/" + (typeof s === "number" ? percentEncode(String(args[s])) : s);
  let sep = "?";
  for (const p of ep.query) {
    if (args[p] === undefined) continue;
    url += `${sep}${WIRE[p]}=${percentEncode(String(args[p]))}`;
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
  return { method: ep.method, url, headers, body };
}

// ---- responses (src/core/response.rs) ---------------------------------------

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

function redact(s, secrets) {
  for (const x of secrets) if (x.length >= 4) s = s.split(x).join("***");
  return s;
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
export function decode(status, bodyText, requestId, secrets) {
  const ok = status >= 200 && status < 300;
  const trimmed = bodyText.replace(TRIM, "");
  const withId = (e) => {
    if (requestId != null && requestId.length <= 200 && /^[\x21-\x7e]*$/.test(requestId)) e.requestId = requestId;
    return e;
  };
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
  const code = items.length ? codeText(items[0].code) : undefined;
  let detail = items.length && typeof items[0].message === "string" ? items[0].message
    : typeof env.message === "string" ? env.message : undefined;
  if (detail !== undefined) detail = clip(redact(detail, secrets));
  const e = apiError(st, statusMessage(st, code, detail));
  e.code = code;
  if (Array.isArray(env.errors)) e.errors = JSON.parse(redact(JSON.stringify(env.errors), secrets));
  return { error: withId(e) };
}

// ---- retries (src/core/retry.rs) --------------------------------------------

function transient(f) {
  return f.kind === "network" || f.kind === "timeout" || (f.kind === "status" && [408, 429, 500, 502, 503, 504].includes(f.status));
}
function failureOutcome(f) {
  if (f.kind !== "status") return "unknown";
  if (f.status === 429 || (f.status === 503 && f.retryAfterMs !== undefined)) return "rejected";
  return f.status >= 500 || f.status === 408 ? "unknown" : "rejected";
}
function safeToRetry(cls, f) {
  if (cls === "never") return false;
  if (cls === "idempotent") {
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

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export function parseRetryAfter(value, nowMs) {
  const v = value.replace(TRIM, "");
  if (/^[0-9]{1,10}$/.test(v)) return Number(v) * 1000;
  const m = /^[A-Za-z]{3}, ([0-9]+) ([A-Z][a-z]{2}) ([0-9]+) ([0-9]+):([0-9]+):([0-9]+) GMT$/.exec(v);
  if (!m) return undefined;
  const [day, mon, year, h, mi, s] = [+m[1], MONTHS.indexOf(m[2]), +m[3], +m[4], +m[5], +m[6]];
  if (day < 1 || day > 31 || mon < 0 || year < 1970 || year > 9999 || h > 23 || mi > 59 || s > 60) return undefined;
  const at = Date.UTC(year, mon, 1) + (day - 1) * 86400000 + ((h * 60 + mi) * 60 + s) * 1000;
  return Math.max(at - (Number.isFinite(nowMs) && nowMs > 0 ? Math.trunc(nowMs) : 0), 0);
}

// ---- transport (src/wasm/transport.rs) --------------------------------------

const TIMEOUT = "migo-cards:timeout";

function signalOf(v) {
  const a = getRaw(v, "aborted"), add = getRaw(v, "addEventListener"), rm = getRaw(v, "removeEventListener");
  return a.ok && typeof a.v === "boolean" && add.ok && typeof add.v === "function" && rm.ok && typeof rm.v === "function"
    ? v : undefined;
}
const isAborted = (s) => { try { return s.aborted === true; } catch { return false; } };

async function send(req, timeoutMs, signal) {
  const ctrl = new AbortController();
  const onTimeout = () => ctrl.abort(TIMEOUT);
  const onAbort = () => ctrl.abort();
  const timer = setTimeout(onTimeout, timeoutMs);
  let listening = false;
  try {
    if (signal) {
      try { signal.addEventListener("abort", onAbort); listening = true; } catch {}
      if (isAborted(signal)) return { fail: "aborted" };
    }
    try {
      const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: ctrl.signal });
      const body = await res.text();
      return { status: res.status, body, requestId: res.headers.get("x-request-id"), retryAfter: res.headers.get("retry-after") };
    } catch {
      return { fail: signal && isAborted(signal) ? "aborted" : ctrl.signal.aborted ? "timeout" : "network" };
    }
  } finally {
    clearTimeout(timer);
    if (listening) try { signal.removeEventListener("abort", onAbort); } catch {}
  }
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(done, ms);
    function done() { if (signal) signal.removeEventListener("abort", stop); resolve(); }
    function stop() { clearTimeout(t); reject(); }
    if (signal) {
      signal.addEventListener("abort", stop);
      if (isAborted(signal)) stop();
    }
  });
}

// ---- the client (src/wasm/client.rs) ----------------------------------------

const accessToken = (i) => headerValue("accessToken", i, 8192, configError);

export class MigoClient {
  #config;
  #token;
  #provider;
  #cached;
  #pending;

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
    } catch (x) {
      throw x instanceof Fail ? toJs(x.e) : x;
    }
  }

  async #getToken(stale) {
    if (!this.#provider) return this.#token;
    if (this.#cached !== undefined && this.#cached !== stale) return this.#cached;
    const bad = (m) => fail(configError("getAccessToken", m));
    let promise = this.#pending;
    if (!promise) {
      let value;
      try { value = this.#provider.call(undefined); } catch { bad("getAccessToken threw"); }
      promise = this.#pending = Promise.resolve(value);
    }
    let value, rejected = false;
    try { value = await promise; } catch { rejected = true; }
    if (this.#pending === promise) this.#pending = undefined;
    if (rejected) bad("getAccessToken rejected");
    try {
      this.#cached = accessToken(input(value));
    } catch {
      bad("getAccessToken must resolve to a non-empty string of visible ASCII characters");
    }
    return this.#cached;
  }

  #call(name, opts, read) {
    const ep = ENDPOINTS[name];
    let args, options, signal;
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
      }
    } catch (x) {
      return Promise.reject(x instanceof Fail ? toJs(x.e) : x);
    }
    return this.#execute(ep, args, options, signal).catch((x) => {
      throw x instanceof Fail ? toJs(x.e) : x;
    });
  }

  async #execute(ep, args, options, signal) {
    const secrets = SECRET.filter((p) => args[p] !== undefined).map((p) => args[p]);
    let attempts = 0, retries = 0, refreshed = false, stale;
    const aborted = () => err("aborted", "the request was aborted", { attempts, outcome: attempts ? "unknown" : "notSent" });
    for (;;) {
      if (signal && isAborted(signal)) fail(aborted());
      let token;
      try {
        token = await this.#getToken(stale);
      } catch (x) {
        if (x instanceof Fail) x.e.attempts = attempts;
        throw x;
      }
      stale = undefined;
      const req = build(ep, args, this.#config.baseUrl, token, this.#config.applicationId);
      attempts++;
      const reply = await send(req, options.timeoutMs, signal);
      let failure, error;
      if (reply.fail === "aborted") fail(aborted());
      if (reply.fail === "timeout") {
        failure = { kind: "timeout" };
        error = err("timeout", `the request timed out after ${options.timeoutMs} ms`, { retryable: true, outcome: "unknown" });
      } else if (reply.fail) {
        failure = { kind: "network" };
        error = err("network", "could not reach the Migo gateway (network error or blocked by CORS)", { retryable: true, outcome: "unknown" });
      } else {
        const r = decode(reply.status, reply.body, reply.requestId, [...secrets, token]);
        if (!r.error) return r.value;
        error = r.error;
        if (error.status === 401 && error.code === "TOKEN_EXPIRED" && this.#provider && !refreshed) {
          refreshed = true;
          stale = token;
          continue;
        }
        failure = error.kind === "decode" ? { kind: "undecodable" }
          : { kind: "status", status: error.status, retryAfterMs: reply.retryAfter == null ? undefined : parseRetryAfter(reply.retryAfter, Date.now()) };
      }
      retries++;
      const d = decide(ep.retry, failure, retries, options.maxRetries, Math.random());
      if (d.retry) {
        try { await sleep(d.delayMs, signal); } catch { fail(aborted()); }
      } else {
        error.attempts = attempts;
        error.retryable = d.retryable;
        error.outcome = d.outcome;
        fail(error);
      }
    }
  }

  issueCard(userId, options) {
    return this.#call("issueCard", options, () => input(userId));
  }
  linkCard(userId, card, options) {
    return this.#call("linkCard", options, (p) => (p === UserId ? input(userId) : get(card, FIELD[p])));
  }
  activateCard(userId, cardId, options) {
    return this.#call("activateCard", options, (p) => input(p === UserId ? userId : cardId));
  }
  blockCard(userId, cardId, options) {
    return this.#call("blockCard", options, (p) => input(p === UserId ? userId : cardId));
  }
  unblockCard(userId, cardId, options) {
    return this.#call("unblockCard", options, (p) => input(p === UserId ? userId : cardId));
  }
  blockCardForUser(cardId, authUserId, options) {
    return this.#call("blockCardForUser", options, (p) => input(p === CardId ? cardId : authUserId));
  }
  unblockCardForUser(cardId, authUserId, options) {
    return this.#call("unblockCardForUser", options, (p) => input(p === CardId ? cardId : authUserId));
  }
  updateCardAlias(cardId, alias, options) {
    return this.#call("updateCardAlias", options, (p) => input(p === CardId ? cardId : alias));
  }
  getCardDetails(userId, cardId, viewToken, options) {
    return this.#call("getCardDetails", options, (p) => input(p === UserId ? userId : p === CardId ? cardId : viewToken));
  }
  createStatement(cardId, period, options) {
    return this.#call("createStatement", options, (p) => (p === CardId ? input(cardId) : get(period, FIELD[p])));
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
    throw x instanceof Fail ? toJs(x.e) : x;
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
