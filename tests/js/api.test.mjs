// The public surface of the built package, against a local gateway.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import init, { MigoClient, MigoError, activationUrl, isValidCardNumber } from "migo-cards";
import { startGateway, TOKEN } from "./gateway.mjs";
import { rejection } from "./helpers.mjs";

let gw;
let client;
const VISA = "4111111111111111";

before(async () => {
  await init(); // a no-op in Node, kept to show it is harmless
  gw = await startGateway();
  client = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api, applicationId: "app-123", clientId: "acme" });
});
after(() => gw.stop());
beforeEach(() => gw.reset());

const lastRequest = async () => (await gw.requests()).at(-1);

test("issueCard creates an INACTIVE card and resolves to the envelope's data", async () => {
  const card = await client.issueCard("1001");
  assert.equal(card.status, "INACTIVE");
  assert.equal(typeof card.cardId, "number");
  assert.equal(card.createdAt !== undefined, true, "unknown fields pass through");
  const req = await lastRequest();
  assert.equal(req.method, "POST");
  assert.equal(req.path, "/rest/users/1001/cards/virtuals");
  assert.deepEqual(req.headers, { authorization: "Bearer ***", "x-application-id": "app-123" });
  assert.equal(req.body, null, "no body");
  const { cards } = await gw.state();
  assert.equal(cards.length, 1);
});

test("numeric user ids work like strings", async () => {
  const card = await client.issueCard(1002);
  assert.equal(card.userId, "1002");
});

test("the whole lifecycle of an issued card", async () => {
  const { cardId } = await client.issueCard("1001");
  assert.equal((await client.activateCard("1001", cardId)).status, "ACTIVE");
  assert.equal((await client.blockCard("1001", cardId)).status, "BLOCKED");
  assert.equal((await client.unblockCard("1001", String(cardId))).status, "ACTIVE");
  assert.equal((await client.blockCardForUser(cardId, "1002")).status, "BLOCKED");
  assert.equal((await client.unblockCardForUser(cardId, 1002)).status, "ACTIVE");
  assert.equal((await client.updateCardAlias(cardId, "Groceries")).alias, "Groceries");
  const paths = (await gw.requests()).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(paths, [
    "POST /rest/users/1001/cards/virtuals",
    `POST /rest/users/1001/cards/${cardId}/activate`,
    `POST /rest/users/1001/cards/${cardId}/block`,
    `POST /rest/users/1001/cards/${cardId}/unblock`,
    `POST /rest/cards/${cardId}/users/1002/block`,
    `POST /rest/cards/${cardId}/users/1002/unblock`,
    `PATCH /rest/cards/${cardId}`,
  ]);
  const rename = await lastRequest();
  assert.equal(rename.headers["content-type"], "application/json");
  assert.deepEqual(rename.body, { alias: "Groceries" });
  const { cards } = await gw.state();
  assert.deepEqual(cards.map((c) => [c.status, c.alias]), [["ACTIVE", "Groceries"]]);
});

test("linkCard sends clientId in the query and exactly {card, alias}", async () => {
  const card = await client.linkCard("1001", { card: "4111 1111 1111 1111", alias: "Personal" });
  assert.equal(card.alias, "Personal");
  let req = await lastRequest();
  assert.equal(req.path, "/rest/users/1001/cards");
  assert.deepEqual(req.query, { clientId: "acme" });
  assert.deepEqual(Object.keys(req.body).sort(), ["alias", "card"]);
  assert.equal(req.body.card, "************1111", "the gateway log masks the PAN");
  await client.linkCard("1001", { card: VISA, clientId: "other" });
  req = await lastRequest();
  assert.deepEqual(req.query, { clientId: "other" });
  assert.deepEqual(Object.keys(req.body), ["card"], "no alias when none is given");
});

test("a missing clientId is a validation error", async () => {
  const bare = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api });
  const e = await rejection(bare.linkCard("1001", { card: VISA }));
  assert.ok(e instanceof MigoError);
  assert.equal(e.kind, "validation");
  assert.equal(e.field, "clientId");
  assert.equal((await gw.requests()).length, 0);
});

test("getCardDetails uses a single-use view token", async () => {
  const { cardId } = await client.issueCard("1001");
  const token = await gw.viewToken(cardId);
  const details = await client.getCardDetails("1001", cardId, token);
  assert.match(details.pan, /^\d{16}$/);
  assert.match(details.cvv, /^\d{3}$/);
  const req = await lastRequest();
  assert.equal(req.method, "GET");
  assert.deepEqual(req.query, { token: "***" });
  const again = await rejection(client.getCardDetails("1001", cardId, token));
  assert.equal(again.kind, "api");
  assert.equal(again.status, 403);
  assert.equal(again.attempts, 1, "never retried");
  assert.ok(!again.message.includes(token));
});

