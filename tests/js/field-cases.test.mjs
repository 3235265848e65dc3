// Time as the world keeps it, and answers cut short: the package against
// real node:http servers on 127.0.0.1 (port 0), each closed by its test.
//
// A step of the wall clock is `Date.now` moved (what NTP, a user or a
// machine waking up does to it); the monotonic clock (`performance.now`)
// and the timers do not move. Waits are checked by lower bounds only (a
// timer is never early) or by the call's own result.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { MigoClient, MigoError } from "migo-cards";
import { rejection } from "./helpers.mjs";

const TOKEN = "tok_field_case_secret";
const OK_BLOCK = JSON.stringify({ success: true, data: { cardId: 5000001, status: "BLOCKED" } });
const OK_ISSUE = JSON.stringify({ success: true, data: { cardId: 5000002, userId: "1001", status: "INACTIVE" } });
const HOUR = 3_600_000;

/**
 * A gateway on 127.0.0.1:0 answering with `handle(req, res, n)` (`n`: the
 * request's number, from 1); `requests` records each one's path and arrival
 * (performance.now). Closed, connections and all, when the test ends.
 */
async function serve(t, handle) {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, path: req.url, at: performance.now() });
    req.resume();
    req.on("end", () => handle(req, res, requests.length));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { base: `http://127.0.0.1:${server.address().port}/rest`, requests };
}

function answer(res, status, body = "", headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}

/** Writes the status, headers and part of a body, then drops the connection. */
function cutOff(res, status, headers = {}, { chunked = false } = {}) {
  const part = '{"success":true,"data":{"cardId":50';
  const length = chunked ? {} : { "content-length": "400" };
  res.writeHead(status, { "content-type": "application/json", "x-request-id": "req-cut-7", ...length, ...headers });
  res.write(part, () => res.socket.destroy());
}

/** Moves the wall clock (`Date.now`) by `ms` from now on; undone when the test ends. */
function stepWallClock(t, ms) {
  const real = Date.now;
  const offset = (Date.now.offset ?? 0) + ms;
  const original = Date.now.original ?? real;
  Date.now = Object.assign(() => original() + offset, { offset, original });
  t.after(() => (Date.now = original));
}

function client(base, options = {}) {
  return new MigoClient({ accessToken: TOKEN, baseUrl: base, clientId: "acme", ...options });
}

/** A call that must not hang for the hour a clock step may add: its signal ends it at 15 s instead. */
const guard = (options = {}) => ({ signal: AbortSignal.timeout(15_000), ...options });

function withRandom(t, value) {
  const original = Math.random;
  Math.random = () => value;
  t.after(() => (Math.random = original));
}

function deferred() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

// ---- 1. the wall clock steps: no deadline and no wait moves ------------------------------

/**
 * blockCard in flight while the wall clock steps by `step`, then another
 * call that arms the shared timer: the first call's promise, and `release`,
 * which lets the gateway answer it.
 */
async function inFlightAcrossAStep(t, step, timeoutMs) {
  const release = deferred();
  const gw = await serve(t, (req, res, n) => {
    if (n === 1) {
      // The first call's request is out: the wall clock steps, then another call starts.
      stepWallClock(t, step);
      release.promise.then(() => answer(res, 200, OK_BLOCK));
    } else answer(res, 200, OK_BLOCK);
  });
  const c = client(gw.base);
  const first = c.blockCard("1001", 5000001, guard({ timeoutMs, maxRetries: 0 }));
  while (gw.requests.length < 1) await new Promise((r) => setTimeout(r, 5));
  await c.unblockCard("1001", 5000001);
  return { first, release };
}

