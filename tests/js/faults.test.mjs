// Against the local gateway: retries per retry class, Retry-After,
// backoff, timeouts, cancellation and token refresh, counted in the gateway's
// request log and in the errors' own fields.
//
// Timing assertions use generous bounds: a loaded 2-core machine makes timers
// late, never early, so lower bounds are tight and upper bounds are loose.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { MigoClient, MigoError } from "migo-cards";
import { startGateway, TOKEN, EXPIRED_TOKEN } from "./gateway.mjs";
import { rejection } from "./helpers.mjs";
import { CLASS, FAULTS, OPS, actedOn, anyOf, opByName, prepare, runScenario, waitIdle } from "./fault-scenarios.mjs";

let gw;
let client;

before(async () => {
  gw = await startGateway();
  client = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api, clientId: "acme" });
});
after(() => gw.stop());

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const FIELDS = ["attempts", "kind", "status", "code", "retryable", "outcome"];
const pick = (e) => Object.fromEntries(FIELDS.map((k) => [k, e[k]]));

/** Requests the gateway logged for `method path` (path without /rest). */
async function sentTo(method, path) {
  return (await gw.requests()).filter((r) => r.method === method && r.path === `/rest${path}`);
}

/** Records every SDK request (calls to the global fetch for /rest URLs). */
function watchFetch({ onSettled } = {}) {
  const original = globalThis.fetch;
  const calls = [];
  globalThis.fetch = function (url, init) {
    const entry = { url: String(url), start: performance.now(), end: undefined };
    if (entry.url.includes("/rest/")) calls.push(entry);
    const p = original.call(this, url, init);
    if (!entry.url.includes("/rest/")) return p;
    const mark = () => {
      entry.end = performance.now();
      onSettled?.(entry, calls.length);
    };
    p.then(mark, mark);
    return p;
  };
  return { calls, restore: () => (globalThis.fetch = original) };
}

function withRandom(value, fn) {
  const original = Math.random;
  Math.random = () => value;
  return Promise.resolve()
    .then(fn)
    .finally(() => (Math.random = original));
}

/** An operation that acts at most once: resolved → the gateway acted exactly once; "rejected" → never. */
function assertActedAtMostOnce(label, result, acted) {
  // (A call that resolved to undefined got an empty 2xx: nothing to check.)
  if (result.ok) {
    if (result.value !== undefined) assert.equal(acted, 1, `${label}: resolved, so the gateway acted exactly once`);
  } else if (result.error.outcome === "rejected") assert.equal(acted, 0, `${label}: "rejected" but the gateway acted`);
  else assert.ok(acted <= 1, `${label}: one call acted ${acted} times`);
}

const atMostOnce = () => OPS.filter((o) => o.cls === CLASS.ACTS_AT_MOST_ONCE);

// ---- the matrix: every fault kind x every operation ----------------------

for (const fault of FAULTS) {
  test(`fault matrix: ${fault.name}`, async () => {
    const ctx = await prepare(gw, TOKEN);
    const run = await runScenario(gw, client, ctx, fault);
    for (const r of run.results) {
      const exp = fault.expect[r.op.cls];
      const label = `${fault.name} / ${r.op.name} (${r.op.cls})`;
      assert.equal(run.sent(r.op).length, exp.attempts, `${label}: requests the gateway logged`);
      if ("resolves" in exp) {
        assert.ok(r.ok, `${label}: expected to resolve, got ${r.error?.message}`);
        if (exp.resolves === undefined) assert.equal(r.value, undefined, label);
        else assert.ok(r.op.resolved(r.value), `${label}: the value a success returns`);
      } else {
        assert.ok(!r.ok, `${label}: expected a rejection`);
        const e = r.error;
        assert.ok(e instanceof MigoError && e instanceof Error, `${label}: ${e}`);
        assert.deepEqual(pick(e), exp, label);
        if (e.kind === "api") {
          assert.match(e.requestId ?? "", /^req-\d+$/, `${label}: requestId`);
          assert.match(e.message, new RegExp(`^Migo API error ${e.status}`), label);
        }
        if (e.code !== undefined) assert.equal(e.errors?.[0]?.code, e.code, `${label}: errors[]`);
      }
    }
    for (const r of run.results.filter((x) => x.op.cls === CLASS.ACTS_AT_MOST_ONCE)) {
      assertActedAtMostOnce(`${fault.name} / ${r.op.name}`, r, actedOn(run.state, ctx, r.op));
    }
  });
}

test("no fault: every operation does what it says", async () => {
  const ctx = await prepare(gw, TOKEN);
  const run = await runScenario(gw, client, ctx, FAULTS.find((f) => f.name === "no fault"));
  for (const r of run.results) {
    assert.ok(r.ok, `${r.op.name}: ${r.error?.message}`);
    assert.ok(r.op.resolved(r.value), `${r.op.name} resolved to ${JSON.stringify(r.value)}`);
  }
});

