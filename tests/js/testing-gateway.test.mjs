// migo-cards/testing, the in-process test gateway (the wasm skin of the
// gateway model): the same scenarios over migo-mock's HTTP and through the
// test gateway's fetch must give the same transcript; then its fetch as a
// fetch (every input form, abort, answers), the environment without
// Request/Response/TextDecoder (Jest's jsdom), fake timers, the SDK's card
// flows on it, secrets and garbage; many gateways in one module, and bad
// values from JavaScript.
import { test, before, after, mock } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { MigoClient, MigoError } from "migo-cards";
import { createTestGateway } from "migo-cards/testing";
import { startGateway, root, TOKEN, EXPIRED_TOKEN } from "./gateway.mjs";
import { rejection } from "./helpers.mjs";

let http;
before(async () => {
  http = await startGateway();
});
after(() => http?.stop());

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- one transcript per skin -------------------------------------------------------

/** Random values (PANs, CVVs, dates, view tokens, request ids) of the expected form as placeholders. */
function normalize(value, key) {
  if (Array.isArray(value)) return value.map((v) => normalize(v));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v, k)]));
  const formats = {
    pan: /^\d{12,19}$/,
    cvv: /^\d{3}$/,
    expiry: /^\d\d\/\d\d$/,
    createdAt: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
    token: /^vt_[0-9a-f]{32}$/,
    requestId: /^req-\d{6}$/,
    maskedPan: /^\*{12}\d{4}$/,
  };
  // A value of another form (the log's "***") is kept, and compared.
  return key in formats && typeof value === "string" && formats[key].test(value) ? `<${key}>` : value;
}

/** The same operations on migo-mock over HTTP (its admin answers shaped as the test gateway's methods return them). */
function httpSkin(gw) {
  return {
    api: gw.api,
    fetch: globalThis.fetch,
    reset: () => gw.reset(),
    state: () => gw.state(),
    viewToken: (cardId) => gw.viewToken(cardId),
    fault: async (spec) => (await gw.fault(spec)).queued,
    config: async (settings) => ({ envelope: (await gw.admin("POST", "/config", settings)).envelope }),
    addCard: (card) => gw.admin("POST", "/cards", card),
  };
}

/** … and on a test gateway, whose fetch answers any origin. */
function wasmSkin(tg) {
  return {
    api: "https://ali-qa.ali.app/rest",
    fetch: tg.fetch,
    reset: async () => tg.reset(),
    state: async () => tg.state(),
    viewToken: async (cardId) => tg.viewToken(cardId),
    fault: async (spec) => tg.fault(spec),
    config: async (settings) => tg.config(settings),
    addCard: async (card) => tg.addCard(card),
  };
}

/** One request, as a comparable record. */
async function send(skin, method, path, { token = TOKEN, headers = {}, json, body, signal } = {}) {
  const h = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers };
  if (json !== undefined) h["content-type"] = "application/json";
  try {
    const res = await skin.fetch(`${skin.api}${path}`, {
      method,
      headers: h,
      body: json !== undefined ? JSON.stringify(json) : body,
      signal,
    });
    const text = await res.text();
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { text };
    }
    assert.match(res.headers.get("x-request-id") ?? "", /^req-\d{6}$/, "every answer has a request id");
    const pick = ["content-type", "retry-after", "allow"].filter((n) => res.headers.has(n));
    return normalize({ status: res.status, headers: Object.fromEntries(pick.map((n) => [n, res.headers.get(n)])), body: parsed });
  } catch (e) {
    return { rejected: e.name };
  }
}

/**
 * Every endpoint, code, envelope reading and fault kind, in one run; the
 * transcript (answers, admin results and the final state) is returned.
 */