test("createStatement sends {month, year}", async () => {
  const { cardId } = await client.issueCard("1001");
  const st = await client.createStatement(cardId, { month: 3, year: 2026 });
  assert.equal(st.month, 3);
  assert.equal(st.year, 2026);
  const req = await lastRequest();
  assert.equal(req.path, `/rest/cards/${cardId}/statements`);
  assert.deepEqual(req.body, { month: 3, year: 2026 });
  assert.equal((await gw.state()).statements.length, 1);
});

test("API errors carry status, code, errors and requestId", async () => {
  const { cardId } = await client.issueCard("1001");
  const e = await rejection(client.blockCard("1001", cardId)); // INACTIVE cannot be blocked
  assert.ok(e instanceof MigoError && e instanceof Error);
  assert.equal(e.name, "MigoError");
  assert.equal(e.kind, "api");
  assert.equal(e.status, 409);
  assert.equal(e.code, "7213");
  assert.equal(e.errors[0].code, "7213");
  assert.match(e.requestId, /^req-/);
  assert.match(e.message, /7213/);
  assert.equal(e.attempts, 1);
  assert.equal(e.retryable, false);
  assert.equal(e.outcome, "rejected");

  const unknownCard = await rejection(client.activateCard("1001", 999999));
  assert.deepEqual([unknownCard.status, unknownCard.code], [404, "7200"]);
  const unknownUser = await rejection(client.issueCard("nobody"));
  assert.deepEqual([unknownUser.status, unknownUser.code], [404, "7100"]);
  const bad = new MigoClient({ accessToken: "wrong-token", baseUrl: gw.api });
  const unauth = await rejection(bad.issueCard("1001"));
  assert.deepEqual([unauth.kind, unauth.status, unauth.code], ["api", 401, "UNAUTHORIZED"]);
  assert.ok(!unauth.message.includes("wrong-token"));
});

test("a card that fails verification on the server is a 7000", async () => {
  // Bypass client-side verification by giving the gateway a bad card the SDK
  // would refuse: simulate it with the fault queue's body instead.
  await gw.fault({ path: "/users/1001/cards", status: 400, body: JSON.stringify({ success: false, errors: [{ code: "7000", message: "card failed verification" }] }), contentType: "application/json" });
  const e = await rejection(client.linkCard("1001", { card: VISA }));
  assert.deepEqual([e.kind, e.status, e.code], ["api", 400, "7000"]);
});

test("both envelope readings are accepted", async () => {
  await gw.envelope("statusCode");
  const card = await client.issueCard("1001");
  assert.equal(card.status, "INACTIVE");
  const e = await rejection(client.blockCard("1001", card.cardId));
  assert.deepEqual([e.status, e.code], [409, "7213"]);
});

test("non-envelope bodies resolve whole; empty bodies to undefined", async () => {
  await gw.fault({ path: "/users/1001/cards/virtuals", body: JSON.stringify({ cardId: 7, extra: { nested: true } }), contentType: "application/json" });
  assert.deepEqual(await client.issueCard("1001"), { cardId: 7, extra: { nested: true } });
  await gw.fault({ path: "/users/1001/cards/virtuals", status: 204 });
  assert.equal(await client.issueCard("1001"), undefined);
  await gw.fault({ path: "/users/1001/cards/virtuals", body: "" });
  assert.equal(await client.issueCard("1001"), undefined);
});

test("a 2xx body that is not JSON is a decode error", async () => {
  await gw.fault({ path: "/users/1001/cards/virtuals", malformed: true });
  const e = await rejection(client.issueCard("1001"));
  assert.equal(e.kind, "decode");
  assert.equal(e.outcome, "unknown");
});

