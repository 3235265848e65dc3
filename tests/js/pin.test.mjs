// PIN management: setCardPin and setCardPinForUser, their requests, the
// validation of `pin`, and a PIN kept out of every error, event and log.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { MigoClient, MigoError } from "migo-cards";
import { createTestGateway } from "migo-cards/testing";
import { startGateway, TOKEN } from "./gateway.mjs";
import { rejection } from "./helpers.mjs";

let gw;
before(async () => (gw = await startGateway()));
after(() => gw.stop());
beforeEach(() => gw.reset());

/** A client whose fetch records what it sends and passes it on (or answers with `reply`). */
function recording({ reply, events } = {}) {
  const sent = [];
  const client = new MigoClient({
    accessToken: TOKEN,
    baseUrl: gw.api,
    onRequest: events ? (e) => events.push(e) : undefined,
    fetch: async (url, init) => {
      sent.push({ url, method: init.method, body: init.body, headers: Object.fromEntries(new Headers(init.headers)) });
      return reply ? reply(url, init) : fetch(url, init);
    },
  });
  return { client, sent };
}

const issue = async (client, user = "1001") => (await client.issueCard(user)).cardId;

test("setCardPin sends POST /cards/{cardId}/pin with {pin}, and resolves to undefined", async () => {
  const { client, sent } = recording();
  const cardId = await issue(client);
  assert.equal(await client.setCardPin(cardId, "5678"), undefined);
  const req = sent.at(-1);
  assert.equal(req.method, "POST");
  assert.equal(req.url, `${gw.api}/cards/${cardId}/pin`);
  assert.equal(req.body, '{"pin":"5678"}');
  assert.equal(req.headers["content-type"], "application/json");
  const card = (await gw.state()).cards.find((c) => c.cardId === cardId);
  assert.equal(card.pinSet, true);
  assert.equal(JSON.stringify(card).includes("5678"), false, "the gateway keeps whether, never the PIN");
});

test("setCardPinForUser sends POST /cards/{cardId}/users/{authUserId}/pin with {pin}: that user's PIN only", async () => {
  const { client, sent } = recording();
  const cardId = await issue(client);
  assert.equal(await client.setCardPinForUser(cardId, "1002", "4321"), undefined);
  const req = sent.at(-1);
  assert.equal(req.method, "POST");
  assert.equal(req.url, `${gw.api}/cards/${cardId}/users/1002/pin`);
  assert.equal(req.body, '{"pin":"4321"}');
  const card = (await gw.state()).cards.find((c) => c.cardId === cardId);
  assert.deepEqual([card.pinSet, card.pinUsers], [false, ["1002"]]);
});

test("the lifecycle: issue, set a PIN, activate; an ACTIVE card takes a new PIN too", async () => {
  const { client } = recording();
  const cardId = await issue(client);
  await client.setCardPin(cardId, "0420");
  await client.activateCard("1001", cardId);
  await client.setCardPin(cardId, "9999");
  const card = (await gw.state()).cards.find((c) => c.cardId === cardId);
  assert.deepEqual([card.status, card.pinSet], ["ACTIVE", true]);
});

test("leading zeros are kept as typed", async () => {
  const { client, sent } = recording();
  const cardId = await issue(client);
  await client.setCardPin(cardId, "0042");
  await client.setCardPinForUser(cardId, "1002", "000000000000");
  assert.deepEqual(sent.slice(-2).map((r) => r.body), ['{"pin":"0042"}', '{"pin":"000000000000"}']);
});

test("a pin that is not 4 to 12 ASCII digits is a validation error naming pin, never repeating it; nothing is sent", async () => {
  const { client, sent } = recording();
  const cases = [
    [1234, "pin must be a string of 4 to 12 digits, got number"],
    [420, "pin must be a string of 4 to 12 digits, got number"],
    [undefined, "pin is required"],
    [null, "pin is required"],
    [{ pin: "1234" }, "pin must be a string of 4 to 12 digits, got object"],
    ["", "pin must be 4 to 12 digits (0-9)"],
    ["123", "pin must be 4 to 12 digits (0-9)"],
    ["1234567890123", "pin must be 4 to 12 digits (0-9)"],
    [" 1234", "pin must be 4 to 12 digits (0-9)"],
    ["12-34", "pin must be 4 to 12 digits (0-9)"],
    ["١٢٣٤", "pin must be 4 to 12 digits (0-9)"],
    ["１２３４", "pin must be 4 to 12 digits (0-9)"],
  ];
  for (const [pin, message] of cases) {
    for (const call of [() => client.setCardPin(5000001, pin), () => client.setCardPinForUser(5000001, "1002", pin)]) {
      const e = await rejection(call());
      assert.ok(e instanceof MigoError, String(e));
      assert.deepEqual([e.kind, e.field, e.message, e.outcome], ["validation", "pin", message, "notSent"], String(pin));
    }
  }
  assert.equal(sent.length, 0);
});

