// No input can crash the module: every export called 100 000+ times with
// hostile arguments. Each call must return, or throw / reject with a
// MigoError; never a RuntimeError (a trap), a TypeError from the glue, or
// anything else. The module must still work afterwards.
//
// Replay a run with FUZZ_SEED=<seed> (printed at the start); FUZZ_CALLS sets
// the number of top-level calls (default 100 000).
//
// Network: calls whose arguments pass validation do send requests. The first
// REAL_BUDGET requests to the local gateway go through; every later one, and
// any request to another host (a fuzzed baseUrl), is answered by a stand-in
// fetch with a hostile Response (odd statuses, bodies, headers) or a network
// error, so the gateway is not flooded and nothing leaves the machine. Stand-in
// answers never ask for a Retry-After wait between 1 and 60 s, and after the
// run they turn into plain 400s so pending retries end quickly.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { MigoClient, MigoError, activationUrl, isValidCardNumber } from "migo-cards";
import { operations } from "migo-cards/testing";
import { startGateway, TOKEN, EXPIRED_TOKEN } from "./gateway.mjs";
import { makeHostile, describeArgs, describe, label, prng, VALID_PAN } from "./hostile.mjs";

const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) >>> 0 : randomInt(2 ** 32);
const CALLS = Number(process.env.FUZZ_CALLS ?? 100_000);
const REAL_BUDGET = 300;

const KINDS = new Set(["validation", "config", "api", "network", "decode", "timeout", "aborted"]);
const OUTCOMES = new Set(["notSent", "rejected", "unknown"]);

// Every method of the package with the kinds of its arguments: a parameter's
// name, or for an object argument its properties' names joined by commas.
const METHODS = operations.map(({ name, args }) => [name, [...args.map((a) => (typeof a === "string" ? a : a.join(","))), "options"]]);

let gw;
before(async () => {
  gw = await startGateway();
});
after(() => gw.stop());

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A MigoError with well-formed fields. */
function wellFormed(e) {
  return (
    e instanceof MigoError &&
    e instanceof Error &&
    KINDS.has(e.kind) &&
    typeof e.message === "string" &&
    Number.isInteger(e.attempts) &&
    e.attempts >= 0 &&
    typeof e.retryable === "boolean" &&
    OUTCOMES.has(e.outcome)
  );
}

function errorName(e) {
  try {
    if (e instanceof WebAssembly.RuntimeError) return `RuntimeError (trap): ${e.message}`;
    if (e instanceof MigoError) return `malformed MigoError kind=${String(e.kind)} attempts=${String(e.attempts)} outcome=${String(e.outcome)}`;
    if (e instanceof Error) return `${e.constructor?.name ?? "Error"}: ${String(e.message).slice(0, 120)}`;
    return `non-Error thrown: ${describe(e)}`;
  } catch {
    return "unprintable throw";
  }
}

// ---- the stand-in fetch ----------------------------------------------------

const SYN_STATUSES = [200, 200, 201, 204, 299, 400, 401, 403, 404, 409, 418, 422, 429, 500, 502, 503, 504, 408, 599];
const SYN_BODIES = [
  "", " ", "null", "true", "1", '"text"', "[]", "{}", "[1,2]",
  '{"success":true}', '{"success":true,"data":null}', '{"success":true,"data":{"cardId":5000001,"x":[1,{"y":null}]}}',
  '{"statusCode":200,"data":[1,2]}', '{"statusCode":"200"}', '{"statusCode":99999}', '{"statusCode":503,"message":"busy"}',
  '{"statusCode":-1}', '{"success":"false"}', '{"success":false}', '{"success":false,"errors":null}',
  '{"success":false,"errors":"x"}', '{"success":false,"errors":[]}', '{"success":false,"errors":[null]}',
  '{"success":false,"errors":[{"code":null}]}', '{"success":false,"errors":[{"code":{"a":1}}]}',
  '{"success":false,"errors":[{"code":7213,"message":1}]}', '{"success":false,"message":{"x":1}}',
  `{"success":false,"errors":[{"code":"${"9".repeat(100)}"}]}`, `{"success":false,"message":"${"m".repeat(5000)}"}`,
  `{"success":false,"message":"a\\u0000b\\ud800c","errors":[{"code":"\\ud800","message":"\\udfff"}]}`,
  `{"success":true,"data":${"[".repeat(300)}${"]".repeat(300)}}`, "[".repeat(100_000),
  '{"__proto__":{"polluted":1},"success":true,"data":{"__proto__":{"polluted":1}}}', "\ufeff{\"success\":true}",
  '{"success":true,"data":1e400}', '{"success":true,"data":"\\ud800"}', '{"success":true,"success":false}',
  '{"success":true,"data":1}trailing', "<html><body>502</body></html>", "\u0000\u0001", "\ud800",
];
const SYN_RETRY_AFTER = [undefined, undefined, undefined, "0", "61", "120", "-1", "1.5", "abc", "", "9999999999", "4294967296", "Sun, 06 Nov 1994 08:49:37 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Sun, 06 Nov 1994 08:49:37 UTC", "0 ", "00000000000000000001"];