test("validation errors name the field and send nothing", async () => {
  const cases = [
    [() => client.issueCard(""), "userId"],
    [() => client.issueCard(-1), "userId"],
    [() => client.issueCard(1.5), "userId"],
    [() => client.issueCard(".."), "userId"],
    [() => client.issueCard(null), "userId"],
    [() => client.issueCard({}), "userId"],
    [() => client.activateCard("1001", "12a"), "cardId"],
    [() => client.activateCard("1001", NaN), "cardId"],
    [() => client.blockCardForUser(1, ""), "authUserId"],
    [() => client.linkCard("1001", { card: "4111111111111112" }), "card"],
    [() => client.linkCard("1001", { card: "4111", alias: "x" }), "card"],
    [() => client.linkCard("1001", { card: VISA, alias: "a\u0000b" }), "alias"],
    [() => client.linkCard("1001", null), "card"],
    [() => client.updateCardAlias(1, "x".repeat(65)), "alias"],
    [() => client.updateCardAlias(1), "alias"],
    [() => client.getCardDetails("1001", 1, ""), "viewToken"],
    [() => client.createStatement(1, { month: 13, year: 2026 }), "month"],
    [() => client.createStatement(1, { month: 1, year: 999 }), "year"],
    [() => client.createStatement(1, { month: "3", year: 2026 }), "month"],
    [() => client.issueCard("1001", { timeoutMs: -5 }), "timeoutMs"],
    [() => client.issueCard("1001", { maxRetries: 1e9 }), "maxRetries"],
    [() => client.issueCard("1001", { signal: {} }), "signal"],
  ];
  for (const [call, field] of cases) {
    const e = await rejection(call());
    assert.ok(e instanceof MigoError, String(call));
    assert.equal(e.kind, "validation", String(call));
    assert.equal(e.field, field, String(call));
    assert.equal(e.attempts, 0);
    assert.equal(e.outcome, "notSent");
  }
  assert.equal((await gw.requests()).length, 0, "no request reached the gateway");
});

test("no error message contains the card number", async () => {
  const e = await rejection(client.linkCard("1001", { card: "4111 1111 1111 1112" }));
  assert.ok(!/\d{5,}/.test(e.message), e.message);
  assert.ok(!JSON.stringify(e).includes("4111"));
});

test("configuration errors are thrown at construction", () => {
  const bad = [
    [{ accessToken: TOKEN, baseUrl: "http://example.com/rest" }, "baseUrl"],
    [{ accessToken: TOKEN, baseUrl: "ftp://127.0.0.1" }, "baseUrl"],
    [{ accessToken: TOKEN, environment: "staging" }, "environment"],
    [{}, "accessToken"],
    [{ accessToken: "" }, "accessToken"],
    [{ accessToken: "has space" }, "accessToken"],
    [{ accessToken: TOKEN, applicationId: 5 }, "applicationId"],
    [undefined, "options"],
  ];
  for (const [options, field] of bad) {
    assert.throws(() => new MigoClient(options), (e) => e instanceof MigoError && e.kind === "config" && e.field === field, JSON.stringify(options));
  }
  assert.throws(() => new MigoClient({ accessToken: "sekrit-token", baseUrl: "http://evil.example" }), (e) => !e.message.includes("sekrit"));
});

test("environments and base URLs", () => {
  assert.equal(new MigoClient({ accessToken: TOKEN }).baseUrl, "https://api.ali.app/rest");
  assert.equal(new MigoClient({ accessToken: TOKEN, environment: "sandbox" }).baseUrl, "https://ali-qa.ali.app/rest");
  assert.equal(new MigoClient({ accessToken: TOKEN, baseUrl: "http://localhost:3010/" }).baseUrl, "http://localhost:3010");
  assert.equal(new MigoClient({ accessToken: TOKEN, baseUrl: "http://[::1]:3010/rest" }).baseUrl, "http://[::1]:3010/rest");
  assert.equal(new MigoClient({ accessToken: TOKEN, baseUrl: "https://gw.example.com/rest/" }).baseUrl, "https://gw.example.com/rest");
});

test("a trailing slash on baseUrl is harmless", async () => {
  const c = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api + "/" });
  await c.issueCard("1001");
  assert.equal((await lastRequest()).path, "/rest/users/1001/cards/virtuals");
});

test("no x-application-id unless configured", async () => {
  const c = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api });
  await c.issueCard("1001");
  assert.deepEqual((await lastRequest()).headers, { authorization: "Bearer ***" });
});

test("path values cannot escape their segment", async () => {
  const e = await rejection(client.issueCard("1001/cards/../../x?y#z"));
  assert.equal(e.kind, "api");
  assert.equal(e.code, "7100");
  assert.equal((await lastRequest()).path, "/rest/users/1001%2Fcards%2F..%2F..%2Fx%3Fy%23z/cards/virtuals");
});

test("the client never shows its token", () => {
  const c = new MigoClient({ accessToken: "tok_super_secret", baseUrl: gw.api });
  for (const s of [String(c), JSON.stringify(c), `${c}`]) assert.ok(!s.includes("tok_super_secret"), s);
  assert.deepEqual(JSON.parse(JSON.stringify(c)), { environment: "production", baseUrl: gw.api });
});