async function scenario(skin) {
  const out = [];
  const r = async (...args) => out.push(await send(skin, ...args));
  const note = async (p) => out.push(normalize(await p));
  await skin.reset();

  // Auth.
  await r("POST", "/users/1001/cards/virtuals", { token: null });
  await r("POST", "/users/1001/cards/virtuals", { token: EXPIRED_TOKEN });
  await r("POST", "/users/1001/cards/virtuals", { token: "nope" });
  // The lifecycle and its refusals.
  await r("POST", "/users/1001/cards/virtuals");
  await r("POST", "/users/ghost/cards/virtuals");
  await r("POST", "/users/1001/cards/5000001/block");
  await r("POST", "/users/1001/cards/5000001/activate");
  await r("POST", "/users/1001/cards/5000001/activate");
  await r("POST", "/users/1002/cards/5000001/activate");
  await r("POST", "/users/1001/cards/42/activate");
  await r("POST", "/users/1001/cards/abc/activate");
  await r("POST", "/users/1001/cards/5000001/block");
  await r("POST", "/users/1001/cards/5000001/unblock");
  await r("POST", "/cards/5000001/users/alice/block");
  await r("POST", "/cards/5000001/users/nobody/unblock");
  await r("POST", "/cards/5000001/users/alice/unblock");
  await r("POST", "/users/1001/cards/5000001/activate", { json: {} });
  // Link, alias, statements.
  await r("POST", "/users/alice/cards?clientId=acme", { json: { card: "4111111111111111", alias: "Linked" } });
  await r("POST", "/users/alice/cards?clientId=acme", { json: { card: "4111111111111112" } });
  await r("POST", "/users/alice/cards", { json: { card: "4111111111111111" } });
  await r("POST", "/users/alice/cards?clientId=acme", { body: "{", headers: { "content-type": "application/json" } });
  await r("PATCH", "/cards/5000001", { json: { alias: "Groceries ☕ 😀" } });
  await r("PATCH", "/cards/5000001", { json: { alias: "" } });
  await r("POST", "/cards/5000001/statements", { json: { month: 3, year: 2026 } });
  await r("POST", "/cards/5000001/statements", { json: { month: 13, year: 2026 } });
  await r("DELETE", "/cards/5000001");
  await r("GET", "/users/1001/cards/virtuals");
  await r("POST", "/nope");
  // Details behind a single-use view token.
  const vt = await skin.viewToken(5000001);
  await note(Promise.resolve({ token: vt }));
  await r("GET", `/users/1001/cards/5000001?token=vt_0000`);
  await r("GET", `/users/1001/cards/5000001?token=${vt}`);
  await r("GET", `/users/1001/cards/5000001?token=${vt}`);
  // Seeded cards.
  await note(skin.addCard({ userId: "1003", status: "BLOCKED", alias: "Seeded", pan: "5555555555554444" }));
  await r("POST", "/users/1003/cards/5000003/activate");
  await r("POST", "/users/1003/cards/5000003/unblock");
  // The other envelope reading.
  await note(skin.config({ envelope: "statusCode" }));
  await r("POST", "/users/1002/cards/virtuals");
  await r("POST", "/users/1002/cards/5000004/block");
  await note(skin.config({ envelope: "success" }));
  // Faults: status with Retry-After (twice), a body, malformed, after.
  await note(skin.fault({ method: "post", path: "/users/*/cards/virtuals", status: 503, retryAfter: 2, times: 2 }));
  await note(skin.fault({ path: "/rest/cards/*/statements", status: 429, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT" }));
  await r("POST", "/users/1001/cards/virtuals");
  await r("POST", "/users/1001/cards/virtuals");
  await r("POST", "/cards/5000001/statements", { json: { month: 1, year: 2026 } });
  await note(skin.fault({ status: 502, body: "<html>Bad Gateway</html>", contentType: "text/html" }));
  await r("POST", "/users/1001/cards/virtuals");
  await note(skin.fault({ malformed: true }));
  await r("POST", "/users/1001/cards/virtuals");
  await note(skin.fault({ path: "/users/*/cards", status: 502, after: true }));
  await r("POST", "/users/alice/cards?clientId=acme", { json: { card: "378282246310005" } });
  await note(skin.fault({ status: 204 }));
  await r("POST", "/users/1001/cards/virtuals");
  // Lost answers: before acting and after.
  await note(skin.fault({ path: "/users/1002/cards/virtuals", drop: true }));
  await r("POST", "/users/1002/cards/virtuals");
  await note(skin.fault({ path: "/users/1002/cards/virtuals", drop: true, after: true }));
  await r("POST", "/users/1002/cards/virtuals");
  // A delay the client gives up on: never processed. With `after`: processed.
  for (const after of [false, true]) {
    await note(skin.fault({ path: "/users/1003/cards/virtuals", delayMs: 400, after }));
    const ctrl = new AbortController();
    const pending = send(skin, "POST", "/users/1003/cards/virtuals", { signal: ctrl.signal });
    await sleep(100);
    ctrl.abort();
    out.push(await pending);
    await sleep(600);
  }
  // A pure delay still answers.
  await note(skin.fault({ path: "/users/1003/cards/virtuals", delayMs: 150 }));
  await r("POST", "/users/1003/cards/virtuals");
  // Admin refusals.
  for (const bad of [() => skin.viewToken(42), () => skin.fault({ delay: 5 }), () => skin.fault({ status: 503, times: 0 })]) {
    out.push(await bad().then(() => "accepted", () => "refused"));
  }
  out.push(normalize(await skin.state()));
  return out;
}

test("the same scenario over migo-mock's HTTP and through the test gateway's fetch gives the same transcript", async () => {
  const overHttp = await scenario(httpSkin(http));
  const inProcess = await scenario(wasmSkin(createTestGateway()));
  assert.ok(overHttp.length > 60, `${overHttp.length} records`);
  for (let i = 0; i < overHttp.length; i++) assert.deepEqual(inProcess[i], overHttp[i], `record ${i}`);
  assert.equal(inProcess.length, overHttp.length);
  // A few anchors, so a transcript that is wrong on both sides still fails.
  const final = overHttp.at(-1);
  assert.deepEqual(
    final.cards.map((c) => [c.cardId, c.userId, c.status, c.alias]),
    [
      [5000001, "1001", "ACTIVE", "Groceries ☕ 😀"],
      [5000002, "alice", "ACTIVE", "Linked"],
      [5000003, "1003", "ACTIVE", "Seeded"],
      [5000004, "1002", "INACTIVE", null],
      [5000005, "alice", "ACTIVE", null],
      [5000006, "1002", "INACTIVE", null],
      [5000007, "1003", "INACTIVE", null],
      [5000008, "1003", "INACTIVE", null],
    ],
  );
  assert.deepEqual(overHttp[0], { status: 401, headers: { "content-type": "application/json" }, body: { success: false, message: "missing or invalid access token", errors: [{ code: "UNAUTHORIZED", message: "missing or invalid access token" }] } });
  assert.equal(overHttp[7].body.errors[0].code, "7213");
  assert.deepEqual(overHttp.filter((r) => r.rejected).map((r) => r.rejected), ["TypeError", "TypeError", "AbortError", "AbortError"]);
  assert.deepEqual(overHttp.slice(-4, -1), ["refused", "refused", "refused"]);
});

// ---- fetch, as a fetch ---------------------------------------------------------------

const AUTH = { authorization: `Bearer ${TOKEN}` };

test("fetch takes every input form: string, URL, Request, Headers, [name, value] pairs, a record", async () => {
  const tg = createTestGateway();
  const url = "https://api.ali.app/rest/users/1001/cards/virtuals";
  const answers = [
    await tg.fetch(url, { method: "POST", headers: AUTH }),
    await tg.fetch(new URL(url), { method: "post", headers: new Headers(AUTH) }),
    await tg.fetch(new Request(url, { method: "POST", headers: [["Authorization", `Bearer ${TOKEN}`]] })),
    await tg.fetch(new Request(url, { method: "GET" }), { method: "POST", headers: AUTH }),
  ];
  assert.deepEqual(answers.map((r) => r.status), [201, 201, 201, 201]);
  // A string body gets fetch's default Content-Type, which the gateway refuses on a no-body endpoint.
  const res = await tg.fetch(url, { method: "POST", headers: AUTH, body: "x" });
  assert.equal(res.status, 400);
  assert.equal(tg.requests().at(-1).headers["content-type"], "text/plain;charset=UTF-8");
  // Bytes, a Blob and a Request body reach the gateway as sent.
  const link = "https://api.ali.app/rest/users/alice/cards?clientId=acme";
  const json = { "content-type": "application/json", ...AUTH };
  const card = JSON.stringify({ card: "4111111111111111" });
  for (const body of [new TextEncoder().encode(card), new Blob([card]), card]) {
    assert.equal((await tg.fetch(link, { method: "POST", headers: json, body })).status, 201);
  }
  assert.equal((await tg.fetch(new Request(link, { method: "POST", headers: json, body: card }))).status, 201);
  assert.equal(tg.cards().length, 8);
});

test("fetch answers any origin on the base path, and refuses other paths as fetch refuses a bad URL", async () => {
  const tg = createTestGateway();
  for (const base of ["https://api.ali.app/rest", "https://ali-qa.ali.app/rest", "http://127.0.0.1:3010/rest", "http://localhost/rest"]) {
    assert.equal((await tg.fetch(`${base}/users/1001/cards/virtuals`, { method: "POST", headers: AUTH })).status, 201, base);
  }
  const e = await rejection(tg.fetch("https://api.ali.app/api/users/1001/cards/virtuals?token=vt_0123456789abcdef", { method: "POST" }));
  assert.ok(e instanceof TypeError);
  assert.match(e.message, /\/api\/users\/1001\/cards\/virtuals is not under the test gateway's base path \/rest/);
  assert.doesNotMatch(e.message, /vt_/);
  assert.ok((await rejection(tg.fetch("/rest/users/1001/cards/virtuals"))) instanceof TypeError, "a relative URL, as in Node");
  assert.ok((await rejection(tg.fetch("https://x/rest/a", { method: "GET", body: "x" }))) instanceof TypeError);
  assert.ok((await rejection(tg.fetch("https://x/rest/a", { headers: { "bad name": "x" } }))) instanceof TypeError);
  // Another base path.
  const api = createTestGateway({ basePath: "/api/v2" });
  assert.equal((await api.fetch("https://example.com/api/v2/users/1001/cards/virtuals", { method: "POST", headers: AUTH })).status, 201);
  assert.equal(api.requests()[0].path, "/api/v2/users/1001/cards/virtuals");
  assert.equal(api.basePath, "/api/v2");
  assert.ok((await rejection(api.fetch("https://example.com/rest/users/1001/cards/virtuals"))) instanceof TypeError);
});

test("an answer is a real Response: status, headers, url, type, body; HEAD and 204 have none", async () => {
  const tg = createTestGateway();
  const res = await tg.fetch("https://api.ali.app/rest/users/1001/cards/virtuals#frag", { method: "POST", headers: AUTH });
  assert.ok(res instanceof Response);
  assert.equal(res.status, 201);
  assert.equal(res.statusText, "Created");
  assert.equal(res.ok, true);
  assert.equal(res.url, "https://api.ali.app/rest/users/1001/cards/virtuals");
  assert.equal(res.type, "basic");
  assert.equal(res.redirected, false);
  assert.equal(res.headers.get("X-Request-Id"), "req-000001");
  assert.equal((await res.json()).data.status, "INACTIVE");
  tg.fault({ status: 204 });
  const empty = await tg.fetch("https://api.ali.app/rest/users/1001/cards/virtuals", { method: "POST", headers: AUTH });
  assert.equal(empty.status, 204);
  assert.equal(await empty.text(), "");
  const head = await tg.fetch("https://api.ali.app/rest/users/1001/cards/5000001", { method: "HEAD", headers: AUTH });
  assert.equal(head.status, 405);
  assert.equal(await head.text(), "");
});

test("abort: before sending, while held back (never processed) and while the answer is held back (processed)", async () => {
  const tg = createTestGateway();
  const url = "https://api.ali.app/rest/users/1001/cards/virtuals";
  const reason = new Error("user left");
  const done = new AbortController();
  done.abort(reason);
  assert.equal(await rejection(tg.fetch(url, { method: "POST", headers: AUTH, signal: done.signal })), reason);
  assert.equal(tg.requests().length, 0, "nothing was sent");

  for (const after of [false, true]) {
    tg.fault({ delayMs: 60_000, after });
    const ctrl = new AbortController();
    const pending = tg.fetch(url, { method: "POST", headers: AUTH, signal: ctrl.signal });
    await sleep(20);
    ctrl.abort();
    const e = await rejection(pending);
    assert.equal(e.name, "AbortError");
    assert.ok(e instanceof DOMException);
  }
  // As on migo-mock, a request whose client left keeps no status (and no fault).
  assert.deepEqual(tg.requests().map((r) => [r.status, r.fault]), [
    [null, null],
    [null, null],
  ]);
  assert.equal(tg.cards().length, 1, "only the request whose answer was held back acted");
  // An init's signal: null means none, even over the Request's own.
  const res = await tg.fetch(new Request(url, { method: "POST", headers: AUTH, signal: done.signal }), { signal: null });
  assert.equal(res.status, 201);
  // A signal on the Request object counts too.
  tg.fault({ delayMs: 60_000 });
  const ctrl = new AbortController();
  const pending = tg.fetch(new Request(url, { method: "POST", headers: AUTH, signal: ctrl.signal }));
  ctrl.abort(reason);
  assert.equal(await rejection(pending), reason);
});

test("a drop rejects like a network failure; the gateway keeps serving", async () => {
  const tg = createTestGateway();
  tg.fault({ drop: true, times: 2 });
  const url = "https://api.ali.app/rest/users/1001/cards/virtuals";
  const e = await rejection(tg.fetch(url, { method: "POST", headers: AUTH }));
  assert.ok(e instanceof TypeError);
  assert.match(e.message, /^fetch failed/);
  await rejection(tg.fetch(url, { method: "POST", headers: AUTH }));
  assert.equal((await tg.fetch(url, { method: "POST", headers: AUTH })).status, 201);
});

// ---- no Request, Response, Headers, TextEncoder or TextDecoder (Jest's jsdom) -----------

test("without Request, Response, Headers, TextEncoder and TextDecoder, fetch still works (Response-compatible answers)", async () => {
  const script = `
    for (const name of ["Request", "Response", "Headers", "TextEncoder", "TextDecoder", "fetch", "atob"]) delete globalThis[name];
    const { createTestGateway } = require("migo-cards/testing");
    (async () => {
      const tg = createTestGateway();
      const auth = { authorization: "Bearer migo-test-token" };
      const r1 = await tg.fetch("https://api.ali.app/rest/users/1001/cards/virtuals", { method: "POST", headers: [["Authorization", auth.authorization]] });
      const alias = "Caf\\u00e9 \\u2615 \\ud83d\\ude00";
      const r2 = await tg.fetch(new URL("https://api.ali.app/rest/cards/5000001"), { method: "PATCH", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify({ alias }) });
      const copy = r2.clone();
      const text = await r2.text();
      let reused;
      try { await r2.text(); } catch (e) { reused = e.name; }
      const r3 = await tg.fetch({ url: "https://api.ali.app/rest/users/1001/cards/virtuals", method: "POST", headers: auth });
      const bytes = new Uint8Array(await r3.arrayBuffer());
      // A lone surrogate in a text body is sent as U+FFFD, as TextEncoder does.
      await tg.fetch("https://api.ali.app/rest/users/1001/cards?clientId=x", { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: "x\\ud800y" });
      const lone = tg.requests().at(-1).body;
      let getBody;
      try { await tg.fetch("https://api.ali.app/rest/x", { body: "x" }); } catch (e) { getBody = e.name; }
      console.log(JSON.stringify({
        status: [r1.status, r2.status, r3.status], ok: r1.ok, url: r1.url, type: r1.type,
        requestId: r1.headers.get("x-request-id"), entries: [...r1.headers].map(([k]) => k),
        alias: JSON.parse(text).data.alias, expected: alias, lone, copy: (await copy.json()).data.alias,
        bodyUsed: r2.bodyUsed, reused, bytes: bytes.length, getBody, logged: tg.requests().length,
      }));
    })();
  `;
  const stdout = await new Promise((resolve, reject) =>
    execFile(process.execPath, ["-e", script], { cwd: root }, (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out))),
  );
  const out = JSON.parse(stdout);
  assert.deepEqual(out.status, [201, 200, 201]);
  assert.equal(out.ok, true);
  assert.equal(out.url, "https://api.ali.app/rest/users/1001/cards/virtuals");
  assert.equal(out.type, "basic");
  assert.equal(out.requestId, "req-000001");
  assert.deepEqual(out.entries, ["content-type", "x-request-id"]);
  assert.equal(out.alias, out.expected, "UTF-8 both ways");
  assert.equal(out.lone, "x\ufffdy");
  assert.equal(out.copy, out.expected);
  assert.equal(out.bodyUsed, true);
  assert.equal(out.reused, "TypeError");
  assert.ok(out.bytes > 100);
  assert.equal(out.getBody, "TypeError");
  assert.equal(out.logged, 4);
});

// ---- timers --------------------------------------------------------------------------------

test("delays run on the host's setTimeout, so mocked timers drive them", async (t) => {
  const tg = createTestGateway();
  t.mock.timers.enable({ apis: ["setTimeout"] });
  tg.fault({ delayMs: 5_000 });
  let settled = false;
  const pending = tg.fetch("https://api.ali.app/rest/users/1001/cards/virtuals", { method: "POST", headers: AUTH }).then((r) => {
    settled = true;
    return r;
  });
  // The request is read asynchronously before its delay is armed.
  for (let i = 0; i < 20; i++) await Promise.resolve();
  assert.equal(settled, false);
  t.mock.timers.tick(4_999);
  await Promise.resolve();
  assert.equal(settled, false);
  assert.equal(tg.cards().length, 0, "held back before processing");
  t.mock.timers.tick(1);
  assert.equal((await pending).status, 201);
  assert.equal(tg.cards().length, 1);
});

// ---- the SDK on the test gateway -------------------------------------------------------

test("the card flow of the issue through the SDK: issue, activate, 7213, details, a lost answer, an expired token", async () => {
  const tg = createTestGateway();
  let tokens = 0;
  const client = new MigoClient({
    getAccessToken: async () => (tokens++ === 0 ? tg.expiredToken : tg.accessToken),
    environment: "sandbox",
    fetch: tg.fetch,
  });
  const card = await client.issueCard("1001");
  assert.equal(tokens, 2, "the expired token was refreshed once");
  assert.equal(card.status, "INACTIVE");
  assert.equal((await client.activateCard("1001", card.cardId)).status, "ACTIVE");
  const refused = await rejection(client.activateCard("1001", card.cardId));
  assert.ok(refused instanceof MigoError);
  assert.deepEqual([refused.kind, refused.code, refused.status, refused.outcome], ["api", "7213", 409, "rejected"]);
  assert.equal(refused.requestId, tg.requests().at(-1).requestId);
  const details = await client.getCardDetails("1001", card.cardId, tg.viewToken(card.cardId));
  assert.match(details.pan, /^4\d{15}$/);
  tg.fault({ path: "/users/*/cards/virtuals", drop: true, after: true });
  const lost = await rejection(client.issueCard("1002"));
  assert.deepEqual([lost.kind, lost.outcome, lost.attempts], ["network", "unknown", 1]);
  assert.equal(tg.cards().filter((c) => c.userId === "1002").length, 1, "the card was issued all the same");
  // A client with a baseUrl on the same path works unchanged.
  const local = new MigoClient({ accessToken: tg.accessToken, baseUrl: "http://127.0.0.1:3010/rest", fetch: tg.fetch });
  assert.equal((await local.blockCard("1001", card.cardId)).status, "BLOCKED");
});

test("the SDK's retries wait out Retry-After on mocked timers, and a timeout meets a held-back answer", async (t) => {
  const tg = createTestGateway();
  t.mock.timers.enable({ apis: ["setTimeout", "Date"], now: Date.now() });
  const client = new MigoClient({ accessToken: tg.accessToken, fetch: tg.fetch, timeoutMs: 10_000 });
  tg.fault({ status: 503, retryAfter: 30 });
  let card;
  const pending = client.issueCard("1001").then((c) => (card = c));
  const flush = async () => {
    for (let i = 0; i < 50; i++) await Promise.resolve();
  };
  await flush();
  assert.equal(tg.requests().length, 1);
  t.mock.timers.tick(29_000);
  await flush();
  assert.equal(tg.requests().length, 1, "still waiting out Retry-After");
  t.mock.timers.tick(1_000);
  await pending;
  assert.equal(card.status, "INACTIVE");
  assert.deepEqual(tg.requests().map((r) => r.status), [503, 201]);

  tg.fault({ path: "/users/1001/cards/5000001/activate", delayMs: 60_000, after: true });
  const timedOut = rejection(client.activateCard("1001", card.cardId, { maxRetries: 0 }));
  await flush();
  t.mock.timers.tick(10_000);
  const e = await timedOut;
  assert.deepEqual([e.kind, e.outcome], ["timeout", "unknown"]);
  assert.equal(tg.card(card.cardId).status, "ACTIVE", "it acted; the answer never came");
});

// ---- secrets and garbage ---------------------------------------------------------------------

test("the log and the admin errors never show a token, card number or view token", async () => {
  const tg = createTestGateway({ tokens: ["s3cret-token-1"], expiredTokens: ["old-s3cret"] });
  const client = new MigoClient({ accessToken: "s3cret-token-1", fetch: tg.fetch, clientId: "acme" });
  const linked = await client.linkCard("1001", { card: "4111111111111111" });
  const vt = tg.viewToken(linked.cardId);
  const d = await client.getCardDetails("1001", linked.cardId, vt);
  await tg.fetch(`https://x/rest/users/1001/cards/virtuals?note=4111111111111111`, { method: "POST", headers: { authorization: "Bearer old-s3cret" } });
  const errors = [];
  for (const f of [() => tg.addCard({ userId: "1001", pan: 4111111111111111 }), () => tg.addCard({ userId: "1001", pan: "4111111111111112" })]) {
    try {
      f();
    } catch (e) {
      errors.push(e.message);
    }
  }
  const text = JSON.stringify([tg.state(), errors]);
  for (const secret of ["s3cret-token-1", "old-s3cret", "4111111111111111", vt, d.pan]) assert.ok(!text.includes(secret), `leaks ${secret}: ${text}`);
  assert.equal(errors.length, 2);
  assert.match(errors[0], /\*{12}1111/);
});

test("garbage through fetch and the admin methods never breaks the module", async () => {
  const tg = createTestGateway({ seed: 7 });
  let x = 12345;
  const rnd = (n) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
  const pieces = ["/rest", "/users", "/1001", "/cards", "/%ff", "/%2F", "/virtuals", "/5000001", "?token=", "&x=%", "/../", "/é", "/\u0000"];
  const bodies = [undefined, "", "{", "null", '{"card":1e999}', '{"alias":"' + "x".repeat(5000) + '"}', "\ud800", new Uint8Array([255, 0, 254])];
  for (let i = 0; i < 600; i++) {
    let path = "";
    for (let k = rnd(6); k >= 0; k--) path += pieces[rnd(pieces.length)];
    const method = ["GET", "POST", "PATCH", "DELETE", "PUT", "OPTIONS"][rnd(6)];
    const body = method === "GET" ? undefined : bodies[rnd(bodies.length)];
    const headers = [AUTH, { "content-type": "application/json", ...AUTH }, { authorization: "Bearer \u00ff" }, {}][rnd(4)];
    try {
      const res = await tg.fetch(`https://x${path}`, { method, headers, body });
      await res.text();
    } catch (e) {
      assert.ok(e instanceof TypeError, `${method} ${path}: ${e}`);
    }
    const admin = [
      () => tg.fault({ status: rnd(1000), times: rnd(3), delayMs: rnd(2) }),
      () => tg.viewToken(["x", -1, 1e30, 5000001, null][rnd(5)]),
      () => tg.addCard({ userId: ["1001", 5, null, "é"][rnd(4)], status: ["ACTIVE", "x"][rnd(2)] }),
      () => tg.config({ envelope: ["success", "statusCode", 3][rnd(3)] }),
    ][rnd(4)];
    try {
      admin();
    } catch (e) {
      assert.ok(e instanceof TypeError || e instanceof RangeError, String(e));
    }
    tg.clearFaults();
  }
  tg.reset();
  const res = await tg.fetch("https://x/rest/users/1001/cards/virtuals", { method: "POST", headers: AUTH });
  assert.equal(res.status, 201);
  assert.throws(() => createTestGateway({ users: [] }), TypeError);
  assert.throws(() => createTestGateway("x"), TypeError);
  assert.throws(() => createTestGateway({ seed: 1.5 }), TypeError);
});

// ---- one module, many gateways; values from JavaScript ----------------------------------

test("interleaved requests on two gateways of one module each get their own answer, read whenever", async () => {
  const a = createTestGateway({ seed: 1 });
  const b = createTestGateway({ seed: 2 });
  const issue = (tg, user) => tg.fetch(`https://x/rest/users/${user}/cards/virtuals`, { method: "POST", headers: AUTH });
  a.fault({ path: "/users/1001/cards/virtuals", delayMs: 40 });
  b.fault({ path: "/users/1002/cards/virtuals", delayMs: 20, status: 503 });
  // Both held back while others are answered; answers are read only at the end.
  const pending = [issue(a, "1001"), issue(b, "1002"), issue(b, "alice"), issue(a, "1003")];
  await sleep(5);
  const early = await issue(b, "1003");
  for (let i = 0; i < 50; i++) b.viewToken(5000001);
  const answers = [...(await Promise.all(pending)), early];
  const seen = [];
  for (const res of answers.reverse()) seen.unshift([res.status, res.headers.get("x-request-id"), (await res.json()).data?.userId ?? null]);
  assert.deepEqual(seen, [
    [201, "req-000001", "1001"],
    [503, "req-000001", null],
    [201, "req-000002", "alice"],
    [201, "req-000002", "1003"],
    [201, "req-000003", "1003"],
  ]);
  assert.deepEqual(a.cards().map((c) => c.userId), ["1003", "1001"]);
  assert.deepEqual(b.cards().map((c) => c.userId), ["alice", "1003"]);
});

test("bad values from JavaScript give TypeErrors and RangeErrors, never a trap; the gateway keeps serving", async () => {
  const tg = createTestGateway();
  const cyclic = {};
  cyclic.self = cyclic;
  let deep = "x";
  for (let i = 0; i < 1000; i++) deep = [deep];
  const hostile = new Proxy({}, { ownKeys: () => { throw new Error("no keys"); } });
  const thrown = [];
  const attempt = (f) => {
    try {
      f();
      thrown.push("accepted");
    } catch (e) {
      // A trap: WebAssembly's RuntimeError, or wasm2js's Error("abort") in the JavaScript build.
      const trap = typeof WebAssembly === "object" ? e instanceof WebAssembly.RuntimeError : e.message === "abort";
      assert.ok(!trap, String(e));
      thrown.push(e.message === "no keys" ? "own" : e.constructor.name);
    }
  };
  for (const f of [
    () => tg.fault(cyclic),
    () => tg.fault({ status: 10n }),
    () => tg.fault({ path: deep }),
    () => tg.fault(hostile),
    () => tg.fault(Symbol("x")),
    () => tg.fault(() => {}),
    () => tg.fault({ times: 2 ** 64 }),
    () => tg.addCard({ userId: 1e300 }),
    () => tg.addCard({ userId: "1001", alias: deep }),
    () => tg.addCard({ userId: "nobody" }),
    () => tg.viewToken({ valueOf: () => 5000001 }),
    () => tg.viewToken(5000001),
    () => tg.config({ envelope: [] }),
    () => createTestGateway({ seed: 2 ** 64 }),
    () => createTestGateway({ users: [1] }),
    () => createTestGateway({ tokens: "migo-test-token" }),
  ]) {
    attempt(f);
  }
  assert.deepEqual(thrown, [
    "TypeError", "TypeError", "TypeError", "own", "TypeError", "TypeError", "TypeError",
    "TypeError", "TypeError", "RangeError", "TypeError", "RangeError", "TypeError",
    "TypeError", "TypeError", "TypeError",
  ]);
  assert.match((() => { try { tg.fault({ path: deep }); } catch (e) { return e.message; } })(), /^fault: nested too deeply/);
  for (const headers of [{ x: "\u20ac" }, [["x", "a", "b"]]]) {
    assert.ok((await rejection(tg.fetch("https://x/rest/users/1001/cards/virtuals", { method: "POST", headers }))) instanceof TypeError);
  }
  assert.equal((await tg.fetch("https://x/rest/users/1001/cards/virtuals", { method: "POST", headers: AUTH })).status, 201);
  assert.equal(tg.cards().length, 1);
});
