// The fault scenario set, shared by faults.test.mjs (which checks every
// outcome) and secrets.test.mjs (which replays the set and looks for leaked
// secrets). Not a test file itself.
//
// A scenario queues one fault for every operation's own path (each operation
// works on its own card, so the operations run concurrently and their
// attempts are told apart in the gateway's request log), runs the calls,
// waits until the gateway has finished every request (a delayed request is
// still processed after the client gave up on it), and returns what happened.

import { operations } from "migo-cards/testing";

export const PAN_LINK_PREFIX = "5312";

/** A random Luhn-valid 16-digit card number starting with `prefix`. */
export function randomPan(prefix = PAN_LINK_PREFIX) {
  let body = prefix;
  while (body.length < 15) body += String(Math.floor(Math.random() * 10));
  for (let d = 0; d < 10; d++) if (luhn(body + d)) return body + d;
  throw new Error("unreachable");
}

export function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The retry classes, as the package's operations list names them. */
export const CLASS = { SETS_STATE: "setsState", ACTS_AT_MOST_ONCE: "actsAtMostOnce", NEVER_RETRIED: "neverRetried" };

// What each operation needs of the gateway to succeed: the key of the card
// prepared for it in the state it needs (see prepare()), values for its
// parameters where the defaults below do not do (a value or a function of
// the context), and `resolved`, which checks what a successful call returned.
// Its retry class, method, path and arguments come from the package.
export const FIXTURES = {
  activateCard: { card: "inactive", userId: "1001", resolved: (v) => v.status === "ACTIVE" },
  blockCard: { card: "active", userId: "1001", resolved: (v) => v.status === "BLOCKED" },
  unblockCard: { card: "blocked", userId: "1001", cardId: (c) => String(c.blocked.cardId), resolved: (v) => v.status === "ACTIVE" },
  blockCardForUser: { card: "active2", authUserId: "1002", resolved: (v) => v.status === "BLOCKED" },
  unblockCardForUser: { card: "blocked2", authUserId: 1002, resolved: (v) => v.status === "ACTIVE" },
  updateCardAlias: { card: "alias", alias: "Groceries", resolved: (v) => v.alias === "Groceries" },
  // Operations that act at most once use users no setup request touches.
  issueCard: { userId: "1003", resolved: (v) => v.userId === "1003" },
  linkCard: { userId: "alice", alias: "Linked", resolved: (v) => v.alias === "Linked" },
  createStatement: { card: "statement", month: 3, year: 2026, resolved: (v) => v.month === 3 },
  getCardDetails: { card: "details", userId: "1002", resolved: (v) => /^\d{16}$/.test(v.pan) },
  // A PIN equal to a gateway code, and one with a leading zero.
  setCardPin: { card: "pin", pin: "7213", resolved: (v) => v === undefined },
  setCardPinForUser: { card: "pin", authUserId: "1002", pin: "0420", resolved: (v) => v === undefined },
};

/** A parameter's value for an operation: its fixture's, else one from the prepared context. */
function value(fixture, param, ctx) {
  const given = fixture[param];
  if (given !== undefined) return typeof given === "function" ? given(ctx) : given;
  switch (param) {
    case "cardId":
      return ctx[fixture.card].cardId;
    case "userId":
      return ctx[fixture.card].userId;
    case "card":
      return ctx.linkPan;
    case "viewToken":
      return ctx.viewToken;
    default:
      return undefined; // optional, or defaulted from the client's options
  }
}

/**
 * Each operation of the package: its name, retry class (`cls`), parameters,
 * method, the path of its request for a context, and how to call it.
 */
export const OPS = operations.map((op) => {
  const fixture = FIXTURES[op.name];
  if (!fixture) throw new Error(`${op.name}: add its fixture to FIXTURES in tests/js/fault-scenarios.mjs`);
  const args = (ctx) =>
    op.args.map((a) =>
      typeof a === "string"
        ? value(fixture, a, ctx)
        : Object.fromEntries(a.map((p) => [p, value(fixture, p, ctx)]).filter(([, v]) => v !== undefined)),
    );
  return {
    name: op.name,
    cls: op.retry,
    params: op.args.flat(),
    card: fixture.card,
    method: op.method,
    resolved: fixture.resolved,
    path: (ctx) => op.path.replace(/\{(\w+)\}/g, (_, p) => encodeURIComponent(String(value(fixture, p, ctx)))),
    call: (client, ctx, options) => client[op.name](...args(ctx), options),
  };
});

export const opByName = Object.fromEntries(OPS.map((o) => [o.name, o]));

/** The first operation of a retry class. */
export const anyOf = (cls) => OPS.find((o) => o.cls === cls);