test("activationUrl builds the hosted webview URL", () => {
  assert.equal(
    activationUrl({ userId: "YOUR_USER_ID", client: "migoDeveloper" }),
    "https://web.migopayments.com/card-activation?client=migoDeveloper&userId=YOUR_USER_ID",
  );
  assert.equal(activationUrl({ userId: 42, environment: "sandbox" }), "https://sandbox.migopayments.com/card-activation?userId=42");
  assert.throws(() => activationUrl({}), (e) => e instanceof MigoError && e.field === "userId");
  assert.throws(() => activationUrl({ userId: "u", environment: "qa" }), (e) => e.field === "environment");
  assert.throws(() => activationUrl(null), (e) => e.field === "userId");
});

test("activationUrl values round-trip through URLSearchParams", () => {
  const samples = ["a b", "a+b", "a&b=c", "ü/?#%", "😀", "..", "'\"<>", " leading", "x".repeat(256)];
  for (let i = 0; i < 200; i++) {
    let s = "";
    const n = 1 + Math.floor(Math.random() * 20);
    for (let j = 0; j < n; j++) s += String.fromCodePoint(32 + Math.floor(Math.random() * 0x2000));
    samples.push(s);
  }
  for (const userId of samples) {
    for (const client of [undefined, userId]) {
      const u = new URL(activationUrl({ userId, client }));
      assert.equal(u.searchParams.get("userId"), userId);
      assert.equal(u.searchParams.get("client"), client ?? null);
      assert.equal(u.pathname, "/card-activation");
    }
  }
});

test("isValidCardNumber applies linkCard's verification", () => {
  for (const ok of [VISA, "4111 1111 1111 1111", "4111-1111-1111-1111", "378282246310005", "6011111111111117", "5555555555554444"]) {
    assert.equal(isValidCardNumber(ok), true, ok);
  }
  for (const bad of ["4111111111111112", "4111  1111 1111 1111", "1234", "", null, undefined, 4111111111111111, {}, "4".repeat(20)]) {
    assert.equal(isValidCardNumber(bad), false, String(bad));
  }
});

test("require() gives the same API, with no init", () => {
  const require = createRequire(import.meta.url);
  const cjs = require("migo-cards");
  assert.equal(cjs.MigoError, MigoError, "one MigoError class for import and require");
  assert.equal(typeof cjs.MigoClient, "function");
  assert.equal(cjs.isValidCardNumber(VISA), true);
});

test("onRequest is told about every attempt, without secrets", async () => {
  const events = [];
  const c = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api, onRequest: (e) => events.push(e) });
  const { cardId } = await c.issueCard("1001");
  await gw.fault({ path: `/users/1001/cards/${cardId}/activate`, status: 503, times: 1 });
  await c.activateCard("1001", cardId);
  const token = await gw.viewToken(cardId);
  await c.getCardDetails("1001", cardId, token);
  assert.deepEqual(
    events.map((e) => [e.operation, e.method, e.attempt, e.result, e.status]),
    [
      ["issueCard", "POST", 1, "response", 201],
      ["activateCard", "POST", 1, "response", 503],
      ["activateCard", "POST", 2, "response", 200],
      ["getCardDetails", "GET", 1, "response", 200],
    ],
  );
  assert.equal(events[1].url, `${gw.api}/users/1001/cards/${cardId}/activate`);
  assert.equal(events[3].url, `${gw.api}/users/1001/cards/${cardId}?token=***`);
  for (const e of events) {
    assert.match(e.requestId, /^req-/);
    assert.ok(e.durationMs >= 0 && e.durationMs < 60_000);
    const all = JSON.stringify(e);
    assert.ok(!all.includes(token) && !all.includes(TOKEN), all);
  }
});

test("onRequest: a hook that throws changes nothing; a non-function is a config error", async () => {
  const c = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api, onRequest: () => { throw new Error("boom"); } });
  assert.equal((await c.issueCard("1001")).status, "INACTIVE");
  const events = [];
  const net = new MigoClient({ accessToken: TOKEN, baseUrl: "http://127.0.0.1:9/rest", maxRetries: 0, onRequest: (e) => events.push(e) });
  const e = await rejection(net.activateCard("1001", 1));
  assert.equal(e.kind, "network");
  assert.deepEqual(events.map((x) => [x.attempt, x.result, x.status]), [[1, "network", undefined]]);
  assert.throws(() => new MigoClient({ accessToken: TOKEN, onRequest: "log" }), (err) => err instanceof MigoError && err.kind === "config" && err.field === "onRequest");
});