for (const [name, step] of [
  ["forward", HOUR],
  ["backward", -HOUR],
]) {
  test(`an attempt in flight keeps its deadline when the wall clock steps ${name} and another call arms the timer`, async (t) => {
    // Ahead, the answer comes well within the deadline; behind, the deadline comes first.
    const { first, release } = await inFlightAcrossAStep(t, step, step > 0 ? 10_000 : 2_000);
    if (step > 0) {
      // An hour ahead, the first call's deadline must not look long past.
      release.resolve();
      assert.equal((await first).status, "BLOCKED");
    } else {
      // An hour behind, it must not look an hour away: it times out at its 2 s.
      const e = await rejection(first);
      release.resolve();
      assert.deepEqual([e.kind, e.message, e.attempts, e.outcome], ["timeout", "the request timed out after 2000 ms", 1, "unknown"]);
    }
  });

  test(`a backoff wait and a Retry-After wait end on time when the wall clock steps ${name}`, async (t) => {
    withRandom(t, 0); // backoff exactly 500 ms
    for (const [what, headers, floor] of [
      ["backoff", {}, 450],
      ["Retry-After: 1", { "retry-after": "1" }, 950],
    ]) {
      const gw = await serve(t, (req, res, n) => (n === 1 ? answer(res, 503, "", headers) : answer(res, 200, OK_BLOCK)));
      const other = client(gw.base);
      const c = client(gw.base, {
        // Told of the failed attempt before its wait is armed: the step lands inside the wait.
        onRequest: (ev) => {
          if (ev.attempt !== 1) return;
          stepWallClock(t, step);
          // Another call arms the shared timer during the wait.
          setImmediate(() => other.unblockCard("1001", 5000001).catch(() => {}));
        },
      });
      assert.equal((await c.blockCard("1001", 5000001, guard())).status, "BLOCKED", what);
      const [a, b] = gw.requests.filter((r) => r.path.endsWith("/block"));
      assert.ok(b.at - a.at >= floor, `${what}: waited ${Math.round(b.at - a.at)} ms`);
    }
  });

  test(`the wait for a token keeps its deadline when the wall clock steps ${name}`, async (t) => {
    const gw = await serve(t, (req, res) => answer(res, 200, OK_BLOCK));
    const token = deferred();
    let asked = 0;
    const c = client(gw.base, {
      accessToken: undefined,
      timeoutMs: step > 0 ? 10_000 : 1_500,
      getAccessToken: () => {
        asked++;
        stepWallClock(t, step);
        // Forward: the token comes after another call armed the timer; backward: it never comes.
        return step > 0 ? token.promise : new Promise(() => {});
      },
    });
    const pending = c.blockCard("1001", 5000001, guard());
    await client(gw.base).unblockCard("1001", 5000001);
    assert.equal(asked, 1);
    if (step > 0) {
      token.resolve(TOKEN);
      assert.equal((await pending).status, "BLOCKED");
    } else {
      const e = await rejection(pending);
      assert.deepEqual([e.kind, e.message, e.attempts, e.outcome], ["timeout", "getAccessToken did not settle within 1500 ms", 0, "notSent"]);
    }
  });
}

// ---- 2. a Retry-After date counts from the gateway's Date ---------------------------------

/** The gateway's clock, whole seconds: its Date and a Retry-After `after` ms later. */
function gatewayDates(after, skew = 0) {
  const now = Math.floor((Date.now.original ?? Date.now)() / 1000) * 1000 + skew;
  return { date: new Date(now).toUTCString(), retryAfter: new Date(now + after).toUTCString() };
}

test("a setTimeout wrapped after the package loaded (an error tracker, zone.js) keeps the clock monotonic", async (t) => {
  const engine = globalThis.setTimeout;
  globalThis.setTimeout = function (fn, ms, ...args) {
    return engine(fn, ms, ...args);
  };
  t.after(() => (globalThis.setTimeout = engine));
  const { first, release } = await inFlightAcrossAStep(t, HOUR, 10_000);
  release.resolve();
  assert.equal((await first).status, "BLOCKED");
});

test("a Retry-After date 2 s after the gateway's Date waits 2 s, with the client's wall clock an hour off either way", async (t) => {
  for (const step of [HOUR, -HOUR]) {
    const gw = await serve(t, (req, res, n) => {
      if (n > 1) return answer(res, 201, OK_ISSUE);
      const d = gatewayDates(2_000);
      answer(res, 503, "", { date: d.date, "retry-after": d.retryAfter });
    });
    stepWallClock(t, step);
    const card = await client(gw.base).issueCard("1001", guard());
    assert.equal(card.status, "INACTIVE");
    assert.equal(gw.requests.length, 2, `wall clock ${step > 0 ? "ahead" : "behind"}`);
    const gap = gw.requests[1].at - gw.requests[0].at;
    assert.ok(gap >= 1_900, `waited ${Math.round(gap)} ms, not the 2 s the gateway asked`);
    stepWallClock(t, -step);
  }
});

test("a Retry-After date before the gateway's Date retries at once, though the client's wall clock is an hour behind", async (t) => {
  stepWallClock(t, -HOUR);
  const gw = await serve(t, (req, res, n) => {
    if (n > 1) return answer(res, 201, OK_ISSUE);
    const d = gatewayDates(-5_000);
    answer(res, 503, "", { date: d.date, "retry-after": d.retryAfter });
  });
  assert.equal((await client(gw.base).issueCard("1001", guard())).status, "INACTIVE");
  assert.equal(gw.requests.length, 2);
});