/** How many of the operation's requests the gateway acted on (answered 2xx itself, whatever a fault then did). */
export function actedOn(state, ctx, op) {
  return state.requests.filter((r) => r.method === op.method && r.path === `/rest${op.path(ctx)}` && r.processed >= 200 && r.processed < 300).length;
}

/** The gateway's REST API without the SDK, for setup. */
export async function rest(gw, token, method, path, body) {
  const res = await fetch(gw.api + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`setup ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** Card numbers and CVVs that cannot be confused with other numbers in the
 * haystacks the secrets test searches (statuses, timeouts, ids). */
export function distinctiveCvv(cvv) {
  return Number(cvv) >= 600 && !["1000", "1500"].includes(cvv);
}

/**
 * Resets the gateway and prepares one card per operation in the state it
 * needs. With `readSecrets`, also reads every card's PAN and CVV (raw REST,
 * not the SDK) and re-issues the details card until its CVV is distinctive.
 */
export async function prepare(gw, token, { readSecrets = false, linkPan = randomPan() } = {}) {
  await gw.reset();
  const issue = (user = "1001") => rest(gw, token, "POST", `/users/${user}/cards/virtuals`);
  const act = (c, a) => rest(gw, token, "POST", `/users/${c.userId}/cards/${c.cardId}/${a}`);
  const ctx = { linkPan, secrets: { pans: [linkPan], cvvs: [], viewTokens: [] } };
  ctx.inactive = await issue();
  ctx.active = await issue();
  await act(ctx.active, "activate");
  ctx.blocked = await issue();
  await act(ctx.blocked, "activate");
  await act(ctx.blocked, "block");
  ctx.active2 = await issue();
  await act(ctx.active2, "activate");
  ctx.blocked2 = await issue();
  await act(ctx.blocked2, "activate");
  await act(ctx.blocked2, "block");
  ctx.alias = await issue();
  ctx.statement = await issue();
  ctx.pin = await issue();
  ctx.details = await issue("1002");
  if (readSecrets) {
    const read = async (c) => {
      const vt = await gw.viewToken(c.cardId);
      ctx.secrets.viewTokens.push(vt);
      const d = await rest(gw, token, "GET", `/users/${c.userId}/cards/${c.cardId}?token=${vt}`);
      ctx.secrets.pans.push(d.pan);
      return d;
    };
    for (const key of ["inactive", "active", "blocked", "active2", "blocked2", "alias", "statement"]) await read(ctx[key]);
    for (let i = 0; ; i++) {
      const d = await read(ctx.details);
      if (distinctiveCvv(d.cvv)) {
        ctx.secrets.cvvs.push(d.cvv);
        break;
      }
      if (i > 200) throw new Error("no distinctive CVV in 200 cards");
      ctx.details = await issue("1002");
    }
  }
  ctx.viewToken = await gw.viewToken(ctx.details.cardId);
  ctx.secrets.viewTokens.push(ctx.viewToken);
  ctx.setupRequests = (await gw.requests()).length;
  return ctx;
}

const finished = (r) => r.status !== null || r.fault !== null;

/**
 * The gateway's state once it has answered (or dropped) every logged request,
 * or after `maxMs`. A request the client gave up on during a delay fault is
 * abandoned by migo-mock (its handler is dropped with the connection): it is
 * never processed and its log entry never gets a status, so callers pass the
 * longest delay they queued as `maxMs`.
 */
export async function waitIdle(gw, maxMs = 1000) {
  const end = Date.now() + maxMs;
  for (;;) {
    const state = await gw.state();
    if (state.requests.every(finished) || Date.now() > end) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---- the fault kinds ------------------------------------------------------

const HTML_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>";

/** What a failed call must look like. */
const fail = (attempts, kind, status, code, retryable, outcome) => ({ attempts, kind, status, code, retryable, outcome });
/** Expectations by retry class: sets a state (with maxRetries 2), acts at most once, never retried. */
const byClass = (setsState, atMostOnce, never = { ...atMostOnce }) => ({
  [CLASS.SETS_STATE]: setsState,
  [CLASS.ACTS_AT_MOST_ONCE]: atMostOnce,
  [CLASS.NEVER_RETRIED]: never,
});

/**
 * Every fault of the suite. `spec` is queued (times: 5, so a forbidden extra
 * attempt would fail too) for each operation's path. `options` are the
 * per-call options. `expect[class]` is the final error (or `{ resolves }`).
 */
export const FAULTS = [
  {
    name: "503 without Retry-After",
    spec: { status: 503 },
    expect: byClass(fail(3, "api", 503, "503", true, "unknown"), fail(1, "api", 503, "503", true, "unknown")),
  },
  {
    name: "503 with Retry-After: 0",
    spec: { status: 503, retryAfter: "0" },
    expect: byClass(fail(3, "api", 503, "503", true, "rejected"), fail(3, "api", 503, "503", true, "rejected"), fail(1, "api", 503, "503", true, "rejected")),
  },
  {
    name: "429 without Retry-After",
    spec: { status: 429 },
    expect: byClass(fail(3, "api", 429, "429", true, "rejected"), fail(3, "api", 429, "429", true, "rejected"), fail(1, "api", 429, "429", true, "rejected")),
  },
  {
    name: "429 with Retry-After: 0",
    spec: { status: 429, retryAfter: 0 },
    expect: byClass(fail(3, "api", 429, "429", true, "rejected"), fail(3, "api", 429, "429", true, "rejected"), fail(1, "api", 429, "429", true, "rejected")),
  },
  {
    name: "502",
    spec: { status: 502 },
    expect: byClass(fail(3, "api", 502, "502", true, "unknown"), fail(1, "api", 502, "502", true, "unknown")),
  },
  {
    name: "504",
    spec: { status: 504 },
    expect: byClass(fail(3, "api", 504, "504", true, "unknown"), fail(1, "api", 504, "504", true, "unknown")),
  },
  {
    name: "408",
    spec: { status: 408 },
    expect: byClass(fail(3, "api", 408, "408", true, "unknown"), fail(1, "api", 408, "408", true, "unknown")),
  },
  {
    // 500 is not in the retry list of any class.
    name: "500",
    spec: { status: 500 },
    expect: byClass(fail(1, "api", 500, "500", true, "unknown"), fail(1, "api", 500, "500", true, "unknown")),
  },
  {
    name: "409 (a refusal: never retried)",
    spec: { status: 409 },
    expect: byClass(fail(1, "api", 409, "409", false, "rejected"), fail(1, "api", 409, "409", false, "rejected")),
  },
  {
    name: "dropped connection",
    spec: { drop: true },
    expect: byClass(fail(3, "network", undefined, undefined, true, "unknown"), fail(1, "network", undefined, undefined, true, "unknown")),
  },
  {
    name: "slow response past the timeout",
    spec: { delayMs: 1500 },
    options: { timeoutMs: 300 },
    expect: byClass(fail(3, "timeout", undefined, undefined, true, "unknown"), fail(1, "timeout", undefined, undefined, true, "unknown")),
  },
  {
    name: "malformed JSON in a 200",
    spec: { malformed: true },
    expect: byClass(fail(1, "decode", 200, undefined, false, "unknown"), fail(1, "decode", 200, undefined, false, "unknown")),
  },
  {
    name: "malformed JSON in a 503 with Retry-After",
    spec: { malformed: true, status: 503, retryAfter: "0" },
    expect: byClass(fail(3, "api", 503, undefined, true, "rejected"), fail(3, "api", 503, undefined, true, "rejected"), fail(1, "api", 503, undefined, true, "rejected")),
  },
  {
    name: "HTML error page (502, text/html)",
    spec: { status: 502, body: HTML_PAGE, contentType: "text/html" },
    expect: byClass(fail(3, "api", 502, undefined, true, "unknown"), fail(1, "api", 502, undefined, true, "unknown")),
  },
  {
    name: "empty 200",
    spec: { status: 200, body: "" },
    expect: byClass({ resolves: undefined, attempts: 1 }, { resolves: undefined, attempts: 1 }),
  },
  {
    name: "no fault",
    spec: null,
    expect: byClass({ resolves: "data", attempts: 1 }, { resolves: "data", attempts: 1 }),
  },
];

/** Runs one fault kind against every operation concurrently. */
export async function runScenario(gw, client, ctx, fault, { ops = OPS } = {}) {
  if (fault.spec) {
    for (const op of ops) await gw.fault({ ...fault.spec, method: op.method, path: op.path(ctx), times: 5 });
  }
  const started = Date.now();
  const settled = await Promise.all(
    ops.map(async (op) => {
      const t0 = Date.now();
      try {
        const value = await op.call(client, ctx, fault.options);
        return { op, ok: true, value, ms: Date.now() - t0 };
      } catch (error) {
        return { op, ok: false, error, ms: Date.now() - t0 };
      }
    }),
  );
  const state = await waitIdle(gw, (fault.spec?.delayMs ?? 0) + 300);
  await gw.clearFaults();
  const requests = state.requests.slice(ctx.setupRequests);
  const sent = (op) => requests.filter((r) => r.method === op.method && r.path === `/rest${op.path(ctx)}`);
  return { results: settled, requests, state, sent, ms: Date.now() - started };
}