// ---- faults after the gateway acted ----------------------------------------

const AFTER_FAULTS = [
  ["drop after acting", { drop: true }],
  ["502 after acting", { status: 502 }],
  ["504 after acting", { status: 504 }],
  ["500 after acting", { status: 500 }],
  ["503 without Retry-After after acting", { status: 503 }],
  ["408 after acting", { status: 408 }],
  ["malformed 200 after acting", { malformed: true }],
  ["HTML 502 after acting", { status: 502, body: "<html><body>Bad gateway</body></html>", contentType: "text/html" }],
];

for (const [name, spec] of AFTER_FAULTS) {
  test(`operations that act at most once never act twice: ${name}`, async () => {
    const ctx = await prepare(gw, TOKEN);
    const ops = atMostOnce();
    const run = await runScenario(gw, client, ctx, { name, spec: { ...spec, after: true } }, { ops });
    for (const r of run.results) {
      const label = `${name} / ${r.op.name}`;
      assert.ok(!r.ok, `${label}: the answer was lost, the call cannot resolve`);
      assert.equal(r.error.attempts, 1, label);
      assert.equal(r.error.outcome, "unknown", label);
      assert.equal(run.sent(r.op).length, 1, `${label}: requests logged`);
      assert.equal(actedOn(run.state, ctx, r.op), 1, `${label}: the gateway acted exactly once`);
    }
  });
}

test("a slow call that acts at most once times out and is not re-sent", async () => {
  // A delay before processing: migo-mock abandons the request when the
  // client disconnects, so at most one is created (the next test stages
  // "acted, but answered too late").
  const ctx = await prepare(gw, TOKEN);
  const ops = atMostOnce();
  const run = await runScenario(gw, client, ctx, { name: "slow", spec: { delayMs: 1000 }, options: { timeoutMs: 200 } }, { ops });
  for (const r of run.results) {
    assert.deepEqual(pick(r.error), { attempts: 1, kind: "timeout", status: undefined, code: undefined, retryable: true, outcome: "unknown" }, r.op.name);
    assert.equal(run.sent(r.op).length, 1, r.op.name);
    assert.ok(actedOn(run.state, ctx, r.op) <= 1, r.op.name);
  }
});

test("a call that acts at most once, answered too late: acted once, outcome unknown, not re-sent", async () => {
  const ctx = await prepare(gw, TOKEN);
  const ops = atMostOnce();
  const spec = { delayMs: 1000, after: true };
  const run = await runScenario(gw, client, ctx, { name: "late", spec, options: { timeoutMs: 200 } }, { ops });
  for (const r of run.results) {
    assert.deepEqual(pick(r.error), { attempts: 1, kind: "timeout", status: undefined, code: undefined, retryable: true, outcome: "unknown" }, r.op.name);
    assert.equal(run.sent(r.op).length, 1, r.op.name);
    assert.equal(actedOn(run.state, ctx, r.op), 1, `${r.op.name}: the gateway acted exactly once`);
  }
});

test("an operation that acts at most once never acts twice under mixed fault sequences", async () => {
  const op = anyOf(CLASS.ACTS_AT_MOST_ONCE);
  const sequences = [
    [{ status: 429 }, { status: 502, after: true }],
    [{ status: 503, retryAfter: "0" }, { drop: true, after: true }],
    [{ status: 429, retryAfter: "0" }, { status: 503, retryAfter: "0" }, { malformed: true, after: true }],
    [{ status: 429, retryAfter: "0" }, { delayMs: 1000 }],
    [{ status: 503, retryAfter: "0" }, { status: 504, after: true }],
    [{ status: 429, retryAfter: "0" }, { status: 429, retryAfter: "0" }, { status: 429, retryAfter: "0" }],
    [{ status: 429, retryAfter: "0" }, { status: 429, retryAfter: "0" }],
  ];
  for (const seq of sequences) {
    const ctx = await prepare(gw, TOKEN);
    for (const spec of seq) await gw.fault({ ...spec, method: op.method, path: op.path(ctx) });
    let result;
    try {
      result = { ok: true, value: await op.call(client, ctx, { timeoutMs: 300 }) };
    } catch (error) {
      result = { ok: false, error };
    }
    const state = await waitIdle(gw, 1300);
    const label = `${op.name} ${JSON.stringify(seq)}`;
    assertActedAtMostOnce(label, result, actedOn(state, ctx, op));
    const sent = state.requests.filter((r) => r.method === op.method && r.path === `/rest${op.path(ctx)}`).length;
    if (!result.ok) assert.equal(result.error.attempts, sent, `${label}: attempts`);
  }
});

