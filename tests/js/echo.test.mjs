// What the gateway's words become on their way to the caller: echoed secrets in every encoding, card numbers in every
// grouping, and numbers a JS number cannot hold. Each server here is a small
// node:http server on 127.0.0.1 answering the way real gateways and proxies
// do; only public behaviour is checked (messages, `errors`, `String(e)`,
// resolved values).
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import util from "node:util";
import { MigoClient, MigoError } from "migo-cards";
import { rejection } from "./helpers.mjs";

const TOKEN = "tok_live_Zx81+Qm/ab==";
const VIEW_TOKEN = "vt+Q2FyZA/x9==";

/** A server whose answer is `answer(req, body)`: { status, body, headers }. */
async function serve(answer) {
  const server = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const { status = 200, body: text = "", headers = {} } = answer(req, body);
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(text);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    client: (options = {}) =>
      new MigoClient({ accessToken: TOKEN, baseUrl: `http://127.0.0.1:${port}/rest`, maxRetries: 0, ...options }),
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Every text the caller can see of an error. */
function seen(e) {
  const texts = [String(e), e.message, JSON.stringify(e), util.inspect(e, { depth: 10 })];
  for (const key of Object.keys(e)) texts.push(`${key}=${JSON.stringify(e[key])}`);
  return texts.join("\n");
}

function assertHidden(e, ...leaks) {
  assert.ok(e instanceof MigoError, String(e));
  const text = seen(e);
  for (const leak of leaks) assert.ok(!text.includes(leak), `${JSON.stringify(leak)} reached the caller:\n${text}`);
}

// ---- 1. card numbers in any grouping ---------------------------------------

test("a card number echoed grouped, and another one, are masked everywhere", async () => {
  const gw = await serve((req, body) => {
    const { card } = JSON.parse(body);
    const grouped = card.replace(/(\d{4})(?=\d)/g, "$1 ");
    return {
      status: 422,
      body: JSON.stringify({
        success: false,
        errors: [
          { code: "7000", message: `card ${grouped} is not eligible` },
          { code: "7000", message: "5555-5555-5555-4444" },
        ],
      }),
    };
  });
  try {
    const e = await rejection(gw.client().linkCard("1001", { card: "4111 1111 1111 1111", clientId: "c1" }));
    assert.equal(e.message, "Migo API error 422 (code 7000 CHECK_PARAMETERS): card ************1111 is not eligible");
    assert.equal(e.errors[0].message, "card ************1111 is not eligible");
    assert.equal(e.errors[1].message, "************4444");
    assert.ok(String(e).includes("card ************1111 is not eligible"));
    assertHidden(e, "4111 1111", "4111111111111111", "5555-5555", "5555555555554444");
  } finally {
    await gw.stop();
  }
});

test("card numbers in every grouping and encoding of the separators are masked; ordinary numbers stay", async () => {
  const cases = [
    ["4111.1111.1111.1111", "************1111"],
    ["4111%201111%201111%201111", "************1111"],
    ["4111+1111+1111+1111", "************1111"],
    ["4111\\u00201111\\u00201111\\u00201111", "************1111"],
    ["3782 822463 10005", "************0005"],
    ["6011-0009-9013-9424", "************9424"],
    ["5555555555554444", "************4444"],
    ["on 2026-11-29, call +1 415 555 2671", "on 2026-11-29, call +1 415 555 2671"],
    ["card 5000001 of user 1001, ref 4111111111111112", "card 5000001 of user 1001, ref 4111111111111112"],
  ];
  let i = 0;
  // The message is given to JSON.stringify after `\u0020` was written into
  // it as text: the server means the six characters, a JSON-escaped space.
  const gw = await serve(() => ({
    status: 400,
    body: JSON.stringify({ success: false, errors: [{ code: "7000", message: cases[i][0], field: cases[i][0] }] }),
  }));
  try {
    const client = gw.client();
    for (; i < cases.length; i++) {
      const [said, shown] = cases[i];
      const e = await rejection(client.activateCard("1001", 5000001));
      assert.equal(e.errors[0].message, shown, said);
      assert.equal(e.errors[0].field, shown, said);
      assert.ok(e.message.endsWith(`: ${shown}`), `${said} -> ${e.message}`);
    }
  } finally {
    await gw.stop();
  }
});

test("the card number in a successful getCardDetails is the caller's, untouched", async () => {
  const gw = await serve(() => ({
    body: JSON.stringify({ success: true, data: { cardId: 5000001, pan: "4111111111111111", cvv: "123", expiry: "12/29" } }),
  }));
  try {
    const details = await gw.client().getCardDetails("1001", 5000001, VIEW_TOKEN);
    assert.deepEqual(details, { cardId: 5000001, pan: "4111111111111111", cvv: "123", expiry: "12/29" });
  } finally {
    await gw.stop();
  }
});

// ---- 2. secrets echoed in any encoding ---------------------------------------

test("a view token echoed as the gateway received it, in the URL, is scrubbed", async () => {
  const gw = await serve((req) => ({
    status: 404,
    body: JSON.stringify({ success: false, message: `card not found (${req.url})` }),
  }));
  try {
    const e = await rejection(gw.client().getCardDetails("1001", 5000001, VIEW_TOKEN));
    assert.equal(e.message, "Migo API error 404: card not found (/rest/users/1001/cards/5000001?token=***)");
    assertHidden(e, "Q2FyZA", "vt%2B", "x9%3D");
  } finally {
    await gw.stop();
  }
});

test("a view token echoed by proxies in every encoding is scrubbed from message, errors and String(e)", async () => {
  const token = (req) => new URL(req.url, "http://x").searchParams.get("token");
  const overEncode = (s) => [...Buffer.from(s)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  const jsonEscape = (s) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
  const echoes = [
    (req) => req.url, // as the SDK encoded it
    (req) => req.url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()), // lower-case hex
    (req) => token(req), // decoded
    (req) => encodeURIComponent(token(req)).replace(/%2B/g, "+"), // `+` left as is
    (req) => overEncode(token(req)), // unreserved characters encoded too
    (req) => token(req).replace(/\//g, "\\/"), // JSON's `\/`, as text
    (req) => jsonEscape(token(req)), // `\uXXXX` for every character
    (req) => req.url.replace(/%/g, "\\u0025"), // JSON-escaped percent-encoding
    (req) => req.url.replace(/%/g, "%25"), // percent-encoded twice
  ];
  let i = 0;
  const gw = await serve((req) => {
    const echo = echoes[i](req);
    return {
      status: 400,
      body: JSON.stringify({
        success: false,
        message: `bad token ${echo}`,
        errors: [{ code: "7000", message: `token ${echo} rejected`, detail: { url: echo, seen: [echo] } }],
      }),
      headers: { "x-request-id": `req-${i}` },
    };
  });
  try {
    const client = gw.client();
    for (; i < echoes.length; i++) {
      const e = await rejection(client.getCardDetails("1001", 5000001, VIEW_TOKEN));
      assertHidden(e, "Q2FyZA", "%51%32", "\\u0051\\u0032");
      assert.ok(e.errors[0].message.startsWith("token ") && e.errors[0].message.includes("***"), e.errors[0].message);
      assert.equal(e.requestId, `req-${i}`);
    }
  } finally {
    await gw.stop();
  }
});

test("an access token echoed from the Authorization header is scrubbed, encoded or not", async () => {
  const echoes = [
    (auth) => auth,
    (auth) => encodeURIComponent(auth),
    (auth) => JSON.stringify(auth).slice(1, -1).replace(/\//g, "\\/"),
  ];
  let i = 0;
  const gw = await serve((req) => ({
    status: 401,
    body: JSON.stringify({ success: false, errors: [{ code: "TOKEN_INVALID", message: `not valid: ${echoes[i](req.headers.authorization)}` }] }),
  }));
  try {
    const client = gw.client();
    for (; i < echoes.length; i++) {
      const e = await rejection(client.activateCard("1001", 5000001));
      assert.match(e.errors[0].message, /^not valid: Bearer(%20| )\*\*\*$/);
      assertHidden(e, "Zx81", "tok_live");
    }
  } finally {
    await gw.stop();
  }
});

test("a request id carrying a card number or a secret is masked", async () => {
  let id = "";
  const gw = await serve(() => ({ status: 500, body: "", headers: { "x-request-id": id } }));
  try {
    const client = gw.client();
    id = "req-4111111111111111";
    assert.equal((await rejection(client.activateCard("1001", 5000001))).requestId, "req-************1111");
    id = `req-${encodeURIComponent(TOKEN)}`;
    assert.equal((await rejection(client.activateCard("1001", 5000001))).requestId, "req-***");
    id = "req-2026-11-29-000123";
    assert.equal((await rejection(client.activateCard("1001", 5000001))).requestId, "req-2026-11-29-000123");
  } finally {
    await gw.stop();
  }
});

test("onRequest's requestId and URL are masked the same way", async () => {
  const gw = await serve(() => ({ status: 404, body: "", headers: { "x-request-id": "req-4111111111111111" } }));
  try {
    const events = [];
    await rejection(gw.client({ onRequest: (ev) => events.push(ev) }).getCardDetails("1001", 5000001, VIEW_TOKEN));
    assert.equal(events[0].requestId, "req-************1111");
    assert.ok(events[0].url.endsWith("/rest/users/1001/cards/5000001?token=***"), events[0].url);
  } finally {
    await gw.stop();
  }
});

test("a fetch failure that names the URL reaches `cause` scrubbed", async () => {
  // Some fetch implementations (and proxies' error pages) quote the URL.
  const failing = (url) => {
    const e = new TypeError(`fetch failed: ${url} (also ${decodeURIComponent(String(url))})`);
    e.cause = new Error(`connect ECONNREFUSED for ${String(url).replace(/%/g, "%25")}`);
    return Promise.reject(e);
  };
  const client = new MigoClient({ accessToken: TOKEN, baseUrl: "http://127.0.0.1:9/rest", maxRetries: 0, fetch: failing });
  const e = await rejection(client.getCardDetails("1001", 5000001, VIEW_TOKEN));
  assert.equal(e.kind, "network");
  assertHidden(e, "Q2FyZA");
  const cause = seen(e.cause);
  assert.ok(!cause.includes("Q2FyZA") && cause.includes("token=***"), cause);
});

// ---- 3. numbers a JS number cannot hold exactly ------------------------------

test("an id beyond 2^53 resolves as its exact digits, and works as a cardId", async () => {
  const paths = [];
  const gw = await serve((req) => {
    paths.push(`${req.method} ${req.url}`);
    const status = req.url.endsWith("/activate") ? "ACTIVE" : "INACTIVE";
    // Written by hand: JSON.stringify could not write this number.
    return { body: `{"success":true,"data":{"cardId":9007199254740993,"status":"${status}"}}` };
  });
  try {
    const client = gw.client();
    const card = await client.issueCard("1001");
    assert.deepEqual(card, { cardId: "9007199254740993", status: "INACTIVE" });
    const active = await client.activateCard("1001", card.cardId);
    assert.deepEqual(active, { cardId: "9007199254740993", status: "ACTIVE" });
    assert.deepEqual(paths, ["POST /rest/users/1001/cards/virtuals", "POST /rest/users/1001/cards/9007199254740993/activate"]);
  } finally {
    await gw.stop();
  }
});

test("every number of data and errors keeps its exact value: as a number when it can, else as its text", async () => {
  const data =
    '{"cards":[{"cardId":18446744073709551617},{"cardId":5000001},{"cardId":-9007199254740993}],' +
    '"safe":9007199254740991,"balance":12.34,"half":0.5,"kilo":1e3,"tiny":1e-400,"huge":1e400,' +
    '"long":0.12345678901234567,"text":"9007199254740993"}';
  let status = 200;
  const gw = await serve(() =>
    status === 200
      ? { body: `{"success":true,"data":${data}}` }
      : { status, body: `{"success":false,"errors":[{"code":"7213","cardId":9007199254740993,"limits":[1,2e400]}]}` },
  );
  try {
    const client = gw.client();
    assert.deepEqual(await client.createStatement(5000001, { month: 11, year: 2026 }), {
      cards: [{ cardId: "18446744073709551617" }, { cardId: 5000001 }, { cardId: "-9007199254740993" }],
      safe: 9007199254740991,
      balance: 12.34,
      half: 0.5,
      kilo: 1000,
      tiny: "1e-400",
      huge: "1e400",
      long: "0.12345678901234567",
      text: "9007199254740993",
    });
    status = 409;
    const e = await rejection(client.blockCard("1001", 5000001));
    assert.deepEqual(e.errors, [{ code: "7213", cardId: "9007199254740993", limits: [1, "2e400"] }]);
  } finally {
    await gw.stop();
  }
});