function standInFetch(originalFetch, stats) {
  const r = prng(SEED ^ 0x2545f491);
  const pick = (a) => a[Math.floor(r() * a.length)];
  let draining = false;
  const fetch = function (url, init) {
    const u = String(url);
    if (!u.startsWith(gw.url + "/rest")) {
      if (!u.startsWith(gw.url)) stats.offHost++;
    } else if (stats.real < REAL_BUDGET && !draining) {
      stats.real++;
      return originalFetch.call(this, url, init);
    }
    stats.synthetic++;
    if (draining) return Promise.resolve(new Response('{"success":false,"errors":[{"code":"7000"}]}', { status: 400 }));
    if (r() < 0.04) return Promise.reject(new TypeError("fetch failed"));
    const status = pick(SYN_STATUSES);
    const headers = new Headers();
    if (r() < 0.7) headers.set("content-type", pick(["application/json", "text/html", "text/plain", "application/json; charset=utf-16"]));
    if (r() < 0.5) headers.set("x-request-id", pick(["req-1", "", "x".repeat(300), "\u00ff\u00fe", "a b", "req-000001"]));
    const ra = pick(SYN_RETRY_AFTER);
    if (ra !== undefined) headers.set("retry-after", ra);
    let body = r() < 0.03 ? new Uint8Array([0xff, 0xfe, 0x7b, 0x22]) : pick(SYN_BODIES);
    if (status === 204) body = null;
    return Promise.resolve(new Response(body, { status, headers }));
  };
  return { fetch, drain: () => (draining = true) };
}

// ---- the run ---------------------------------------------------------------

