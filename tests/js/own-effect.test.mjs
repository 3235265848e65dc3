// Against the local gateway: a state-setting call whose
// first attempt acted but whose answer was lost, retried and refused with
// 7213, never looks like a plain 7213 refusal.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { MigoClient, MigoError } from "migo-cards";
import { startGateway, TOKEN } from "./gateway.mjs";
import { rejection } from "./helpers.mjs";

let gw;
let client;
before(async () => {
  gw = await startGateway();
  client = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api });
});
after(() => gw.stop());

async function activeCard() {
  const card = await client.issueCard("1001");
  await client.activateCard("1001", card.cardId);
  return card.cardId;
}

const cardState = async (id) => (await gw.state()).cards.find((c) => c.cardId === id).status;

for (const [lost, kind, status] of [
  [{ drop: true }, "network", undefined],
  [{ status: 502 }, "api", 502],
  [{ status: 504 }, "api", 504],
]) {
  test(`blockCard: first answer lost (${JSON.stringify(lost)}) after acting, retry refused 7213: outcome unknown, never a plain 7213`, async () => {
    const id = await activeCard();
    await gw.fault({ method: "POST", path: `/users/1001/cards/${id}/block`, ...lost, after: true, times: 1 });
    const e = await rejection(client.blockCard("1001", id));
    assert.ok(e instanceof MigoError);
    assert.equal(await cardState(id), "BLOCKED", "the first attempt did block the card");
    assert.equal(e.kind, kind);
    assert.equal(e.status, status);
    assert.notEqual(e.code, "7213", "a plain 7213 check does not match");
    assert.equal(e.outcome, "unknown");
    assert.equal(e.retryable, false);
    assert.equal(e.attempts, 2);
    assert.match(e.message, /state conflict/);
    assert.ok(e.cause instanceof MigoError);
    assert.equal(e.cause.code, "7213");
    assert.equal(e.cause.status, 409);
  });
}

test("a genuine 7213 (the card was already blocked) stays a plain refusal", async () => {
  const id = await activeCard();
  await client.blockCard("1001", id);
  const e = await rejection(client.blockCard("1001", id));
  assert.equal(e.kind, "api");
  assert.equal(e.code, "7213");
  assert.equal(e.outcome, "rejected");
  assert.equal(e.attempts, 1);
  assert.equal(e.cause, undefined);
});

test("the README's quick-start handling sends the own-effect case to the check-the-card branch", async () => {
  const id = await activeCard();
  await gw.fault({ method: "POST", path: `/users/1001/cards/${id}/block`, drop: true, after: true, times: 1 });
  let branch;
  try {
    await client.blockCard("1001", id);
    branch = "resolved";
  } catch (e) {
    if (!(e instanceof MigoError)) throw e;
    if (e.outcome === "unknown") branch = "check the card";
    else if (e.kind === "api" && e.code === "7213") branch = "refused";
    else branch = "other";
  }
  assert.equal(branch, "check the card");
});
