// Each call's request and step are its own across the module's boundary:
// whatever runs between a step and the read of what it needs (an onRequest
// report, a token fetch, another call of the same client started from a
// hook), a retry sends exactly the request it retries. Through the real
// package, with an injected fetch and with migo-cards/testing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MigoClient } from "migo-cards";
import { createTestGateway } from "migo-cards/testing";

const ok = (data = { ok: 1 }) => new Response(JSON.stringify({ success: true, data }), { status: 200 });
const busy = () => new Response("", { status: 429, headers: { "retry-after": "0" } });
const expired = () =>
  new Response(JSON.stringify({ success: false, errors: [{ code: "TOKEN_EXPIRED", message: "expired" }] }), { status: 401 });

/** A fetch that records each request as plain values and answers by `answer(n)` (n from 0). */
function recording(answer) {
  const sent = [];
  const fetch = async (url, init = {}) => {
    sent.push({ url: String(url), method: init.method, body: init.body ?? null, headers: { ...init.headers } });
    return answer(sent.length - 1);
  };
  return { fetch, sent };
}

test("a retry after an onRequest report sends the request it retries (updateCardAlias, 429 with Retry-After: 0)", async () => {
  const { fetch, sent } = recording((n) => (n === 0 ? busy() : ok()));
  const events = [];
  const client = new MigoClient({ accessToken: "tok_abc", baseUrl: "https://gw.example/rest", fetch, onRequest: (e) => events.push(e) });
  assert.deepEqual(await client.updateCardAlias(5000001, "Groceries"), { ok: 1 });
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[0], {
    url: "https://gw.example/rest/cards/5000001",
    method: "PATCH",
    body: '{"alias":"Groceries"}',
    headers: sent[0].headers,
  });
  assert.deepEqual(sent[1], sent[0]);
  assert.deepEqual(
    events.map((e) => [e.attempt, e.result, e.status]),
    [
      [1, "response", 429],
      [2, "response", 200],
    ],
  );
});

test("the test gateway's 429 fault: the hook hears of two attempts, both the same request", async () => {
  const gateway = createTestGateway({ seed: 7 });
  const card = gateway.addCard({ userId: "1001" });
  gateway.fault({ status: 429, retryAfter: 0 });
  const events = [];
  const client = new MigoClient({ accessToken: gateway.accessToken, environment: "sandbox", fetch: gateway.fetch, onRequest: (e) => events.push(e) });
  const active = await client.activateCard("1001", card.cardId);
  assert.equal(active.status, "ACTIVE");
  assert.deepEqual(
    events.map((e) => [e.result, e.status]),
    [
      ["response", 429],
      ["response", 200],
    ],
  );
  const log = gateway.requests();
  assert.equal(log.length, 2);
  assert.deepEqual([log[1].method, log[1].path], [log[0].method, log[0].path]);
});

// Each neighbour: an operation whose later request is read after other
// exports ran, with and without onRequest. `answers` gives the fetch's
// answers in order; every request sent must be `expected` (url, method, body).
const neighbours = [
  {
    name: "a token fetch after a report (401 TOKEN_EXPIRED, then a refreshed retry)",
    token: true,
    run: (c) => c.blockCard("1001", 5000001),
    answers: [expired, () => ok({ cardId: 5000001 })],
    expected: { url: "https://gw.example/rest/users/1001/cards/5000001/block", method: "POST", body: null },
  },
  {
    name: "a report between a reply and a send (503 with Retry-After: 0 on issueCard)",
    run: (c) => c.issueCard("1001"),
    answers: [() => new Response("", { status: 503, headers: { "retry-after": "0" } }), () => ok({ cardId: 5000002, status: "INACTIVE" })],
    expected: { url: "https://gw.example/rest/users/1001/cards/virtuals", method: "POST", body: null },
  },
  {
    name: "a retry after a refresh, then a 429",
    token: true,
    run: (c) => c.unblockCard("1002", 5000003),
    answers: [expired, busy, () => ok({ cardId: 5000003 })],
    expected: { url: "https://gw.example/rest/users/1002/cards/5000003/unblock", method: "POST", body: null },
  },
  {
    name: "a getCardDetails URL after a refresh",
    token: true,
    run: (c) => c.getCardDetails("1001", 5000001, "vt_single_use_1"),
    answers: [expired, () => ok({ cardId: 5000001 })],
    expected: { url: "https://gw.example/rest/users/1001/cards/5000001?token=vt_single_use_1", method: "GET", body: null },
  },
];

for (const n of neighbours) {
  for (const hook of [false, true]) {
    test(`${n.name}: every request is the call's own, ${hook ? "with" : "without"} onRequest`, async () => {
      const { fetch, sent } = recording((i) => n.answers[Math.min(i, n.answers.length - 1)]());
      let tokens = 0;
      const auth = n.token ? { getAccessToken: async () => `tok_fresh_${++tokens}` } : { accessToken: "tok_abc" };
      const events = [];
      const client = new MigoClient({ ...auth, baseUrl: "https://gw.example/rest", fetch, ...(hook ? { onRequest: (e) => events.push(e) } : {}) });
      await n.run(client);
      assert.equal(sent.length, n.answers.length);
      for (const r of sent) assert.deepEqual({ url: r.url, method: r.method, body: r.body }, n.expected);
      if (n.token) assert.deepEqual(sent.map((r) => r.headers.authorization), sent.map((_, i) => `Bearer tok_fresh_${Math.min(i + 1, tokens)}`));
      assert.equal(events.length, hook ? n.answers.length : 0);
    });
  }
}