test("a retried state change whose first answer was lost is not reported as rejected", async () => {
  // The first activate is carried out, then its answer is replaced by a 502;
  // the retry then meets the ACTIVE card and gets 409 INVALID_STATUS_CARD.
  // The call as a whole did act, so "rejected" (the gateway refused before
  // acting) would tell the caller the card is still inactive.
  const ctx = await prepare(gw, TOKEN);
  const op = opByName.activateCard;
  await gw.fault({ method: "POST", path: op.path(ctx), status: 502, after: true });
  const e = await rejection(op.call(client, ctx));
  const { cards } = await gw.state();
  assert.equal(cards.find((c) => c.cardId === ctx.inactive.cardId).status, "ACTIVE", "the gateway did activate it");
  assert.equal(e.attempts, 2);
  assert.equal(e.outcome, "unknown", `the final error (${e.status} ${e.code}) says "${e.outcome}", but the first attempt acted`);
});

test("updateCardAlias after a lost answer is retried and resolves", async () => {
  const ctx = await prepare(gw, TOKEN);
  const op = opByName.updateCardAlias;
  await gw.fault({ method: "PATCH", path: op.path(ctx), drop: true, after: true });
  const card = await op.call(client, ctx);
  assert.equal(card.alias, "Groceries");
  assert.equal((await sentTo("PATCH", op.path(ctx))).length, 2);
});

// ---- transient failures that clear ----------------------------------------

test("transient failures that clear: calls that set a state or act at most once resolve after retries", async () => {
  const ctx = await prepare(gw, TOKEN);
  const f = (op, spec, times) => gw.fault({ ...spec, method: opByName[op].method, path: opByName[op].path(ctx), times });
  await f("updateCardAlias", { status: 503 }, 1);
  await f("activateCard", { drop: true }, 2);
  await f("blockCard", { status: 504 }, 1);
  await f("blockCardForUser", { delayMs: 1500 }, 1);
  await f("issueCard", { status: 429 }, 2);
  await f("linkCard", { status: 503, retryAfter: "0" }, 2);
  await f("createStatement", { status: 429, retryAfter: "0" }, 1);
  const call = (name, o) => opByName[name].call(client, ctx, o);
  const [alias, active, blocked, blockedForUser, issued, linked, statement] = await Promise.all([
    call("updateCardAlias"),
    call("activateCard"),
    call("blockCard"),
    call("blockCardForUser", { timeoutMs: 300 }),
    call("issueCard"),
    call("linkCard"),
    call("createStatement"),
  ]);
  assert.equal(alias.alias, "Groceries");
  assert.equal(active.status, "ACTIVE");
  assert.equal(blocked.status, "BLOCKED");
  assert.equal(blockedForUser.status, "BLOCKED");
  assert.equal(issued.userId, "1003");
  assert.equal(linked.userId, "alice");
  assert.equal(statement.year, 2026);
  const state = await waitIdle(gw, 1800);
  const sent = (name) => state.requests.filter((r) => r.path === `/rest${opByName[name].path(ctx)}` && r.method === opByName[name].method).length;
  const called = ["updateCardAlias", "activateCard", "blockCard", "blockCardForUser", "issueCard", "linkCard", "createStatement"];
  assert.deepEqual(called.map(sent), [2, 3, 2, 2, 3, 3, 2]);
  for (const op of atMostOnce().filter((o) => called.includes(o.name))) {
    assert.equal(actedOn(state, ctx, op), 1, `${op.name}: the gateway acted exactly once`);
  }
});

test("getCardDetails is not retried, and its unused view token still works afterwards", async () => {
  const ctx = await prepare(gw, TOKEN);
  const op = opByName.getCardDetails;
  await gw.fault({ method: "GET", path: op.path(ctx), status: 503, retryAfter: "0" });
  const e = await rejection(op.call(client, ctx, { maxRetries: 10 }));
  assert.deepEqual(pick(e), { attempts: 1, kind: "api", status: 503, code: "503", retryable: true, outcome: "rejected" });
  const details = await op.call(client, ctx);
  assert.equal(details.cardId, ctx.details.cardId);
  assert.equal((await sentTo("GET", op.path(ctx))).length, 2);
});

// ---- maxRetries ------------------------------------------------------------

