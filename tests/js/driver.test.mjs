// The driver against servers that answer the way real gateways and proxies
// do (small node:http servers on 127.0.0.1), and with an injected `fetch`
// and no server at all. Each field case is a test here with its right
// value, next to its neighbours.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { MigoClient, MigoError } from "migo-cards";
import { rejection } from "./helpers.mjs";

const TOKEN = "tok_driver_test_secret";
const PAN = "4111111111111111";
const servers = [];
after(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

/**
 * A server whose `answer(req, body, n)` decides each answer (n counts from
 * 1); `requests` records what arrived.
 */
async function serve(answer) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body, at: Date.now() });
      const a = answer(req, body, requests.length) ?? { status: 200, body: { success: true, data: { ok: true } } };
      res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
      res.end(a.body === undefined ? "" : typeof a.body === "string" ? a.body : JSON.stringify(a.body));
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, api: `${url}/rest`, requests };
}

const client = (api, extra = {}) => new MigoClient({ accessToken: TOKEN, baseUrl: api, clientId: "c1", ...extra });

test("a redirect from the gateway is never followed: nothing reaches the other origin", async () => {
  const other = await serve(() => ({ status: 201, body: { success: true, data: { cardId: 1 } } }));
  for (const status of [301, 302, 303, 307, 308]) {
    const gw = await serve(() => ({ status, headers: { location: `${other.url}/rest/users/1001/cards?clientId=c1` } }));
    const e = await rejection(client(gw.api).linkCard("1001", { card: PAN }));
    assert.ok(e instanceof MigoError);
    assert.equal(e.kind, "api", `${status}`);
    assert.equal(e.status, status);
    assert.equal(e.outcome, "rejected");
    assert.equal(e.retryable, false);
    assert.equal(e.attempts, 1);
    assert.match(e.message, /redirect/);
    assert.equal(gw.requests.length, 1, "not retried");
  }
  assert.equal(other.requests.length, 0, "the card number never went to the other origin");
});

test("a fetch that follows redirects anyway: its answer is not used", async () => {
  const other = await serve(() => ({ status: 201, body: { success: true, data: { cardId: 666 } } }));
  const gw = await serve(() => ({ status: 307, headers: { location: `${other.url}/rest/users/1001/cards/virtuals` } }));
  const following = (url, init) => fetch(url, { ...init, redirect: "follow" });
  const e = await rejection(client(gw.api, { fetch: following }).issueCard("1001"));
  assert.equal(e.kind, "api");
  assert.equal(e.outcome, "unknown", "the request reached another location");
  assert.match(e.message, /redirected/);
});

test("a browser's opaque redirect (redirect: manual gives status 0, type opaqueredirect) is refused like a 3xx", async () => {
  // What Chromium's fetch answers a 307 with; Response cannot be built with status 0, so a look-alike.
  const opaque = async () => ({ type: "opaqueredirect", status: 0, redirected: false, headers: new Headers(), text: async () => "" });
  const e = await rejection(client("http://127.0.0.1:9/rest", { fetch: opaque }).linkCard("1001", { card: PAN }));
  assert.ok(e instanceof MigoError);
  assert.equal(e.kind, "api");
  assert.equal(e.outcome, "rejected");
  assert.equal(e.retryable, false);
  assert.equal(e.attempts, 1);
  assert.match(e.message, /redirect/);
});

test("a getAccessToken that never settles times out one call; the next ones ask again and succeed", async () => {
  const gw = await serve(() => ({ status: 200, body: { success: true, data: { status: "ACTIVE" } } }));
  let asked = 0;
  const c = new MigoClient({
    baseUrl: gw.api,
    getAccessToken: () => (++asked === 1 ? new Promise(() => {}) : Promise.resolve(TOKEN)),
  });
  const first = await rejection(c.activateCard("1001", 5000001, { timeoutMs: 300 }));
  assert.equal(first.kind, "timeout");
  assert.equal(first.attempts, 0);
  assert.equal(first.outcome, "notSent");
  assert.deepEqual(await c.activateCard("1001", 5000001, { timeoutMs: 300 }), { status: "ACTIVE" });
  assert.deepEqual(await c.activateCard("1001", 5000001, { timeoutMs: 300 }), { status: "ACTIVE" });
  assert.equal(asked, 2, "asked again once, then the token is kept");
  assert.equal(gw.requests.length, 2);
  assert.equal(gw.requests[0].headers.authorization, `Bearer ${TOKEN}`);
});