test("fuzz: every export, 100 000+ hostile calls, only MigoErrors, module intact", async (t) => {
  const banner = `fuzz seed=${SEED} calls=${CALLS} (replay: FUZZ_SEED=${SEED} node --test tests/js/fuzz.test.mjs)`;
  console.log(banner);
  t.diagnostic(banner);

  const stats = { calls: 0, byExport: Object.create(null), syncMigoErrors: 0, rejections: 0, resolutions: 0, returns: 0, real: 0, synthetic: 0, offHost: 0, reentries: 0 };
  const failures = new Map();
  const fail = (exportName, how, e, args, i) => {
    const sig = `${exportName} ${how}: ${errorName(e)}`;
    const f = failures.get(sig);
    if (f) f.count++;
    else failures.set(sig, { count: 1, example: `call #${i} ${exportName}${args ? describeArgs(args) : ""}` });
  };

  let pending = 0;
  let iteration = 0;
  const inFlight = new Map(); // call id -> [export, args], described only if it never settles
  const track = (exportName, p, args, i) => {
    if (!(p instanceof Promise)) {
      fail(exportName, "returned a non-promise", new Error(describe(p)), args, i);
      return;
    }
    pending++;
    const id = `${i}/${pending}/${stats.calls}`;
    inFlight.set(id, [exportName, args]);
    const settle = () => {
      pending--;
      inFlight.delete(id);
    };
    p.then(
      () => {
        stats.resolutions++;
        settle();
      },
      (e) => {
        stats.rejections++;
        settle();
        if (!wellFormed(e)) fail(exportName, "rejected", e, args, i);
      },
    );
  };

  // Plausible valid values, so that some calls get past validation.
  const fakeSignal = () =>
    label({ aborted: false, addEventListener() {}, removeEventListener() {} }, "signal-shaped object");
  const ctx = { bigUses: 0, valid: Object.create(null) };
  const h = makeHostile(SEED, ctx);
  const late = makeHostile(SEED ^ 0x9e3779b9, ctx); // for values made asynchronously
  const providers = [
    () => label(async () => TOKEN, "async provider"),
    () => label(() => TOKEN, "sync provider"),
    () => label(() => new Promise((r) => setTimeout(() => r(TOKEN), 20)), "slow provider"),
    () => {
      let n = 0;
      return label(async () => (n++ === 0 ? EXPIRED_TOKEN : TOKEN), "expired-then-good provider");
    },
    () => label(() => { throw new Error("provider"); }, "throwing provider"),
    () => label(async () => late.any(), "provider resolving to a hostile value"),
    () => label(() => late.any(), "provider returning a hostile value"),
    () => label(() => ({ then(res) { res(late.any()); } }), "provider returning a hostile thenable"),
    () => label(() => ({ get then() { throw new Error("then"); } }), "provider returning a thenable whose then throws"),
    () => label(() => Promise.reject(late.any()), "provider rejecting with a hostile value"),
  ];
  Object.assign(ctx.valid, {
    userId: () => h.pick(["1001", "1002", "alice", 1001, "nobody", "x y"]),
    authUserId: () => h.pick(["1002", 1003, "alice"]),
    cardId: () => h.pick([5000001, "5000001", 0, 2 ** 53 - 1, "1", "00000000000000000000000000000009"]),
    viewToken: () => h.pick(["vt_00000000", "vt_deadbeef", "x"]),
    alias: () => h.pick(["Fuzz", "😀", "x".repeat(64), "a b"]),
    card: () => h.pick([VALID_PAN, "4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005"]),
    clientId: () => h.pick(["acme", "c"]),
    month: () => 1 + h.int(12),
    year: () => h.pick([2026, 1000, 9999]),
    maxRetries: () => h.pick([0, 0, 1]),
    timeoutMs: () => h.pick([1, 50, 300, 2000]),
    signal: () => h.pick([() => new AbortController().signal, () => AbortSignal.abort(), fakeSignal, () => AbortSignal.timeout(5)])(),
    environment: () => h.pick(["production", "sandbox"]),
    baseUrl: () => h.pick([gw.api, gw.api + "/", gw.url, "https://api.example.com/rest", "http://localhost:1/rest"]),
    applicationId: () => h.pick(["app-fuzz", "a"]),
    accessToken: () => h.pick([TOKEN, EXPIRED_TOKEN, "tok_fuzz"]),
    getAccessToken: () => h.pick(providers)(),
    client: () => h.pick(["migoDeveloper", "c"]),
    aborted: () => h.pick([true, false]),
    addEventListener: () => function () {},
    removeEventListener: () => function () {},
    options: () => (h.chance(0.3) ? undefined : h.record(["signal", "timeoutMs", "maxRetries"].filter(() => h.chance(0.6)))),
    clientOptions: () =>
      h.record(
        [h.chance(0.5) ? "accessToken" : "getAccessToken", "baseUrl", "applicationId", "clientId", "environment", "maxRetries", "timeoutMs"].filter(
          (k, i) => i < 2 || h.chance(0.3),
        ),
      ),
    activationOptions: () => h.record(["userId", "client", "environment"].filter((k, i) => i === 0 || h.chance(0.5))),
  });

  // An object argument: some of its properties, each valid, hostile or a trap.
  for (const [, kinds] of METHODS) {
    for (const k of kinds) if (k.includes(",")) ctx.valid[k] = () => h.record(k.split(",").filter(() => h.chance(0.75)));
  }

  // Clients the method calls go to: fixed options, so no call can sit out a
  // long backoff (maxRetries <= 1) or a long timeout.
  const clients = [
    new MigoClient({ accessToken: TOKEN, baseUrl: gw.api, clientId: "acme", maxRetries: 0, timeoutMs: 2000 }),
    new MigoClient({ accessToken: TOKEN, baseUrl: gw.api, maxRetries: 1, timeoutMs: 300, applicationId: "app" }),
    new MigoClient({ accessToken: EXPIRED_TOKEN, baseUrl: gw.api, maxRetries: 0 }),
    new MigoClient({ accessToken: TOKEN, environment: "sandbox", maxRetries: 0 }), // off-host: stand-in answers
    ...providers.map((p) => new MigoClient({ getAccessToken: p(), baseUrl: gw.api, clientId: "acme", maxRetries: 1, timeoutMs: 1000 })),
  ];

  const args = (gen, kinds) => {
    const r = gen.rand();
    let n = kinds.length;
    if (r < 0.1) n = gen.int(kinds.length);
    else if (r < 0.2) n = kinds.length + 1 + gen.int(3);
    else if (r < 0.3) n = gen.int(kinds.length + 4);
    const out = [];
    for (let k = 0; k < n; k++) out.push(k < kinds.length ? gen.param(kinds[k]) : gen.any());
    return out;
  };

  const count = (name) => {
    stats.calls++;
    stats.byExport[name] = (stats.byExport[name] ?? 0) + 1;
  };

  /** Calls one export chosen by `gen`; `i` identifies the top-level call. */
  function callOne(gen, i) {
    const r = gen.rand();
    if (r < 0.62) {
      const [name, kinds] = gen.pick(METHODS);
      const a = args(gen, kinds);
      const c = gen.pick(clients);
      count(name);
      let p;
      try {
        p = c[name](...a);
      } catch (e) {
        if (wellFormed(e)) stats.syncMigoErrors++;
        else fail(name, "threw synchronously", e, a, i);
        return;
      }
      track(name, p, a, i);
    } else if (r < 0.78) {
      const a = args(gen, ["clientOptions"]);
      count("new MigoClient");
      try {
        const c = new MigoClient(...a);
        stats.returns++;
        // The client's own surface, once per successful construction.
        for (const [name, f] of [
          ["environment", () => c.environment],
          ["baseUrl", () => c.baseUrl],
          ["toJSON", () => c.toJSON()],
          ["toString", () => c.toString()],
          ["String(client)", () => String(c)],
          ["JSON.stringify(client)", () => JSON.stringify(c)],
        ]) {
          count(name);
          try {
            f();
          } catch (e) {
            fail(name, "threw", e, a, i);
          }
        }
      } catch (e) {
        if (!wellFormed(e) || e.kind !== "config") fail("new MigoClient", "threw", e, a, i);
      }
    } else if (r < 0.89) {
      const a = args(gen, ["activationOptions"]);
      count("activationUrl");
      try {
        const url = activationUrl(...a);
        if (typeof url !== "string") fail("activationUrl", "returned a non-string", new Error(describe(url)), a, i);
        stats.returns++;
      } catch (e) {
        if (!wellFormed(e) || e.kind !== "validation") fail("activationUrl", "threw", e, a, i);
      }
    } else {
      const a = args(gen, ["card"]);
      count("isValidCardNumber");
      try {
        const ok = isValidCardNumber(...a);
        if (typeof ok !== "boolean") fail("isValidCardNumber", "returned a non-boolean", new Error(describe(ok)), a, i);
        stats.returns++;
      } catch (e) {
        fail("isValidCardNumber", "threw (documented never to throw)", e, a, i);
      }
    }
  }

  // Getters that call back into the SDK while it reads them.
  ctx.reenter = (depth, gen = late) => {
    if (depth > 3 || stats.reentries > 5000) return;
    stats.reentries++;
    callOne(gen, `${iteration}.reentrant`);
  };

  const unhandled = [];
  const onUnhandled = (e) => unhandled.push(errorName(e));
  process.on("unhandledRejection", onUnhandled);
  const originalFetch = globalThis.fetch;
  const standIn = standInFetch(originalFetch, stats);
  globalThis.fetch = standIn.fetch;
  const started = performance.now();
  try {
    for (iteration = 0; iteration < CALLS; iteration++) {
      callOne(h, iteration);
      if (iteration % 1000 === 999) {
        await new Promise((r) => setImmediate(r));
        while (pending > 5000) await sleep(5);
      }
    }
    standIn.drain();
    const deadline = Date.now() + 30_000;
    while (pending > 0 && Date.now() < deadline) await sleep(20);
  } finally {
    globalThis.fetch = originalFetch;
    process.off("unhandledRejection", onUnhandled);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  const summary = `fuzz seed=${SEED}: ${stats.calls} calls in ${seconds} s (${stats.reentries} from inside getters); ` +
    `${stats.rejections} rejections, ${stats.resolutions} resolutions, ${stats.returns} returns, ${stats.syncMigoErrors} sync MigoErrors from methods; ` +
    `requests: ${stats.real} to the gateway, ${stats.synthetic} answered by the stand-in (${stats.offHost} for other hosts); ` +
    `1 MB strings used ${ctx.bigUses} times; per export ${JSON.stringify(stats.byExport)}`;
  console.log(summary);
  t.diagnostic(summary);

  const report = [...failures].map(([sig, f]) => `  ${f.count} x ${sig}\n      first: ${f.example}`).join("\n");
  assert.equal(failures.size, 0, `seed ${SEED}: calls that did not end in a value or a MigoError:\n${report}`);
  assert.deepEqual(unhandled, [], "unhandled rejections during the run");
  const stuck = [...inFlight].slice(0, 10).map(([id, [name, a]]) => `call ${id} ${name}${describeArgs(a)}`);
  assert.equal(pending, 0, `calls still pending 30 s after the run:\n  ${stuck.join("\n  ")}`);
  assert.ok(stats.calls >= 100_000 || CALLS < 100_000, `only ${stats.calls} calls`);

  // The module still works.
  const c = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api });
  const card = await c.issueCard("1001");
  assert.equal(card.status, "INACTIVE");
  assert.equal((await c.activateCard("1001", card.cardId)).status, "ACTIVE");
  assert.equal(isValidCardNumber(VALID_PAN), true);
  assert.equal(activationUrl({ userId: "u" }), "https://web.migopayments.com/card-activation?userId=u");
  assert.throws(() => new MigoClient({}), MigoError);
});