test("maxRetries: client option and per-call override", async () => {
  const ctx = await prepare(gw, TOKEN);
  const op = opByName.activateCard;
  const path = op.path(ctx);
  const attemptsWith = async (c, options, spec = { status: 503, retryAfter: "0" }) => {
    await gw.clearFaults();
    await gw.fault({ ...spec, method: "POST", path, times: 20 });
    const before = (await sentTo("POST", path)).length;
    const e = await rejection(op.call(c, ctx, options));
    assert.equal((await sentTo("POST", path)).length - before, e.attempts, "log agrees with e.attempts");
    return e;
  };
  const none = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api, maxRetries: 0 });
  const five = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api, maxRetries: 5 });
  assert.equal((await attemptsWith(none)).attempts, 1);
  assert.equal((await attemptsWith(none)).retryable, true, "gave up early, but later could help");
  assert.equal((await attemptsWith(none, { maxRetries: 1 })).attempts, 2);
  assert.equal((await attemptsWith(five)).attempts, 6);
  assert.equal((await attemptsWith(five, { maxRetries: 0 })).attempts, 1);
  assert.equal((await attemptsWith(client, { maxRetries: 4 })).attempts, 5);
  assert.equal((await attemptsWith(client, { maxRetries: undefined })).attempts, 3, "undefined means the client's");
  assert.equal((await attemptsWith(client, { maxRetries: null })).attempts, 3, "null means the client's");
  assert.equal((await attemptsWith(client, {})).attempts, 3);
  assert.equal((await attemptsWith(client, { maxRetries: 10 })).attempts, 11);
  await gw.clearFaults();

  // Acting at most once: 429 with maxRetries 3 → four attempts, never acted.
  const once = anyOf(CLASS.ACTS_AT_MOST_ONCE);
  await gw.fault({ method: once.method, path: once.path(ctx), status: 429, retryAfter: "0", times: 10 });
  const e = await rejection(once.call(client, ctx, { maxRetries: 3 }));
  assert.deepEqual(pick(e), { attempts: 4, kind: "api", status: 429, code: "429", retryable: true, outcome: "rejected" });
  assert.equal((await sentTo(once.method, once.path(ctx))).length, 4);
  assert.equal(actedOn(await gw.state(), ctx, once), 0);
  await gw.clearFaults();
});

// ---- Retry-After -------------------------------------------------------------

test("Retry-After beyond 60 s fails at once, marked retryable", async () => {
  const ctx = await prepare(gw, TOKEN);
  const [once1, once2] = atMostOnce();
  const [set1, set2] = OPS.filter((o) => o.cls === CLASS.SETS_STATE);
  for (const [op, spec] of [
    [set1, { status: 503, retryAfter: "120" }],
    [set2, { status: 429, retryAfter: "61" }],
    [once1, { status: 429, retryAfter: "120" }],
    [once2, { status: 503, retryAfter: new Date(Date.now() + 3_600_000).toUTCString() }],
  ]) {
    const name = op.name;
    await gw.fault({ ...spec, method: op.method, path: op.path(ctx), times: 3 });
    const t0 = Date.now();
    const e = await rejection(op.call(client, ctx));
    const ms = Date.now() - t0;
    assert.deepEqual(pick(e), { attempts: 1, kind: "api", status: spec.status, code: String(spec.status), retryable: true, outcome: "rejected" }, name);
    assert.ok(ms < 5000, `${name}: failed at once, not after waiting (${ms} ms)`);
    assert.equal((await sentTo(op.method, op.path(ctx))).length, 1, name);
    assert.equal(actedOn(await gw.state(), ctx, op), 0, `${name}: the gateway never acted`);
    await gw.clearFaults();
  }
});

test("Retry-After in seconds is honoured (no jitter), also for calls that act at most once", async () => {
  const ctx = await prepare(gw, TOKEN);
  const op = opByName.activateCard;
  await gw.fault({ method: "POST", path: op.path(ctx), status: 503, retryAfter: "1" });
  let t0 = Date.now();
  assert.equal((await op.call(client, ctx)).status, "ACTIVE");
  let ms = Date.now() - t0;
  assert.ok(ms >= 980 && ms < 6000, `waited ${ms} ms for Retry-After: 1`);

  await gw.fault({ method: "POST", path: "/users/1003/cards/virtuals", status: 429, retryAfter: "1" });
  t0 = Date.now();
  await client.issueCard("1003");
  ms = Date.now() - t0;
  assert.ok(ms >= 980 && ms < 6000, `waited ${ms} ms`);
  assert.equal((await sentTo("POST", "/users/1003/cards/virtuals")).length, 2);
  assert.equal((await gw.state()).cards.filter((c) => c.userId === "1003").length, 1);
});

test("Retry-After as an HTTP date a few seconds ahead is honoured", async () => {
  await gw.reset();
  // HTTP dates have whole seconds: 3 s ahead rounds down to at least 2 s.
  const date = new Date(Date.now() + 3000).toUTCString();
  await gw.fault({ method: "POST", path: "/users/1003/cards/virtuals", status: 503, retryAfter: date });
  const t0 = Date.now();
  const card = await client.issueCard("1003");
  const ms = Date.now() - t0;
  assert.equal(card.userId, "1003");
  assert.ok(ms >= 1900 && ms < 10_000, `waited ${ms} ms for ${date}`);
  assert.equal((await sentTo("POST", "/users/1003/cards/virtuals")).length, 2);
});

test("Retry-After as a past HTTP date retries at once; an unreadable one counts as absent", async () => {
  await gw.reset();
  const path = "/users/1003/cards/virtuals";
  await gw.fault({ method: "POST", path, status: 503, retryAfter: "Sun, 06 Nov 1994 08:49:37 GMT" });
  const t0 = Date.now();
  await client.issueCard("1003");
  assert.ok(Date.now() - t0 < 3000);
  assert.equal((await sentTo("POST", path)).length, 2, "503 with a (past) Retry-After: the gateway did not act, retried");

  // Without a readable Retry-After, a 503 does not prove the gateway did not act.
  await gw.reset();
  await gw.fault({ method: "POST", path, status: 503, retryAfter: "soon", times: 3 });
  const e = await rejection(client.issueCard("1003"));
  assert.deepEqual(pick(e), { attempts: 1, kind: "api", status: 503, code: "503", retryable: true, outcome: "unknown" });
});