test("with a Date that is no HTTP-date, a Retry-After date counts from the client's wall clock", async (t) => {
  for (const date of ["yesterday", "Sun, 31 Nov 2026 22:44:06 GMT", "1795992246"]) {
    const gw = await serve(t, (req, res, n) => {
      if (n > 1) return answer(res, 201, OK_ISSUE);
      answer(res, 503, "", { date, "retry-after": gatewayDates(2_000).retryAfter });
    });
    assert.equal((await client(gw.base).issueCard("1001", guard())).status, "INACTIVE", date);
    const gap = gw.requests[1].at - gw.requests[0].at;
    // Whole seconds: at least 1 s of the 2 remains when the answer is read.
    assert.ok(gap >= 950, `${date}: waited ${Math.round(gap)} ms`);
  }
  // Without any Date header (node:http leaves it out when told), the same.
  const gw = await serve(t, (req, res, n) => {
    res.sendDate = false;
    if (n > 1) return answer(res, 201, OK_ISSUE);
    answer(res, 503, "", { "retry-after": gatewayDates(2_000).retryAfter });
  });
  assert.equal((await client(gw.base).issueCard("1001", guard())).status, "INACTIVE");
  assert.ok(gw.requests[1].at - gw.requests[0].at >= 950);
});

// ---- 3. an answer cut off after its status ------------------------------------------------

test("issueCard whose 201 is cut off fails with the status and request id: unknown, one attempt, not retried", async (t) => {
  for (const chunked of [false, true]) {
    const gw = await serve(t, (req, res) => cutOff(res, 201, {}, { chunked }));
    const e = await rejection(client(gw.base).issueCard("1001", guard()));
    assert.ok(e instanceof MigoError);
    assert.deepEqual(
      { kind: e.kind, status: e.status, requestId: e.requestId, attempts: e.attempts, retryable: e.retryable, outcome: e.outcome },
      { kind: "network", status: 201, requestId: "req-cut-7", attempts: 1, retryable: false, outcome: "unknown" },
    );
    assert.equal(e.message, "the answer was cut off after the gateway replied 201: the connection failed while its body was read");
    assert.equal(gw.requests.length, 1, "never sent twice");
    assert.ok(e.cause instanceof Error, "the body's failure as cause");
  }
});

test("every answer cut off after its status: a 2xx is never retried, an error status decides as it always does", async (t) => {
  // blockCard on 200: it acted; not sent again.
  let gw = await serve(t, (req, res) => cutOff(res, 200));
  let e = await rejection(client(gw.base).blockCard("1001", 5000001, guard()));
  assert.deepEqual([e.kind, e.status, e.requestId, e.attempts, e.outcome], ["network", 200, "req-cut-7", 1, "unknown"]);
  assert.equal(gw.requests.length, 1);
  // blockCard on 404: refused, not retried.
  gw = await serve(t, (req, res) => cutOff(res, 404));
  e = await rejection(client(gw.base).blockCard("1001", 5000001, guard()));
  assert.deepEqual([e.kind, e.status, e.requestId, e.attempts, e.retryable, e.outcome], ["api", 404, "req-cut-7", 1, false, "rejected"]);
  assert.match(e.message, /^the answer was cut off after the gateway replied 404: /);
  assert.equal(gw.requests.length, 1);
  // blockCard on 503: retried as any 503 is.
  withRandom(t, 0);
  gw = await serve(t, (req, res, n) => (n === 1 ? cutOff(res, 503) : answer(res, 200, OK_BLOCK)));
  assert.equal((await client(gw.base).blockCard("1001", 5000001, guard())).status, "BLOCKED");
  assert.equal(gw.requests.length, 2);
  // issueCard on 503 with Retry-After: the gateway did not act, so even a creating call retries.
  gw = await serve(t, (req, res, n) => (n === 1 ? cutOff(res, 503, { "retry-after": "0" }) : answer(res, 201, OK_ISSUE)));
  assert.equal((await client(gw.base).issueCard("1001", guard())).status, "INACTIVE");
  assert.equal(gw.requests.length, 2);
  // issueCard on 503 without one: it may have acted; one attempt.
  gw = await serve(t, (req, res) => cutOff(res, 503));
  e = await rejection(client(gw.base).issueCard("1001", guard()));
  assert.deepEqual([e.kind, e.status, e.attempts, e.retryable, e.outcome], ["api", 503, 1, true, "unknown"]);
  assert.equal(gw.requests.length, 1);
});