test("a BLOCKED card answers 409 7213, an unknown card 404 7200; a PIN equal to the code leaves the code intact", async () => {
  const { client } = recording();
  const cardId = await issue(client);
  await client.activateCard("1001", cardId);
  await client.blockCard("1001", cardId);
  for (const call of [() => client.setCardPin(cardId, "7213"), () => client.setCardPinForUser(cardId, "1002", "7213")]) {
    const e = await rejection(call());
    assert.deepEqual([e.kind, e.status, e.code, e.errors[0].code, e.outcome], ["api", 409, "7213", "7213", "rejected"]);
    assert.match(e.message, /^Migo API error 409 \(code 7213 INVALID_STATUS_CARD\)/);
  }
  const e = await rejection(client.setCardPin(999999, "1234"));
  assert.deepEqual([e.status, e.code], [404, "7200"]);
  const f = await rejection(client.setCardPinForUser(cardId, "nobody", "1234"));
  assert.deepEqual([f.status, f.code], [404, "7100"]);
});

/** A client whose every call is answered with `status` and `body` (and the request id `requestId`). */
const answering = (status, body, requestId = "req-1") =>
  recording({
    reply: async () => new Response(body, { status, headers: { "content-type": "application/json", "x-request-id": requestId } }),
  }).client;

/** Every way the error can be shown: its message, JSON, string, and fields. */
const shown = (e) => [e.message, String(e), JSON.stringify(e), JSON.stringify(e.errors), e.requestId, e.code].join("\n");

test("a PIN the gateway echoes is scrubbed in every encoding", async () => {
  const pin = "4827";
  const echoes = [
    "4827",
    "%34%38%32%37",
    "%3482%37",
    "\\u0034\\u0038\\u0032\\u0037",
    "%2534%2538%2532%2537",
    "\\u002534827",
  ];
  for (const echo of echoes) {
    const message = `PIN ${echo} is not accepted`;
    const body = `{"success":false,"message":"${message}","errors":[{"code":"7205","message":"pin=${echo}","pin":"${echo}","n":${pin}}]}`;
    const e = await rejection(answering(400, body).setCardPin(5000001, pin));
    const text = shown(e);
    assert.equal(e.code, "7205");
    for (const form of [pin, "%34%38%32%37", "\\u0034\\u0038", "3482", "%2534"]) {
      assert.equal(text.includes(form), false, `${echo}: ${form} in ${text}`);
    }
  }
});

test("a PIN inside a longer number is another number: card ids and request ids read unchanged", async () => {
  const body = '{"success":false,"message":"card 5000420 refused","errors":[{"code":"7210","message":"card 5000420 not updated"}]}';
  const e = await rejection(answering(500, body, "req-004201").setCardPin(5000420, "0042"));
  assert.equal(e.requestId, "req-004201");
  assert.match(e.message, /card 5000420 not updated/);
  assert.equal(e.errors[0].message, "card 5000420 not updated");
  const f = await rejection(answering(500, body, "req-004201").setCardPinForUser(5000420, "1002", "4201"));
  assert.equal(f.requestId, "req-004201");
  const g = await rejection(answering(500, '{"success":false,"message":"pin 4201 refused"}', "req-4201").setCardPin(1, "4201"));
  assert.equal(g.message.includes("4201"), false, g.message);
  assert.equal(g.requestId, "req-***");
});

test("no onRequest event shows the PIN", async () => {
  const events = [];
  const { client } = recording({ events });
  const cardId = await issue(client);
  await client.setCardPin(cardId, "8642");
  await client.setCardPinForUser(cardId, "1002", "8642");
  assert.equal(events.length, 3);
  assert.equal(JSON.stringify(events).includes("8642"), false);
});

test("a lost answer is outcome unknown, never a second PIN change", async () => {
  const { client, sent } = recording({ reply: async () => new Response("busy", { status: 503 }) });
  const e = await rejection(client.setCardPin(5000001, "1357", { maxRetries: 3 }));
  assert.deepEqual([e.kind, e.status, e.outcome, e.attempts, sent.length], ["api", 503, "unknown", 1, 1]);
  let n = 0;
  const limited = recording({
    reply: async (url, init) => (url.endsWith("/pin") && ++n === 1 ? new Response("", { status: 429, headers: { "retry-after": "0" } }) : fetch(url, init)),
  });
  const cardId = await issue(limited.client);
  assert.equal(await limited.client.setCardPin(cardId, "1357"), undefined);
  assert.equal(limited.sent.filter((r) => r.url.endsWith("/pin")).length, 2, "429: the gateway did not act, so it is retried");
});

test("the gateway's request log never holds a PIN, whatever key or body carries it", async () => {
  const { client } = recording();
  const cardId = await issue(client);
  await client.setCardPin(cardId, "2468");
  const send = (path, body) =>
    fetch(`${gw.api}${path}`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body });
  for (const body of ['{"PIN":"2468"}', '{"pin":2468}', "pin=2468", '{"pin":"2468"', '{"pin":"2468","newPin":"2468"}', "2468"]) {
    await send(`/cards/${cardId}/pin`, body);
    await send(`/cards/${cardId}/users/1002/pin?pin=2468`, body);
  }
  const log = JSON.stringify(await gw.requests());
  assert.equal(log.includes("2468"), false, log);
});

test("migo-cards/testing knows PINs: pinSet, never the PIN", async () => {
  const tg = createTestGateway();
  const client = new MigoClient({ accessToken: tg.accessToken, fetch: tg.fetch, baseUrl: tg.baseUrl });
  const { cardId } = await client.issueCard("1001");
  assert.equal(tg.cards()[0].pinSet, false);
  await client.setCardPin(cardId, "0420");
  assert.equal(tg.cards()[0].pinSet, true);
  assert.equal(JSON.stringify([tg.state(), tg.requests?.()]).includes("0420"), false);
});