// ---- backoff -----------------------------------------------------------------

async function retryGaps(random) {
  const ctx = await prepare(gw, TOKEN);
  const op = opByName.blockCard;
  await gw.fault({ method: "POST", path: op.path(ctx), status: 503, times: 3 });
  const watch = watchFetch();
  try {
    const e = await withRandom(random, () => rejection(op.call(client, ctx)));
    assert.equal(e.attempts, 3);
  } finally {
    watch.restore();
  }
  const c = watch.calls;
  assert.equal(c.length, 3);
  return [c[1].start - c[0].end, c[2].start - c[1].end];
}

test("backoff is 0.5 s then 1 s without jitter", async () => {
  const [g1, g2] = await retryGaps(0);
  assert.ok(g1 >= 490 && g1 < 2500, `first wait ${g1}`);
  assert.ok(g2 >= 990 && g2 < 3000, `second wait ${g2}`);
});

test("backoff jitter shortens the wait by at most 25 %", async () => {
  const [g1, g2] = await retryGaps(0.999999);
  assert.ok(g1 >= 365 && g1 < 2400, `first wait ${g1}`);
  assert.ok(g2 >= 740 && g2 < 2800, `second wait ${g2}`);
  const [r1, r2] = await retryGaps(Math.random());
  assert.ok(r1 >= 365 && r1 < 2500, `first wait ${r1}`);
  assert.ok(r2 >= 740 && r2 < 3000, `second wait ${r2}`);
});

// ---- timeouts ----------------------------------------------------------------

test("timeoutMs: client default, per-call override down and up, per attempt", async () => {
  const ctx = await prepare(gw, TOKEN);
  const op = opByName.updateCardAlias;
  const path = op.path(ctx);
  const slowClient = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api, timeoutMs: 300, maxRetries: 0 });

  await gw.fault({ method: "PATCH", path, delayMs: 1500 });
  let e = await rejection(op.call(slowClient, ctx));
  assert.deepEqual(pick(e), { attempts: 1, kind: "timeout", status: undefined, code: undefined, retryable: true, outcome: "unknown" });
  assert.match(e.message, /300 ms/);

  await gw.fault({ method: "PATCH", path, delayMs: 1500 });
  e = await rejection(op.call(client, ctx, { timeoutMs: 250, maxRetries: 0 }));
  assert.equal(e.kind, "timeout");
  assert.match(e.message, /250 ms/);

  await gw.fault({ method: "PATCH", path, delayMs: 700 });
  assert.equal((await op.call(slowClient, ctx, { timeoutMs: 5000 })).alias, "Groceries", "per-call timeout above the client's");

  // Per attempt, not per call: two 1 s Retry-After waits exceed 600 ms in total.
  await gw.fault({ method: "PATCH", path, status: 503, retryAfter: "1", times: 2 });
  const t0 = Date.now();
  assert.equal((await op.call(client, ctx, { timeoutMs: 600 })).alias, "Groceries");
  assert.ok(Date.now() - t0 >= 1900);
  await waitIdle(gw);
});

test("a timed-out attempt rejects at its timeout, not when the response comes", async () => {
  const ctx = await prepare(gw, TOKEN);
  const op = opByName.createStatement;
  await gw.fault({ method: "POST", path: op.path(ctx), delayMs: 3000 });
  const t0 = Date.now();
  const e = await rejection(op.call(client, ctx, { timeoutMs: 300 }));
  const ms = Date.now() - t0;
  assert.equal(e.kind, "timeout");
  assert.ok(ms >= 290 && ms < 2500, `rejected after ${ms} ms`);
});

test("connection refused: calls that set a state retry, others do not", async () => {
  const port = await new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
  const dead = new MigoClient({ accessToken: TOKEN, baseUrl: `http://127.0.0.1:${port}/rest` });
  const watch = watchFetch();
  try {
    const e1 = await rejection(dead.activateCard("1001", 1));
    assert.deepEqual(pick(e1), { attempts: 3, kind: "network", status: undefined, code: undefined, retryable: true, outcome: "unknown" });
    const e2 = await rejection(dead.issueCard("1001"));
    assert.deepEqual(pick(e2), { attempts: 1, kind: "network", status: undefined, code: undefined, retryable: true, outcome: "unknown" });
    const e3 = await rejection(dead.getCardDetails("1001", 1, "vt_x"));
    assert.equal(e3.attempts, 1);
  } finally {
    watch.restore();
  }
  assert.equal(watch.calls.length, 5);
});

// ---- cancellation ------------------------------------------------------------

