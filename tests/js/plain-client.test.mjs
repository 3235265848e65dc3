// The benchmarks' plain-JS client (bench/plain/client.js) takes the
// package's operations list and restates everything else by hand, as a
// developer without the SDK would. These tests check that it behaves the
// same: the package and the plain client build the very same request for
// every operation and follow the same retry class, and bench/conformance.mjs
// finds no case where they differ. A drift in either fails `make test`, not
// only `make bench`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { MigoClient } from "migo-cards";
import { operations } from "migo-cards/testing";
import * as plain from "../../bench/plain/client.js";
import { conformance } from "../../bench/conformance.mjs";
import { startGateway } from "./gateway.mjs";

// The operations with their arguments, as the package lists them.
const OPERATIONS = operations.map((o) => [o.name, o.args]);
const TOKEN = "tok_plain_client_test";

let gw;
before(async () => {
  gw = await startGateway();
});
after(() => gw.stop());

/** A value for each parameter, in sets that exercise encoding and optional fields. */
const VALUES = [
  { userId: "1001", authUserId: "1002", cardId: 5000001, alias: "Groceries", card: "4111 1111 1111 1111", clientId: "acme",
    viewToken: "vt_abc/+=", month: 3, year: 2026, pin: "0420" },
  { userId: "a b/ü?#", authUserId: 7, cardId: "0042", alias: "Ünïcode \"quoted\" \\ ✓", card: "5555-5555-5555-4444",
    clientId: "c&d=e", viewToken: "x".repeat(300), month: 12, year: 1999, pin: "123456789012" },
  // Optional fields left out: linkCard without alias, clientId from the client.
  { userId: 1003, authUserId: "u", cardId: 0, alias: undefined, card: "378282246310005", clientId: undefined,
    viewToken: "t", month: 1, year: 9999, pin: "7213" },
];

/** The method arguments for an operation's argument list (a name, or a list for an object). */
const argsFor = (shape, v) => shape.map((s) => (typeof s === "string" ? v[s] : Object.fromEntries(s.map((k) => [k, v[k]]))));

/** Runs one call on a client made with `make`: what it settled to, and what its fetch was asked to send. */
async function sent(make, op, args) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, method: init.method, headers: { ...init.headers }, body: init.body, redirect: init.redirect });
    return new Response(JSON.stringify({ success: true, data: { ok: 1 } }), { status: 200 });
  };
  const client = make({ accessToken: TOKEN, baseUrl: "https://gw.example/rest/", applicationId: "app-9", clientId: "from-client", fetch });
  const settled = await client[op](...args).then(
    (value) => ({ value }),
    (e) => ({ error: { kind: e.kind, field: e.field, message: e.message } }),
  );
  return { settled, calls };
}

test("the plain client has the package's operations, no more and no fewer", () => {
  // The package generates its operation methods from the core's table; free, toJSON and toString are its own.
  const operations = (C) => Object.getOwnPropertyNames(C.prototype)
    .filter((k) => typeof Object.getOwnPropertyDescriptor(C.prototype, k).value === "function")
    .filter((k) => !["constructor", "free", "toJSON", "toString"].includes(k)).sort();
  assert.deepEqual(operations(plain.MigoClient), operations(MigoClient));
  assert.deepEqual(OPERATIONS.map(([name]) => name).sort(), operations(MigoClient));
});

test("every operation builds the same request in both: method, URL, headers, body", async () => {
  let sentBoth = 0;
  for (const [op, shape] of OPERATIONS) {
    for (const values of VALUES) {
      const args = argsFor(shape, values);
      const sdk = await sent((o) => new MigoClient(o), op, args);
      const pl = await sent((o) => new plain.MigoClient(o), op, args);
      assert.deepEqual(pl, sdk, `${op} with ${JSON.stringify(args)}`);
      assert.equal(sdk.calls.length, sdk.settled.error ? 0 : 1);
      if (sdk.calls.length) sentBoth++;
    }
  }
  // Only updateCardAlias without an alias is refused (the third set).
  assert.equal(sentBoth, OPERATIONS.length * VALUES.length - 1);
});

test("every operation follows the same retry class in both", async () => {
  // Each failure once, then success: whether and how often each client retries.
  // (Retry-After: 0 everywhere, so that no case waits for a back-off.)
  const failures = {
    "502": () => new Response("", { status: 502, headers: { "retry-after": "0" } }),
    "503": () => new Response("", { status: 503, headers: { "retry-after": "0" } }),
    "429": () => new Response("", { status: 429, headers: { "retry-after": "0" } }),
    "409": () => new Response("", { status: 409, headers: { "retry-after": "0" } }),
  };
  const classes = new Set();
  for (const [op, shape] of OPERATIONS) {
    const args = argsFor(shape, VALUES[0]);
    const seen = [];
    for (const [name, first] of Object.entries(failures)) {
      const run = async (Client) => {
        let n = 0;
        const fetch = async () => (n++ === 0 ? first() : new Response('{"success":true,"data":1}', { status: 200 }));
        const c = new Client({ accessToken: TOKEN, baseUrl: "https://gw.example/rest", clientId: "c", maxRetries: 1, fetch });
        const r = await c[op](...args).then((v) => ({ v }), (e) => ({ kind: e.kind, outcome: e.outcome, attempts: e.attempts }));
        return { ...r, sent: n };
      };
      const sdk = await run(MigoClient);
      assert.deepEqual(await run(plain.MigoClient), sdk, `${op} after ${name}`);
      seen.push(sdk.sent);
    }
    classes.add(seen.join());
  }
  // Every retry class the package lists must have been told apart.
  assert.equal(classes.size, new Set(operations.map((o) => o.retry)).size, [...classes].join(" / "));
});

test("bench/conformance.mjs: the plain client behaves as the package in every case", async () => {
  const sdk = await import("migo-cards");
  const r = await conformance(sdk, plain, gw);
  assert.ok(r.cases > 900, `${r.cases} cases`);
  assert.deepEqual(r.disagreements, [], `${r.cases - r.agree} of ${r.cases} cases disagree`);
});