// ---- targeted cases the random run may find only by chance ----------------

test("revoked Proxies anywhere in the arguments give a MigoError, never a TypeError", async () => {
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  const c = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api, clientId: "acme" });
  const cases = [
    ["issueCard(revoked)", () => c.issueCard(revoked())],
    ["activateCard(1001, revoked)", () => c.activateCard("1001", revoked())],
    ["updateCardAlias(1, revoked)", () => c.updateCardAlias(1, revoked())],
    ["linkCard(1001, {card: revoked})", () => c.linkCard("1001", { card: revoked() })],
    ["createStatement(1, {month: revoked})", () => c.createStatement(1, { month: revoked(), year: 2026 })],
    ["issueCard(1001, {signal: revoked})", () => c.issueCard("1001", { signal: revoked() })],
    ["issueCard(1001, {timeoutMs: revoked})", () => c.issueCard("1001", { timeoutMs: revoked() })],
    ["getCardDetails(1001, 1, revoked)", () => c.getCardDetails("1001", 1, revoked())],
    ["new MigoClient({accessToken: revoked})", () => new MigoClient({ accessToken: revoked() })],
    ["new MigoClient({accessToken, baseUrl: revoked})", () => new MigoClient({ accessToken: TOKEN, baseUrl: revoked() })],
    ["activationUrl({userId: revoked})", () => activationUrl({ userId: revoked() })],
    ["isValidCardNumber(revoked)", () => isValidCardNumber(revoked())],
  ];
  const bad = [];
  for (const [name, f] of cases) {
    try {
      const r = f();
      if (r instanceof Promise) await r.catch((e) => { if (!(e instanceof MigoError)) throw e; });
    } catch (e) {
      if (!(e instanceof MigoError)) bad.push(`${name}: ${errorName(e)}`);
    }
  }
  assert.deepEqual(bad, [], "calls that threw something other than a MigoError");
  // And the module is fine afterwards.
  assert.equal((await c.issueCard("1001")).status, "INACTIVE");
});

test("methods called on a detached receiver or a freed client give a MigoError", () => {
  const c = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api });
  const freed = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api });
  freed.free();
  const { issueCard } = c;
  const cases = [
    ["const { issueCard } = client; issueCard('1001')", () => issueCard("1001")],
    ["MigoClient.prototype.issueCard.call({}, '1001')", () => MigoClient.prototype.issueCard.call({}, "1001")],
    ["freed.issueCard('1001')", () => freed.issueCard("1001")],
    ["freed.baseUrl", () => freed.baseUrl],
  ];
  const bad = [];
  for (const [name, f] of cases) {
    try {
      const r = f();
      if (r instanceof Promise) r.catch(() => {});
    } catch (e) {
      if (!(e instanceof MigoError)) bad.push(`${name}: ${errorName(e)}`);
    }
  }
  assert.deepEqual(bad, [], "receiver errors that are not MigoErrors");
});