test("a signal aborted before the call: aborted, attempts 0, nothing sent", async () => {
  const ctx = await prepare(gw, TOKEN);
  for (const op of OPS) {
    const ac = new AbortController();
    ac.abort();
    const e = await rejection(op.call(client, ctx, { signal: ac.signal }));
    assert.ok(e instanceof MigoError, op.name);
    assert.deepEqual(pick(e), { attempts: 0, kind: "aborted", status: undefined, code: undefined, retryable: false, outcome: "notSent" }, op.name);
  }
  const reason = new AbortController();
  reason.abort(new Error("user navigated away"));
  const e = await rejection(client.issueCard("1001", { signal: reason.signal }));
  assert.equal(e.kind, "aborted", "a custom abort reason is still an aborted MigoError");
  assert.ok(e instanceof MigoError);
  assert.equal((await gw.requests()).length, ctx.setupRequests, "no request reached the gateway");
});

test("aborted during a slow response: rejects at once, no further attempt", async () => {
  const ctx = await prepare(gw, TOKEN);
  for (const op of Object.values(CLASS).map(anyOf)) {
    const name = op.name;
    await gw.fault({ method: op.method, path: op.path(ctx), delayMs: 1500 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const e = await rejection(op.call(client, ctx, { signal: ac.signal }));
    const ms = Date.now() - t0;
    assert.deepEqual(pick(e), { attempts: 1, kind: "aborted", status: undefined, code: undefined, retryable: false, outcome: "unknown" }, name);
    assert.ok(ms < 1400, `${name}: rejected ${ms} ms after the call, the response came at 1500`);
  }
  await sleep(1700); // past any backoff and the delayed responses
  const state = await gw.state();
  for (const op of Object.values(CLASS).map(anyOf)) {
    const name = op.name;
    assert.equal(state.requests.filter((r) => r.path === `/rest${op.path(ctx)}`).length, 1, name);
  }
});

test("aborted during the backoff sleep: rejects, and no further attempt starts", async () => {
  const ctx = await prepare(gw, TOKEN);
  const op = opByName.blockCard;
  await gw.fault({ method: "POST", path: op.path(ctx), status: 503, times: 5 });
  const ac = new AbortController();
  let abortedAt;
  // Abort 100 ms after the first answer: inside the >= 375 ms backoff.
  const watch = watchFetch({ onSettled: (_, n) => n === 1 && setTimeout(() => ((abortedAt = performance.now()), ac.abort()), 100) });
  let e;
  try {
    e = await rejection(op.call(client, ctx, { signal: ac.signal }));
  } finally {
    watch.restore();
  }
  const lag = performance.now() - abortedAt;
  assert.deepEqual(pick(e), { attempts: 1, kind: "aborted", status: undefined, code: undefined, retryable: false, outcome: "unknown" });
  assert.ok(lag < 1000, `rejected ${lag} ms after the abort`);
  await sleep(1500);
  assert.equal((await sentTo("POST", op.path(ctx))).length, 1, "no attempt after the abort");
});

test("aborted while waiting for Retry-After: no further attempt, nothing created", async () => {
  await gw.reset();
  const path = "/users/1003/cards/virtuals";
  await gw.fault({ method: "POST", path, status: 429, retryAfter: "2", times: 3 });
  const ac = new AbortController();
  const watch = watchFetch({ onSettled: (_, n) => n === 1 && setTimeout(() => ac.abort(), 300) });
  const t0 = Date.now();
  let e;
  try {
    e = await rejection(client.issueCard("1003", { signal: ac.signal }));
  } finally {
    watch.restore();
  }
  assert.equal(e.kind, "aborted");
  assert.equal(e.attempts, 1);
  assert.ok(Date.now() - t0 < 1800, "did not sit out the 2 s Retry-After");
  await sleep(2300);
  assert.equal((await sentTo("POST", path)).length, 1);
  assert.equal((await gw.state()).cards.length, 0);
});

test("aborting after a call settled changes nothing, and no listener is left on the signal", async () => {
  const ctx = await prepare(gw, TOKEN);
  // Anything shaped like an AbortSignal is accepted; this one counts listeners.
  class CountingSignal extends EventTarget {
    aborted = false;
    live = 0;
    addEventListener(type, fn, o) {
      this.live++;
      super.addEventListener(type, fn, o);
    }
    removeEventListener(type, fn, o) {
      this.live--;
      super.removeEventListener(type, fn, o);
    }
    abort() {
      this.aborted = true;
      this.dispatchEvent(new Event("abort"));
    }
  }
  const s1 = new CountingSignal();
  assert.equal((await client.updateCardAlias(ctx.alias.cardId, "One", { signal: s1 })).alias, "One");
  assert.equal(s1.live, 0, "listeners left after a success");

  const s2 = new CountingSignal();
  await gw.fault({ method: "PATCH", path: opByName.updateCardAlias.path(ctx), status: 503, times: 3 });
  const e = await rejection(client.updateCardAlias(ctx.alias.cardId, "Two", { signal: s2 }));
  assert.equal(e.attempts, 3);
  assert.equal(s2.live, 0, "listeners left after retries (fetch and sleep)");
  s2.abort();

  const s3 = new CountingSignal();
  await gw.fault({ method: "PATCH", path: opByName.updateCardAlias.path(ctx), delayMs: 1000 });
  const p = client.updateCardAlias(ctx.alias.cardId, "Three", { signal: s3 });
  setTimeout(() => s3.abort(), 100);
  assert.equal((await rejection(p)).kind, "aborted");
  assert.equal(s3.live, 0, "listeners left after an abort");
  await waitIdle(gw, 1300);
});

test("aborted while the token provider is still working: rejects at once, nothing sent", async () => {
  await gw.reset();
  let calls = 0;
  const slow = new MigoClient({
    baseUrl: gw.api,
    getAccessToken: () => {
      calls++;
      return new Promise((r) => setTimeout(() => r(TOKEN), 1500));
    },
  });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  const t0 = Date.now();
  const e = await rejection(slow.issueCard("1001", { signal: ac.signal }));
  const ms = Date.now() - t0;
  await sleep(Math.max(0, 1800 - ms));
  const sent = (await gw.requests()).length;
  assert.equal(calls, 1);
  assert.equal(e.kind, "aborted");
  assert.deepEqual(
    { attempts: e.attempts, outcome: e.outcome, requestsLogged: sent },
    { attempts: 0, outcome: "notSent", requestsLogged: 0 },
    "no request was sent, so attempts must be 0 and outcome notSent",
  );
  assert.ok(ms < 1000, `rejected ${ms} ms after the call (the abort came at 100 ms, the provider at 1500 ms)`);
});

// ---- tokens --------------------------------------------------------------------

/** A provider that returns `tokens` in turn (the last one forever), async. */
function provider(tokens, { delayMs = 20 } = {}) {
  const f = async () => {
    f.calls++;
    await sleep(delayMs);
    return tokens[Math.min(f.calls - 1, tokens.length - 1)];
  };
  f.calls = 0;
  return f;
}

test("getAccessToken is called lazily and its result cached", async () => {
  await gw.reset();
  const p = provider([TOKEN]);
  const c = new MigoClient({ getAccessToken: p, baseUrl: gw.api });
  assert.equal(p.calls, 0, "not called by the constructor");
  await c.issueCard("1001");
  await c.issueCard("1002");
  await Promise.all([c.issueCard("1001"), c.issueCard("1003")]);
  assert.equal(p.calls, 1);
  assert.deepEqual((await gw.requests()).map((r) => r.status), [201, 201, 201, 201]);
});

test("401 TOKEN_EXPIRED: the provider is asked again and the request re-sent once", async () => {
  await gw.reset();
  const p = provider([EXPIRED_TOKEN, TOKEN]);
  const c = new MigoClient({ getAccessToken: p, baseUrl: gw.api });
  const card = await c.issueCard("1003");
  assert.equal(card.userId, "1003");
  assert.equal(p.calls, 2);
  const log = await gw.requests();
  assert.deepEqual(log.map((r) => r.status), [401, 201]);
  assert.equal((await gw.state()).cards.length, 1, "one card for one call");
  await c.issueCard("1003");
  assert.equal(p.calls, 2, "the fresh token is cached");
});

test("concurrent calls that hit the expiry share one refresh", async () => {
  const ctx = await prepare(gw, TOKEN);
  const p = provider([EXPIRED_TOKEN, TOKEN], { delayMs: 30 });
  const c = new MigoClient({ getAccessToken: p, baseUrl: gw.api, clientId: "acme" });
  const ops = OPS.filter((o) => o.name !== "getCardDetails");
  const values = await Promise.all(ops.map((op) => op.call(c, ctx)));
  assert.equal(values.length, ops.length);
  assert.equal(p.calls, 2, "one initial call and one shared refresh");
  const log = (await gw.requests()).slice(ctx.setupRequests);
  assert.equal(log.filter((r) => r.status === 401).length, ops.length);
  assert.equal(log.length, 2 * ops.length);
});

test("a 401 that arrives after the refresh finished uses the refreshed token", async () => {
  const ctx = await prepare(gw, TOKEN);
  const p = provider([EXPIRED_TOKEN, TOKEN], { delayMs: 10 });
  const c = new MigoClient({ getAccessToken: p, baseUrl: gw.api });
  const slow = opByName.updateCardAlias;
  await gw.fault({ method: "PATCH", path: slow.path(ctx), delayMs: 500 });
  const [a, b, d] = await Promise.all([slow.call(c, ctx), opByName.activateCard.call(c, ctx), c.issueCard("1003")]);
  assert.equal(a.alias, "Groceries");
  assert.equal(b.status, "ACTIVE");
  assert.equal(d.userId, "1003");
  assert.equal(p.calls, 2);
});

test("a provider that keeps returning an expired token: one refresh, then the 401", async () => {
  await gw.reset();
  const p = provider([EXPIRED_TOKEN]);
  const c = new MigoClient({ getAccessToken: p, baseUrl: gw.api });
  const e = await rejection(c.activateCard("1001", 5000001));
  assert.deepEqual(pick(e), { attempts: 2, kind: "api", status: 401, code: "TOKEN_EXPIRED", retryable: false, outcome: "rejected" });
  assert.equal(p.calls, 2);
  assert.equal((await gw.requests()).length, 2);
});

test("a static expired accessToken is not refreshed", async () => {
  await gw.reset();
  const c = new MigoClient({ accessToken: EXPIRED_TOKEN, baseUrl: gw.api });
  const e = await rejection(c.issueCard("1001"));
  assert.deepEqual(pick(e), { attempts: 1, kind: "api", status: 401, code: "TOKEN_EXPIRED", retryable: false, outcome: "rejected" });
  assert.equal((await gw.requests()).length, 1);
});

test("the token refresh does not use up a retry", async () => {
  const ctx = await prepare(gw, TOKEN);
  const op = opByName.activateCard;
  const expired = JSON.stringify({ success: false, message: "access token expired", errors: [{ code: "TOKEN_EXPIRED", message: "access token expired" }] });
  await gw.fault({ method: "POST", path: op.path(ctx), status: 401, body: expired, contentType: "application/json" });
  await gw.fault({ method: "POST", path: op.path(ctx), status: 503, times: 5 });
  const p = provider([TOKEN]);
  const c = new MigoClient({ getAccessToken: p, baseUrl: gw.api });
  const e = await rejection(op.call(c, ctx));
  assert.deepEqual(pick(e), { attempts: 4, kind: "api", status: 503, code: "503", retryable: true, outcome: "unknown" });
  assert.equal(p.calls, 2);
  assert.equal((await sentTo("POST", op.path(ctx))).length, 4);
});

test("getCardDetails re-sends its view token once after TOKEN_EXPIRED (the gateway refused before acting)", async () => {
  const ctx = await prepare(gw, TOKEN);
  const p = provider([EXPIRED_TOKEN, TOKEN]);
  const c = new MigoClient({ getAccessToken: p, baseUrl: gw.api });
  const d = await opByName.getCardDetails.call(c, ctx);
  assert.equal(d.cardId, ctx.details.cardId);
  assert.deepEqual((await sentTo("GET", opByName.getCardDetails.path(ctx))).map((r) => r.status), [401, 200]);
});

test("a provider that throws, rejects or returns a non-string gives a config error, nothing sent", async () => {
  await gw.reset();
  const bad = [
    () => {
      throw new Error("no token");
    },
    async () => {
      throw new Error("no token");
    },
    () => Promise.reject("plain string reason"),
    () => 42,
    async () => null,
    async () => undefined,
    async () => ({ token: TOKEN }),
    async () => [TOKEN],
    async () => "",
    async () => "has space",
    async () => `${TOKEN}\n`,
    async () => new String(TOKEN),
    async () => Symbol("t"),
    async () => 10n,
  ];
  for (const [i, f] of bad.entries()) {
    const c = new MigoClient({ getAccessToken: f, baseUrl: gw.api });
    const e = await rejection(c.issueCard("1001"));
    assert.ok(e instanceof MigoError, `provider #${i}`);
    assert.deepEqual([e.kind, e.field, e.attempts, e.outcome], ["config", "getAccessToken", 0, "notSent"], `provider #${i}`);
  }
  assert.equal((await gw.requests()).length, 0);
});

test("a provider that throws on refresh: config error that counts the request sent", async () => {
  await gw.reset();
  let calls = 0;
  const c = new MigoClient({
    baseUrl: gw.api,
    getAccessToken: () => {
      if (++calls > 1) throw new Error("refresh failed");
      return EXPIRED_TOKEN;
    },
  });
  const e = await rejection(c.issueCard("1001"));
  assert.equal(calls, 2);
  assert.equal(e.kind, "config");
  assert.equal(e.field, "getAccessToken");
  assert.equal(e.attempts, 1, "one request was sent (and refused with 401)");
  assert.equal((await gw.requests()).length, 1);
  assert.equal(e.outcome, "rejected", "a request was sent and refused: not \"notSent\"");
});

test("concurrent calls share a failing refresh too", async () => {
  await gw.reset();
  let calls = 0;
  const c = new MigoClient({
    baseUrl: gw.api,
    getAccessToken: async () => {
      await sleep(20);
      if (++calls > 1) throw new Error("refresh failed");
      return EXPIRED_TOKEN;
    },
  });
  const errors = await Promise.all(["1001", "1002", "1003"].map((u) => rejection(c.issueCard(u))));
  assert.deepEqual(errors.map((e) => e.kind), ["config", "config", "config"]);
  assert.equal(calls, 2);
});