test("a getAccessToken that rejects once: that call fails as config, the next asks again", async () => {
  const gw = await serve(() => undefined);
  let asked = 0;
  const c = new MigoClient({
    baseUrl: gw.api,
    getAccessToken: () => (++asked === 1 ? Promise.reject(new Error("backend down")) : TOKEN),
  });
  const e = await rejection(c.blockCard("1001", 5000001));
  assert.equal(e.kind, "config");
  assert.equal(e.field, "getAccessToken");
  assert.ok(await c.blockCard("1001", 5000001));
  assert.equal(asked, 2);
});

/** HTTP dates of `ms` from now in the three RFC 9110 §5.6.7 forms. */
function httpDates(ms) {
  const d = new Date(Date.now() + ms);
  const imf = d.toUTCString(); // "Sun, 29 Nov 2026 22:44:09 GMT"
  const [wd, day, mon, year, time] = imf.replace(",", "").split(" ");
  const long = { Mon: "Monday", Tue: "Tuesday", Wed: "Wednesday", Thu: "Thursday", Fri: "Friday", Sat: "Saturday", Sun: "Sunday" }[wd];
  return {
    imf,
    rfc850: `${long}, ${day}-${mon}-${year.slice(2)} ${time} GMT`,
    asctime: `${wd} ${mon} ${day.replace(/^0/, " ").padStart(2, " ")} ${time} ${year}`,
  };
}

test("Retry-After as an HTTP date in every form is honoured, and a creating call on 503 with it is retried", async () => {
  await Promise.all(
    ["imf", "rfc850", "asctime"].map(async (form) => {
      const gw = await serve((req, body, n) =>
        n === 1
          ? { status: 503, headers: { "retry-after": httpDates(3000)[form] } }
          : { status: 201, body: { success: true, data: { cardId: 5000009 } } },
      );
      const card = await client(gw.api).issueCard("1001");
      assert.deepEqual(card, { cardId: 5000009 }, form);
      assert.equal(gw.requests.length, 2, form);
      const gap = gw.requests[1].at - gw.requests[0].at;
      // The date has whole seconds, so 3 s ahead is 2 to 3 s away.
      assert.ok(gap >= 1900, `${form}: retried after ${gap} ms`);
    }),
  );
});

test("a page's later patches of Date never run inside the module: a Retry-After date is still read by the engine's own", async () => {
  const date = httpDates(2000).imf;
  let sent = 0;
  const fetch = async () =>
    ++sent === 1
      ? new Response("", { status: 503, headers: { "retry-after": date } })
      : new Response(JSON.stringify({ success: true, data: { cardId: 5000010 } }), { status: 201 });
  const c = new MigoClient({ accessToken: TOKEN, baseUrl: "http://127.0.0.1:9/rest", fetch });
  const { parse } = Date;
  const { toUTCString } = Date.prototype;
  // Patches that would re-enter the SDK (or just lie) if the module's imports used them.
  Date.parse = () => (c.issueCard("1001").catch(() => {}), 0);
  Date.prototype.toUTCString = () => "Thu, 01 Jan 1970 00:00:00 GMT";
  try {
    const t0 = Date.now();
    assert.deepEqual(await c.issueCard("1001"), { cardId: 5000010 });
    assert.equal(sent, 2);
    assert.ok(Date.now() - t0 >= 900, "waited for the date");
  } finally {
    Date.parse = parse;
    Date.prototype.toUTCString = toUTCString;
  }
});