test("an answer whose body stalls past the deadline keeps its status: issueCard's 201 is a timeout, unknown, not retried", async (t) => {
  const gw = await serve(t, (req, res) => {
    res.writeHead(201, { "content-type": "application/json", "x-request-id": "req-slow-1", "content-length": "400" });
    res.write('{"success":true');
  });
  const events = [];
  const e = await rejection(client(gw.base, { onRequest: (ev) => events.push(ev) }).issueCard("1001", guard({ timeoutMs: 300 })));
  assert.deepEqual(
    [e.kind, e.status, e.requestId, e.attempts, e.retryable, e.outcome],
    ["timeout", 201, "req-slow-1", 1, false, "unknown"],
  );
  assert.equal(e.message, "the answer was cut off after the gateway replied 201: the attempt's deadline passed while its body was read");
  assert.equal(gw.requests.length, 1);
  assert.deepEqual([events.length, events[0].result, events[0].status, events[0].requestId], [1, "timeout", 201, "req-slow-1"]);
});

test("a signal that fires while the body is read keeps the status: issueCard's 201 is never retryable, never re-sent", async (t) => {
  const gw = await serve(t, (req, res) => {
    res.writeHead(201, { "content-type": "application/json", "x-request-id": "req-slow-2", "content-length": "400" });
    res.write('{"success":true');
  });
  for (const [signal, kind] of [
    [() => AbortSignal.timeout(300), "timeout"],
    [() => {
      const ac = new AbortController();
      setTimeout(() => ac.abort(new Error("user left the page")), 300);
      return ac.signal;
    }, "aborted"],
  ]) {
    const before = gw.requests.length;
    const e = await rejection(client(gw.base).issueCard("1001", { signal: signal() }));
    assert.deepEqual(
      [e.kind, e.status, e.requestId, e.attempts, e.retryable, e.outcome],
      [kind, 201, "req-slow-2", 1, false, "unknown"],
    );
    assert.equal(e.message, "the answer was cut off after the gateway replied 201: the call's signal fired while its body was read");
    assert.equal(gw.requests.length - before, 1);
    if (kind === "aborted") assert.equal(e.cause?.message, "user left the page");
  }
});

test("the onRequest event of a cut-off answer says network, with its status", async (t) => {
  const gw = await serve(t, (req, res) => cutOff(res, 201));
  const events = [];
  await rejection(client(gw.base, { onRequest: (ev) => events.push(ev) }).issueCard("1001", guard()));
  assert.deepEqual([events.length, events[0].result, events[0].status, events[0].requestId], [1, "network", 201, "req-cut-7"]);
});

// ---- 4. Retry-After of any length, sign or fraction ---------------------------------------

test("Retry-After seconds beyond 60 s, of any number of digits, fail at once as retryable; issueCard on 503 stays rejected", async (t) => {
  for (const value of ["99999999999", "18446744073709551616", "9".repeat(300), "0000000000000000000000000000000120"]) {
    const gw = await serve(t, (req, res) => answer(res, 503, "", { "retry-after": value }));
    const e = await rejection(client(gw.base).issueCard("1001", guard()));
    assert.deepEqual([e.kind, e.status, e.attempts, e.retryable, e.outcome], ["api", 503, 1, true, "rejected"], value.slice(0, 40));
    assert.equal(gw.requests.length, 1);
    const gw429 = await serve(t, (req, res) => answer(res, 429, "", { "retry-after": value }));
    const e429 = await rejection(client(gw429.base).blockCard("1001", 5000001, guard()));
    assert.deepEqual([e429.status, e429.attempts, e429.retryable], [429, 1, true], value.slice(0, 40));
  }
});

test("Retry-After with leading zeros waits its seconds", async (t) => {
  const gw = await serve(t, (req, res, n) => (n === 1 ? answer(res, 503, "", { "retry-after": "00000000000000000001" }) : answer(res, 201, OK_ISSUE)));
  assert.equal((await client(gw.base).issueCard("1001", guard())).status, "INACTIVE");
  assert.ok(gw.requests[1].at - gw.requests[0].at >= 950);
});

