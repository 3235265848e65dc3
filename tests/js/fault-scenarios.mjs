// The fault scenario set of issue #3, shared by faults.test.mjs (which checks
// every outcome) and secrets.test.mjs (which replays the set and looks for
// leaked secrets). Not a test file itself.
//
// A scenario queues one fault for every operation's own path (each operation
// works on its own card, so the ten operations run concurrently and their
// attempts are told apart in the gateway's request log), runs the ten calls,
// waits until the gateway has finished every request (a delayed request is
// still processed after the client gave up on it), and returns what happened.

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

export const CLASS = { IDEMPOTENT: "idempotent", CREATING: "creating", NEVER: "never" };

// Each operation: its retry class, the request it sends, and how to call it.
// `card` is the key of the card prepared for it (see prepare()).
export const OPS = [
  { name: "activateCard", cls: CLASS.IDEMPOTENT, card: "inactive", method: "POST", path: (c) => `/users/1001/cards/${c.inactive.cardId}/activate`, call: (cl, c, o) => cl.activateCard("1001", c.inactive.cardId, o) },
  { name: "blockCard", cls: CLASS.IDEMPOTENT, card: "active", method: "POST", path: (c) => `/users/1001/cards/${c.active.cardId}/block`, call: (cl, c, o) => cl.blockCard("1001", c.active.cardId, o) },
  { name: "unblockCard", cls: CLASS.IDEMPOTENT, card: "blocked", method: "POST", path: (c) => `/users/1001/cards/${c.blocked.cardId}/unblock`, call: (cl, c, o) => cl.unblockCard("1001", String(c.blocked.cardId), o) },
  { name: "blockCardForUser", cls: CLASS.IDEMPOTENT, card: "active2", method: "POST", path: (c) => `/cards/${c.active2.cardId}/users/1002/block`, call: (cl, c, o) => cl.blockCardForUser(c.active2.cardId, "1002", o) },
  { name: "unblockCardForUser", cls: CLASS.IDEMPOTENT, card: "blocked2", method: "POST", path: (c) => `/cards/${c.blocked2.cardId}/users/1002/unblock`, call: (cl, c, o) => cl.unblockCardForUser(c.blocked2.cardId, 1002, o) },
  { name: "updateCardAlias", cls: CLASS.IDEMPOTENT, card: "alias", method: "PATCH", path: (c) => `/cards/${c.alias.cardId}`, call: (cl, c, o) => cl.updateCardAlias(c.alias.cardId, "Groceries", o) },
  // Creating operations use users no setup request touches, so the cards they
  // create are counted per user.
  { name: "issueCard", cls: CLASS.CREATING, method: "POST", path: () => "/users/1003/cards/virtuals", call: (cl, c, o) => cl.issueCard("1003", o) },
  { name: "linkCard", cls: CLASS.CREATING, method: "POST", path: () => "/users/alice/cards", call: (cl, c, o) => cl.linkCard("alice", { card: c.linkPan, alias: "Linked" }, o) },
  { name: "createStatement", cls: CLASS.CREATING, card: "statement", method: "POST", path: (c) => `/cards/${c.statement.cardId}/statements`, call: (cl, c, o) => cl.createStatement(c.statement.cardId, { month: 3, year: 2026 }, o) },
  { name: "getCardDetails", cls: CLASS.NEVER, card: "details", method: "GET", path: (c) => `/users/1002/cards/${c.details.cardId}`, call: (cl, c, o) => cl.getCardDetails("1002", c.details.cardId, c.viewToken, o) },
];

export const opByName = Object.fromEntries(OPS.map((o) => [o.name, o]));

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
/** Expectations by retry class: idempotent (with maxRetries 2), creating, never. */
const byClass = (idempotent, creating, never = { ...creating }) => ({
  [CLASS.IDEMPOTENT]: idempotent,
  [CLASS.CREATING]: creating,
  [CLASS.NEVER]: never,
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

/** Runs one fault kind against all ten operations concurrently. */
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