test("Retry-After in the past means at once; beyond 60 s the call fails at once, retryable", async () => {
  const past = await serve((req, body, n) => (n === 1 ? { status: 429, headers: { "retry-after": httpDates(-5000).rfc850 } } : undefined));
  const t0 = Date.now();
  assert.ok(await client(past.api).activateCard("1001", 1));
  assert.ok(Date.now() - t0 < 1000);
  const far = await serve(() => ({ status: 429, headers: { "retry-after": "120" } }));
  const e = await rejection(client(far.api).activateCard("1001", 1));
  assert.equal(e.retryable, true);
  assert.equal(e.attempts, 1);
});

test("ac.abort(reason): the MigoError's cause is the reason; AbortSignal.timeout gives kind timeout", async () => {
  const slow = await serve(() => undefined);
  const hang = (url, init) =>
    new Promise((resolve, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
  const c = client(slow.api, { fetch: hang });
  for (const reason of [new Error("user left the page"), "navigated away", { code: 7 }]) {
    const ac = new AbortController();
    const p = c.activateCard("1001", 1, { signal: ac.signal });
    setTimeout(() => ac.abort(reason), 20);
    const e = await rejection(p);
    assert.equal(e.kind, "aborted");
    assert.equal(e.cause, reason);
    assert.equal(e.outcome, "unknown", "aborted in flight");
  }
  // Already aborted: nothing sent.
  const ac = new AbortController();
  const why = new Error("before");
  ac.abort(why);
  const e = await rejection(c.activateCard("1001", 1, { signal: ac.signal }));
  assert.equal(e.kind, "aborted");
  assert.equal(e.outcome, "notSent");
  // A caller's own timeout signal.
  const t = await rejection(c.activateCard("1001", 1, { signal: AbortSignal.timeout(100) }));
  assert.equal(t.kind, "timeout");
  assert.equal(t.cause?.name, "TimeoutError");
  assert.equal(t.retryable, true);
  // While waiting between retries.
  const busy = await serve(() => ({ status: 503, headers: { "retry-after": "5" } }));
  const ac2 = new AbortController();
  const p = client(busy.api).blockCard("1001", 1, { signal: ac2.signal });
  setTimeout(() => ac2.abort(new Error("stop")), 100);
  const b = await rejection(p);
  assert.equal(b.kind, "aborted");
  assert.equal(b.cause.message, "stop");
  assert.equal(b.attempts, 1);
});

test("a signal that fires as its listener is added aborts the call then: nothing sent, no listener left", async () => {
  let sent = 0;
  const c = client("http://127.0.0.1:9/rest", { fetch: async () => (sent++, new Response("{}")) });
  const reason = new Error("now");
  // Shaped like a live AbortSignal, but calls each listener as it is added.
  const signal = {
    aborted: false,
    reason,
    live: 0,
    addEventListener(type, fn) {
      this.live++;
      fn();
    },
    removeEventListener() {
      this.live--;
    },
  };
  const e = await rejection(c.activateCard("1001", 1, { signal }));
  assert.equal(e.kind, "aborted");
  assert.equal(e.cause, reason);
  assert.equal(sent, 0);
  assert.equal(signal.live, 0);
  // The same while waiting for a token.
  const p = new MigoClient({ getAccessToken: () => new Promise(() => {}), baseUrl: "http://127.0.0.1:9/rest" });
  const t = await rejection(p.activateCard("1001", 1, { signal }));
  assert.equal(t.kind, "aborted");
  assert.equal(t.cause, reason);
  assert.equal(signal.live, 0);
});

test("the fetch option: any function of fetch's signature is used instead of the global one", async () => {
  const seen = [];
  const fake = async (url, init) => {
    seen.push({ url, ...init });
    return new Response(JSON.stringify({ success: true, data: { cardId: 42, status: "INACTIVE" } }), {
      status: 201,
      headers: { "x-request-id": "req-fake" },
    });
  };
  const c = new MigoClient({ accessToken: TOKEN, environment: "sandbox", fetch: fake, applicationId: "app-1" });
  assert.deepEqual(await c.issueCard("1001"), { cardId: 42, status: "INACTIVE" });
  assert.equal(seen.length, 1);
  assert.equal(seen[0].url, "https://ali-qa.ali.app/rest/users/1001/cards/virtuals");
  assert.equal(seen[0].method, "POST");
  assert.equal(seen[0].redirect, "manual");
  assert.deepEqual(seen[0].headers, { authorization: `Bearer ${TOKEN}`, "x-application-id": "app-1" });
  assert.equal(seen[0].body, undefined);
  assert.ok(seen[0].signal instanceof AbortSignal);
  // Called without a receiver, as the standard fetch allows.
  const strict = function (url, init) {
    assert.equal(this, undefined);
    return fake(url, init);
  };
  await new MigoClient({ accessToken: TOKEN, fetch: strict }).issueCard("1001");
});

test("with no fetch at all, calls fail as config naming fetch, with nothing sent", async () => {
  const saved = globalThis.fetch;
  delete globalThis.fetch;
  try {
    const c = new MigoClient({ accessToken: TOKEN });
    const e = await rejection(c.issueCard("1001"));
    assert.equal(e.kind, "config");
    assert.equal(e.field, "fetch");
    assert.equal(e.attempts, 0);
    assert.equal(e.outcome, "notSent");
  } finally {
    globalThis.fetch = saved;
  }
  assert.throws(() => new MigoClient({ accessToken: TOKEN, fetch: 42 }), (e) => e.kind === "config" && e.field === "fetch");
});

test("a fetch that throws or answers with something else is never a gateway error", async () => {
  const thrower = () => {
    throw new TypeError("Illegal invocation");
  };
  const e = await rejection(client("http://127.0.0.1:9/rest", { fetch: thrower }).issueCard("1001"));
  assert.equal(e.kind, "config");
  assert.equal(e.field, "fetch");
  assert.equal(e.outcome, "notSent");
  for (const bogus of [undefined, 42, {}, { text: 1 }]) {
    const e = await rejection(client("http://127.0.0.1:9/rest", { fetch: async () => bogus, maxRetries: 0 }).activateCard("1", 1));
    assert.equal(e.kind, "network");
    assert.equal(e.attempts, 1);
  }
});

test("a network failure's cause is the fetch error, scrubbed of the view token", async () => {
  const vt = "vt+Q2FyZA/x9==";
  const leaky = (url) => Promise.reject(new TypeError(`request to ${url} failed, reason: connect ECONNREFUSED`));
  const e = await rejection(client("http://127.0.0.1:9/rest", { fetch: leaky }).getCardDetails("1001", 5000001, vt));
  assert.equal(e.kind, "network");
  assert.equal(e.cause.name, "TypeError");
  assert.match(e.cause.message, /ECONNREFUSED/);
  assert.ok(!e.cause.message.includes("vt%2BQ2FyZA"), e.cause.message);
  assert.ok(!JSON.stringify(e).includes("Q2FyZA"));
});

test("free() while calls are in flight lets them finish", async () => {
  const gw = await serve(() => undefined);
  const c = client(gw.api);
  const p = c.activateCard("1001", 1);
  c.free();
  assert.deepEqual(await p, { ok: true });
  const e = await rejection(c.activateCard("1001", 1));
  assert.equal(e.field, "this");
});

test("values with characters beyond ASCII come back whole (the driver slices the body the core indexes)", async () => {
  const body = JSON.stringify({ success: true, message: "héllo 😀", data: { alias: "Café ☕ 𝄞", cardId: 7, big: 9007199254740993n.toString() } });
  const stub = async () => new Response(body, { status: 200 });
  const c = client("http://127.0.0.1:9/rest", { fetch: stub });
  assert.deepEqual(await c.activateCard("1", 7), { alias: "Café ☕ 𝄞", cardId: 7, big: "9007199254740993" });
  const rewritten = async () => new Response('{"success":true,"message":"é","data":{"cardId":9007199254740993,"alias":"ü"}}', { status: 200 });
  assert.deepEqual(await client("http://127.0.0.1:9/rest", { fetch: rewritten }).activateCard("1", 7), { cardId: "9007199254740993", alias: "ü" });
});

test("requests with characters beyond ASCII go out whole (the request lines are decoded as UTF-8 and cut by indexOf)", async () => {
  const gw = await serve((req, body) => ({ status: 200, body: { success: true, data: JSON.parse(body) } }));
  const c = client(gw.api);
  for (const alias of ["Café ☕ 𝄞", "é", "x".repeat(60) + "ü", "plain ascii"]) {
    assert.deepEqual(await c.updateCardAlias(5000001, alias), { alias });
  }
  assert.deepEqual(gw.requests.map((r) => JSON.parse(r.body).alias), ["Café ☕ 𝄞", "é", "x".repeat(60) + "ü", "plain ascii"]);
  assert.ok(gw.requests.every((r) => r.method === "PATCH" && r.url === "/rest/cards/5000001" && r.headers.authorization === `Bearer ${TOKEN}`));
});

test("fetch is called from a microtask after the method returns; an abort before it sends nothing", async () => {
  let calls = 0;
  const f = async () => {
    calls++;
    return new Response(JSON.stringify({ success: true, data: { ok: true } }), { status: 200 });
  };
  const c = client("http://127.0.0.1:9/rest", { fetch: f });
  const p = c.updateCardAlias(1, "x");
  assert.equal(calls, 0, "not from the caller's stack");
  await null;
  assert.equal(calls, 1, "within the same task");
  assert.deepEqual(await p, { ok: true });
  const ac = new AbortController();
  const q = c.updateCardAlias(1, "x", { signal: ac.signal });
  ac.abort(new Error("changed my mind"));
  const e = await rejection(q);
  // Nothing went: no attempt, and the gateway cannot have acted.
  assert.deepEqual([e.kind, e.attempts, e.outcome], ["aborted", 0, "notSent"]);
  assert.equal(e.cause.message, "changed my mind");
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(calls, 1, "the aborted call's fetch never ran");
});

// ---- deadlines: one timer armed for the earliest (js/api.js, onDeadline) ----

/** A fetch that never answers; `aborted` lists the calls whose signal fired, by alias. */
function hanging() {
  const aborted = [];
  const f = (url, init) =>
    new Promise((_, reject) => {
      init.signal.addEventListener("abort", () => {
        aborted.push(JSON.parse(init.body).alias);
        reject(init.signal.reason);
      });
    });
  return { f, aborted };
}

test("every call times out at its own deadline, shorter or longer than those pending, and its fetch is aborted", async () => {
  const { f, aborted } = hanging();
  const c = client("http://127.0.0.1:9/rest", { fetch: f, maxRetries: 0 });
  const ok = client("http://127.0.0.1:9/rest", { fetch: async () => new Response('{"success":true,"data":{}}') });
  // Calls that end in time leave the timer armed for their (long) deadlines.
  for (let i = 0; i < 20; i++) await ok.updateCardAlias(1, "x");
  // On the clock the deadlines run on (monotonic), read before the calls start.
  const t0 = performance.now();
  const ended = {};
  const run = (alias, timeoutMs) =>
    rejection(c.updateCardAlias(1, alias, { timeoutMs })).then((e) => {
      ended[alias] = performance.now() - t0;
      return e;
    });
  const long = run("long", 900); // armed first, fires last
  const short = run("short", 150); // earlier than the armed timer: armed again
  const middle = run("middle", 450); // later than the armed timer: waits its turn
  const errors = await Promise.all([long, short, middle]);
  for (const e of errors) assert.deepEqual([e.kind, e.outcome, e.attempts], ["timeout", "unknown", 1]);
  assert.deepEqual(aborted, ["short", "middle", "long"]);
  assert.ok(ended.short >= 150 && ended.middle >= 450 && ended.long >= 900, JSON.stringify(ended));
  assert.ok(ended.short < ended.middle && ended.middle < ended.long, JSON.stringify(ended));
});

test("a deadline after fake timers come and go still fires (the shared timer is armed again)", async (t) => {
  const { f } = hanging();
  const c = client("http://127.0.0.1:9/rest", { fetch: f, maxRetries: 0 });
  const ok = client("http://127.0.0.1:9/rest", { fetch: async () => new Response('{"success":true,"data":{}}') });
  const flush = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  await ok.updateCardAlias(1, "x"); // a real timer armed 30 s ahead
  // The mocked clock an hour behind, then level with the real one once it has
  // ticked: each time the shared timer is left armed on fake timers that are
  // then removed, for a deadline before the next real one.
  for (const [behind, dropped, real] of [[3_600_000, 30_000, 100], [60_000, 300, 600]]) {
    t.mock.timers.enable({ apis: ["setTimeout", "Date"], now: Date.now() - behind });
    const mocked = rejection(c.updateCardAlias(1, "mocked", { timeoutMs: 60_000 }));
    await flush();
    t.mock.timers.tick(60_000);
    assert.equal((await mocked).kind, "timeout", "the mocked clock drove the deadline");
    const pending = c.updateCardAlias(1, "dropped", { timeoutMs: dropped }).catch(() => {});
    await flush();
    t.mock.timers.reset();
    const e = await rejection(c.updateCardAlias(1, "real", { timeoutMs: real }));
    assert.equal(e.kind, "timeout", `${behind} ms behind`);
    void pending;
  }
});

test("a deadline already due when the shared timer is found overdue fires then, not at the next call's deadline", async () => {
  const { f } = hanging();
  const c = client("http://127.0.0.1:9/rest", { fetch: f, maxRetries: 0 });
  const ended = {};
  const t0 = Date.now();
  const early = rejection(c.updateCardAlias(1, "early", { timeoutMs: 100 })).then((e) => ((ended.early = Date.now() - t0), e));
  // The event loop blocked past the armed timer by more than a second, then
  // a call with a long deadline: the timer is armed again, for "early".
  while (Date.now() - t0 < 1300);
  const late = rejection(c.updateCardAlias(1, "late", { timeoutMs: 4000 })).then((e) => ((ended.late = Date.now() - t0), e));
  assert.equal((await early).kind, "timeout");
  assert.ok(ended.late === undefined, `"early" timed out before "late": ${JSON.stringify(ended)}`);
  assert.equal((await late).kind, "timeout");
});

test("a finished call leaves nothing that keeps Node running; one in flight does until its deadline", async () => {
  const { spawnSync } = await import("node:child_process");
  const script = (hang) => `
    import { MigoClient } from "migo-cards";
    const ok = async () => new Response('{"success":true,"data":{"n":1}}');
    const c = new MigoClient({ accessToken: "t", baseUrl: "http://127.0.0.1:9/rest", timeoutMs: 60000, fetch: ${hang ? "() => new Promise(() => {})" : "ok"} });
    const t0 = Date.now();
    process.on("exit", () => console.log(Date.now() - t0));
    c.updateCardAlias(1, "a", ${hang ? "{ timeoutMs: 1500 }" : "undefined"}).then((v) => console.log(JSON.stringify(v)), (e) => console.log(e.kind));
  `;
  const run = (hang) => spawnSync(process.execPath, ["--input-type=module", "-e", script(hang)], { encoding: "utf8", timeout: 30_000 });
  const done = run(false);
  assert.equal(done.status, 0, done.stderr);
  const [value, ms] = done.stdout.trim().split("\n");
  assert.equal(value, '{"n":1}');
  assert.ok(Number(ms) < 20_000, `exited after ${ms} ms: the 60 s timer kept it alive`);
  const held = run(true);
  const [kind, heldMs] = held.stdout.trim().split("\n");
  assert.equal(kind, "timeout", "the pending call's deadline kept the process alive until it fired");
  assert.ok(Number(heldMs) >= 1500, heldMs);
});