test("Retry-After with a sign or a fraction counts as absent", async (t) => {
  withRandom(t, 0);
  for (const value of ["-1", "-120", "1.5", "0.5", "+2"]) {
    // issueCard on 503 without a readable Retry-After: it may have acted; not retried.
    const gw = await serve(t, (req, res) => answer(res, 503, "", { "retry-after": value }));
    const e = await rejection(client(gw.base).issueCard("1001", guard()));
    assert.deepEqual([e.status, e.attempts, e.retryable, e.outcome], [503, 1, true, "unknown"], value);
    // blockCard on 429: the ordinary backoff, then success.
    const gw429 = await serve(t, (req, res, n) => (n === 1 ? answer(res, 429, "", { "retry-after": value }) : answer(res, 200, OK_BLOCK)));
    assert.equal((await client(gw429.base).blockCard("1001", 5000001, guard())).status, "BLOCKED", value);
    assert.ok(gw429.requests[1].at - gw429.requests[0].at >= 450, value);
  }
});

// ---- 5. the token provider's own error is the cause ---------------------------------------

test("a token provider that rejects or throws: its own error is the config error's cause, and no secret shows", async (t) => {
  const gw = await serve(t, (req, res) => answer(res, 200, OK_BLOCK));
  const reason = new Error(`vault refused ${TOKEN}`);
  const thrown = new TypeError(`provider broke near ${TOKEN}`);
  for (const [how, provider, cause, message] of [
    ["rejects", () => Promise.reject(reason), reason, "getAccessToken rejected"],
    ["throws", () => {
      throw thrown;
    }, thrown, "getAccessToken threw"],
    ["rejects with a string", () => Promise.reject("no session"), "no session", "getAccessToken rejected"],
  ]) {
    const e = await rejection(client(gw.base, { accessToken: undefined, getAccessToken: provider }).blockCard("1001", 5000001));
    assert.ok(e instanceof MigoError, how);
    assert.deepEqual([e.kind, e.field, e.message, e.attempts, e.outcome], ["config", "getAccessToken", message, 0, "notSent"], how);
    assert.equal(e.cause, cause, `${how}: the provider's own value`);
    for (const shown of [e.message, e.toString(), JSON.stringify(e), JSON.stringify(e.toJSON())]) {
      assert.ok(!shown.includes(TOKEN), `${how}: ${shown}`);
      assert.ok(!shown.includes("no session"), `${how}: the cause is not copied into ${shown}`);
    }
  }
  // One that resolves to no token has nothing to give as cause.
  const e = await rejection(client(gw.base, { accessToken: undefined, getAccessToken: async () => "" }).blockCard("1001", 5000001));
  assert.deepEqual([e.field, e.cause], ["getAccessToken", undefined]);
  assert.equal(gw.requests.length, 0, "nothing was sent without a token");
});

test("MigoError.toJSON gives the message and the fields; a cause only when it is a MigoError", async (t) => {
  const gw = await serve(t, (req, res) => answer(res, 404, JSON.stringify({ success: false, errors: [{ code: "7200", message: "card not found" }] }), { "x-request-id": "req-404" }));
  const e = await rejection(client(gw.base).blockCard("1001", 5000001));
  assert.deepEqual(JSON.parse(JSON.stringify(e)), {
    message: e.message,
    kind: "api",
    status: 404,
    code: "7200",
    errors: [{ code: "7200", message: "card not found" }],
    requestId: "req-404",
    attempts: 1,
    retryable: false,
    outcome: "rejected",
  });
  // An abort reason is the caller's object: left out.
  const held = await serve(t, () => {});
  const ac = new AbortController();
  const pending = client(held.base).blockCard("1001", 5000001, { signal: ac.signal });
  while (held.requests.length < 1) await new Promise((r) => setTimeout(r, 5));
  ac.abort(new Error(`reason with ${TOKEN}`));
  const aborted = await rejection(pending);
  assert.equal(aborted.cause, ac.signal.reason);
  assert.equal(JSON.parse(JSON.stringify(aborted)).cause, undefined);
  // A MigoError cause (a retry refused after a lost answer) is nested as its own toJSON.
  withRandom(t, 0);
  const lost = await serve(t, (req, res, n) => (n === 1 ? res.socket.destroy() : answer(res, 409, JSON.stringify({ success: false, errors: [{ code: "7213", message: "card is BLOCKED" }] }))));
  const own = await rejection(client(lost.base).blockCard("1001", 5000001));
  assert.ok(own.cause instanceof MigoError);
  const json = JSON.parse(JSON.stringify(own));
  assert.deepEqual([json.kind, json.outcome, json.cause.code, json.cause.status], ["network", "unknown", "7213", 409]);
});