/** A small seeded generator (mulberry32), so that a failing case replays. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Calls and what each must send, keyed by a tag the fetch finds in the URL.
const OPS = [
  (k) => [(c) => c.updateCardAlias(7000000 + k, `alias ${k} ☕`), { url: `https://gw.example/rest/cards/${7000000 + k}`, method: "PATCH", body: JSON.stringify({ alias: `alias ${k} ☕` }) }],
  (k) => [(c) => c.activateCard(`u${k}`, 7000000 + k), { url: `https://gw.example/rest/users/u${k}/cards/${7000000 + k}/activate`, method: "POST", body: null }],
  (k) => [(c) => c.issueCard(`u${k}`), { url: `https://gw.example/rest/users/u${k}/cards/virtuals`, method: "POST", body: null }],
  (k) => [(c) => c.getCardDetails(`u${k}`, 7000000 + k, `vt_${k}`), { url: `https://gw.example/rest/users/u${k}/cards/${7000000 + k}?token=vt_${k}`, method: "GET", body: null }],
];

test("property: every export the driver can call, interleaved between a step and the read of its payload, changes no call's request", async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rnd = random(seed);
    const expected = new Map(); // user or card key -> the request its call must send
    const mismatches = [];
    let next = 0;
    let started = [];
    const fetch = async (url, init = {}) => {
      const u = String(url);
      const key = /u(\d+)|\/(7\d{6})/.exec(u);
      const k = key ? Number(key[1] ?? Number(key[2]) - 7000000) : -1;
      const want = expected.get(k);
      const got = { url: u, method: init.method, body: init.body ?? null };
      if (!want || JSON.stringify(got) !== JSON.stringify(want)) mismatches.push({ seed, got, want });
      // Faults that make the core step again: a due 429, a 401 with a token provider, a 503.
      const r = rnd();
      if (r < 0.25) return busy();
      if (r < 0.35) return expired();
      if (r < 0.45) return new Response("", { status: 503, headers: { "retry-after": "0" } });
      return ok({ cardId: 7000000 + k, status: "ACTIVE" });
    };
    let clientRef;
    // The hook runs between steps: it starts other calls of the same client
    // and reads the client's summary, as user code may.
    const onRequest = () => {
      if (rnd() < 0.5 && next < 30) {
        const k = next++;
        const [run, want] = OPS[Math.floor(rnd() * OPS.length)](k);
        expected.set(k, want);
        started.push(run(clientRef).catch(() => {}));
      }
      if (rnd() < 0.3) JSON.stringify(clientRef);
    };
    let tokens = 0;
    clientRef = new MigoClient({ getAccessToken: async () => `tok_${seed}_${++tokens}`, baseUrl: "https://gw.example/rest", fetch, onRequest, maxRetries: 3 });
    for (let i = 0; i < 4; i++) {
      const k = next++;
      const [run, want] = OPS[i % OPS.length](k);
      expected.set(k, want);
      started.push(run(clientRef).catch(() => {}));
    }
    while (started.length) {
      const batch = started;
      started = [];
      await Promise.all(batch);
    }
    assert.deepEqual(mismatches, [], `seed ${seed}`);
  }
});

test("a status that is not an HTTP status is not a readable answer, whatever the body says", async () => {
  const body = JSON.stringify({ success: true, data: { cardId: 5000001 } });
  for (const status of [65737, 200.9, -1, NaN, 1e20, 4294967496, "200"]) {
    const fetch = async () => ({ status, redirected: false, headers: new Headers(), text: async () => body });
    const client = new MigoClient({ accessToken: "tok_abc", baseUrl: "https://gw.example/rest", fetch, maxRetries: 0 });
    const e = await client.blockCard("1001", 5000001).then(
      () => assert.fail(`status ${status} resolved`),
      (e) => e,
    );
    assert.equal(e.kind, "network", String(status));
    assert.match(e.message, /did not give a readable Response/);
  }
});

test("a getter that frees the client makes the call reject with the misuse error, not a raw one", async () => {
  const { fetch, sent } = recording(() => ok());
  for (const make of [(c) => ({ get timeoutMs() { c.free(); return 1000; } }), (c) => ({ signal: { get aborted() { c.free(); return false; }, addEventListener() {}, removeEventListener() {} } })]) {
    const client = new MigoClient({ accessToken: "tok_abc", baseUrl: "https://gw.example/rest", fetch });
    const e = await client.issueCard("1001", make(client)).then(
      () => assert.fail("resolved"),
      (e) => e,
    );
    assert.equal(e.name, "MigoError");
    assert.equal(e.field, "this");
  }
  assert.equal(sent.length, 0);
});

test("what fetch threw is scrubbed in its name as in its message", async () => {
  const fetch = async (url, init) => {
    const e = new Error(`failed ${url}`);
    e.name = `E ${JSON.stringify(init.headers)}`;
    throw e;
  };
  const client = new MigoClient({ accessToken: "tok_SECRET_abcdef123456", baseUrl: "https://gw.example/rest", fetch, maxRetries: 0 });
  const e = await client.getCardDetails("1001", 5000001, "vt_SECRET_XYZ").catch((e) => e);
  for (const text of [e.cause.name, e.cause.message, e.cause.stack, JSON.stringify(e)]) {
    assert.ok(!text.includes("tok_SECRET") && !text.includes("vt_SECRET"), text);
  }
  assert.match(e.cause.name, /Bearer \*\*\*/);
});
