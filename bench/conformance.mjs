// Do two implementations of the SDK's API behave the same? Runs the same
// calls through both and compares what each resolves to or rejects with
// (every MigoError field, its cause, and the onRequest events): validation
// of every argument of every method with hostile values, client options,
// the activation URL, card-number checks, real calls against the gateway in
// both envelope readings with injected faults, and calls through an
// injected `fetch` (redirects, a fetch that throws or gives no Response,
// network errors echoing secrets, aborts with reasons, timeouts, token
// providers that hang or fail, Retry-After dates in all three forms, a
// state conflict after a lost answer). Runs in Node and in a page:
// tests/js/plain-client.test.mjs compares bench/plain/client.js with the
// package in `make test`; the benchmark page compares the Rust-driver
// variant with the package.
import { operations } from "../pkg/testing/operations.js";

const BAD = [undefined, null, true, 0, -1, 1.5, NaN, Infinity, 2 ** 53, -0, "", " ", ".", "..", "a\nb", "a\u0085b",
  "12a", "0012", "x".repeat(70), "é".repeat(65), "x".repeat(300), "\ud800", "a/b?c#d", "4111 1111 1111 1111",
  "4111111111111112", 10n, Symbol("s"), {}, [], () => 1];

/** A cause as the comparison sees it: a MigoError's fields, an Error's name and message, or the value. */
const causeShape = (c) =>
  c === undefined ? undefined
    : c instanceof Error ? { name: c.name, message: c.message, kind: c.kind, status: c.status, code: c.code, outcome: c.outcome }
      : typeof c === "object" && c !== null ? JSON.stringify(c) : String(c);

const shape = (r) =>
  r.ok
    ? { ok: JSON.stringify(r.value, (k, v) => (k === "createdAt" || k === "id" || k === "statementId" ? "<volatile>" : v)) }
    : { name: r.error?.name, message: r.error?.message, kind: r.error?.kind, field: r.error?.field, status: r.error?.status,
      code: r.error?.code, errors: JSON.stringify(r.error?.errors), attempts: r.error?.attempts,
      retryable: r.error?.retryable, outcome: r.error?.outcome, requestId: r.error?.requestId !== undefined,
      isMigoError: r.error instanceof Error && r.error.name === "MigoError", cause: causeShape(r.error?.cause),
      keys: r.error && typeof r.error === "object" ? Object.keys(r.error).sort().join() : undefined,
      events: r.error?.eventsJson };

async function settle(f) {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error };
  }
}

const sleepMs = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The URL and signal a fetch was called with: `(url, init)` as js/api.js
 * calls it, or one `Request` (the Rust-driver variant).
 */
const seen = (input, init) =>
  typeof input === "string" ? { url: input, signal: init?.signal, headers: init?.headers } : { url: input.url, signal: input.signal };

/** A fetch that answers `status` with `body` (a string or JSON) and `headers`. */
const answer = (status, body, headers = {}) => () =>
  Promise.resolve(new Response(body === undefined ? null : typeof body === "string" ? body : JSON.stringify(body),
    { status, headers: { "content-type": "application/json", ...headers } }));

/** A fetch that never answers, but rejects with the signal's reason once it is aborted. */
const hang = (input, init) => {
  const { signal } = seen(input, init);
  return new Promise((resolve, reject) => signal?.addEventListener("abort", () => reject(signal.reason ?? new Error("aborted"))));
};

/** HTTP dates `ms` from now in the three RFC 9110 §5.6.7 forms. */
function httpDates(ms) {
  const imf = new Date(Date.now() + ms).toUTCString();
  const [wd, day, mon, year, time] = imf.replace(",", "").split(" ");
  const long = { Mon: "Monday", Tue: "Tuesday", Wed: "Wednesday", Thu: "Thursday", Fri: "Friday", Sat: "Saturday", Sun: "Sunday" }[wd];
  return {
    imf,
    rfc850: `${long}, ${day}-${mon}-${year.slice(2)} ${time} GMT`,
    asctime: `${wd} ${mon} ${day.replace(/^0/, " ").padStart(2, " ")} ${time} ${year}`,
  };
}

/**
 * `a`, `b`: module namespaces with MigoClient, activationUrl and
 * isValidCardNumber (`a` the reference); `gateway`: a started migo-mock's
 * `{ api, reset, envelope, fault, clearFaults }`. With `standardFetchOnly`,
 * cases whose injected fetch answers with a look-alike of a Response (no
 * real one can be a redirect that was followed) are left out.
 */
export async function conformance(a, b, gateway, { standardFetchOnly = false } = {}) {
  const results = { cases: 0, agree: 0, disagreements: [] };
  const compare = async (label, run) => {
    const x = shape(await settle(() => run(a)));
    const y = shape(await settle(() => run(b)));
    results.cases++;
    if (JSON.stringify(x) === JSON.stringify(y)) results.agree++;
    else if (results.disagreements.length < 25) results.disagreements.push({ case: label, a: x, b: y });
  };
  const label = (v) => (typeof v === "bigint" ? `${v}n` : typeof v === "symbol" ? "Symbol()" : typeof v === "function" ? "fn"
    : typeof v === "string" && v.length > 20 ? `"${v.slice(0, 6)}…"(${v.length})` : JSON.stringify(v) ?? String(v));

  // Client options.
  const base = { accessToken: "migo-test-token", baseUrl: gateway.api };
  const optionCases = [undefined, null, 1, {}, { accessToken: "" }, { accessToken: "a b" }, { accessToken: "t\r\n" },
    { accessToken: "t", getAccessToken: () => "t" }, { accessToken: () => "t" }, { getAccessToken: "t" },
    { accessToken: "t", environment: "qa" }, { accessToken: "t", environment: "sandbox" },
    { accessToken: "t", baseUrl: "http://example.com" }, { accessToken: "t", baseUrl: "https://a.b/rest/" },
    { accessToken: "t", baseUrl: "http://127.0.0.1.evil.com" }, { accessToken: "t", baseUrl: "https://u:p@a.b" },
    { accessToken: "t", baseUrl: "https://a.b?x" }, { accessToken: "t", baseUrl: "https://a.b:99999" },
    { accessToken: "t", baseUrl: "http://[::1]:9/x//" }, { accessToken: "t", baseUrl: 5 }, { accessToken: "t", maxRetries: 11 },
    { accessToken: "t", maxRetries: 1.5 }, { accessToken: "t", timeoutMs: 0 }, { accessToken: "t", timeoutMs: "5" },
    { accessToken: "t", applicationId: "a b" }, { accessToken: "t", applicationId: "app" }, { accessToken: "t", clientId: "" },
    { accessToken: "t", clientId: 3 }];
  for (const o of optionCases) {
    await compare(`new MigoClient(${JSON.stringify(o)})`, (m) => {
      const c = new m.MigoClient(o);
      return { json: c.toJSON(), str: String(c), env: c.environment, base: c.baseUrl };
    });
  }

  // Every argument of every method, one hostile value at a time (no network:
  // a valid call would go out, so those are left to the gateway cases below).
  const good = { userId: "1001", cardId: 5000001, authUserId: "1002", alias: "Groceries", viewToken: "vt-token",
    card: "4111111111111111", clientId: "acme", month: 3, year: 2026, pin: "0420" };
  // Each method's arguments from the package's operations list: a parameter, or an object argument's properties.
  const methods = Object.fromEntries(operations.map((o) => [o.name, o.args.map((a) => (typeof a === "string" ? a : a.join(",")))]));
  const objects = Object.fromEntries(operations.flatMap((o) => o.args.filter((a) => typeof a !== "string")).map((a) => [a.join(","), a]));
  for (const [key, fields] of Object.entries(objects)) good[key] = Object.fromEntries(fields.map((k) => [k, good[k]]));
  // Nothing listens on port 9: a call that passes validation fails as "network".
  const clients = new Map();
  const client = (m) => clients.get(m) ?? clients.set(m, new m.MigoClient({ ...base, baseUrl: "http://127.0.0.1:9/rest" })).get(m);
  for (const [method, params] of Object.entries(methods)) {
    for (let i = 0; i < params.length; i++) {
      const variants = objects[params[i]]
        ? objects[params[i]].flatMap((k) => BAD.map((v) => [`${k}=${label(v)}`, { ...good[params[i]], [k]: v }]))
          .concat(BAD.map((v) => [label(v), v]))
        : BAD.map((v) => [label(v), v]);
      for (const [name, v] of variants) {
        const args = params.map((p, j) => (j === i ? v : good[p]));
        await compare(`${method}(${params[i]}: ${name})`, (m) => client(m)[method](...args, { maxRetries: 0 }));
      }
    }
    for (const opts of [1, "x", { timeoutMs: 0 }, { maxRetries: 11 }, { signal: {} }, { signal: "s" }]) {
      await compare(`${method}(options: ${JSON.stringify(opts)})`, (m) => client(m)[method](...params.map((p) => good[p]), opts));
    }
  }

  for (const v of [...BAD, "4111-1111-1111-1111", " 4111 1111 1111 1111 ", "4111  1111 1111 1111", "378282246310005", "79927398713"]) {
    await compare(`isValidCardNumber(${label(v)})`, (m) => m.isValidCardNumber(v));
  }
  for (const o of [undefined, {}, { userId: "a b&c=d+é" }, { userId: 42, client: "migoDeveloper" }, { userId: "" },
    { userId: "u", client: 1 }, { userId: "u", environment: "sandbox" }, { userId: "u", environment: "qa" },
    { userId: "a\u0001b" }, { userId: -1 }]) {
    await compare(`activationUrl(${JSON.stringify(o)})`, (m) => m.activationUrl(o));
  }

  // Real calls: both clients on the same gateway state, one after the other.
  const c = (m, extra) => new m.MigoClient({ ...base, maxRetries: 0, ...extra });
  const api = async (method, p) => (await (await fetch(gateway.api + p, { method, headers: { authorization: "Bearer migo-test-token" } })).json()).data;
  for (const envelope of ["success", "statusCode"]) {
    await gateway.reset();
    await gateway.envelope(envelope);
    const card = (await api("POST", "/users/1001/cards/virtuals")).cardId;
    const seq = [
      ["activateCard on an unknown card", (m) => c(m).activateCard("1001", 999)],
      ["activateCard for an unknown user", (m) => c(m).activateCard("9999", card)],
      ["blockCard on an INACTIVE card", (m) => c(m).blockCard("1001", card)],
      ["updateCardAlias", (m) => c(m).updateCardAlias(card, "Bench \"quoted\" é")],
      ["updateCardAlias on an unknown card", (m) => c(m).updateCardAlias(77, "x")],
      ["createStatement", (m) => c(m).createStatement(card, { month: 3, year: 2026 })],
      ["linkCard with a clientId from the client", (m) => c(m, { clientId: "acme" }).linkCard("1002", { card: "4111 1111 1111 1111" })
        .then((v) => ({ ...v, cardId: typeof v.cardId }))], // each call links a new card
      ["linkCard for an unknown user", (m) => c(m).linkCard("9999", { card: "4111111111111111", clientId: "acme" })],
      ["getCardDetails with a bad token", (m) => c(m).getCardDetails("1001", card, "not-a-token")],
      ["expired token", (m) => c(m, { accessToken: "migo-expired-token" }).issueCard("1001")],
      ["token provider refresh after TOKEN_EXPIRED", (m) => {
        let n = 0;
        return c(m, { accessToken: undefined, getAccessToken: async () => (n++ ? "migo-test-token" : "migo-expired-token") })
          .unblockCard("1001", card);
      }],
      ["getAccessToken rejects", (m) => c(m, { accessToken: undefined, getAccessToken: () => Promise.reject(new Error("x")) }).issueCard("1001")],
    ];
    for (const [name, f] of seq) await compare(`${envelope} envelope: ${name}`, f);
    const faults = [
      [{ status: 503 }, "503 without Retry-After"],
      [{ status: 429, retryAfter: "120" }, "429 with Retry-After beyond 60 s"],
      [{ malformed: true }, "malformed JSON with 200"],
      [{ status: 500, body: "<html>oops</html>", contentType: "text/html" }, "HTML 500"],
      [{ status: 200, body: "[1,2,3]" }, "a non-envelope JSON body"],
      [{ status: 200, body: "" }, "an empty 200"],
      [{ status: 200, body: '{"success":false,"message":"nope","errors":[{"code":7213,"message":"card migo-test-token"}]}' }, "success:false with a numeric code and an echoed token"],
      [{ status: 200, body: '{"statusCode":422,"message":"bad thing"}' }, "statusCode 422 in a 200"],
      [{ status: 400, body: '{"success":false,"errors":[{"code":"7000","message":"' + "m".repeat(400) + '"}]}' }, "a long error message"],
      [{ status: 200, body: '{"success":true,"data":null}' }, "data: null"],
      [{ status: 200, body: '{"success":true,"message":"ok"}' }, "no data"],
      [{ status: 200, body: '{"success":"yes","data":1}' }, "success not a boolean"],
    ];
    for (const [fault, name] of faults) {
      await compare(`${envelope} envelope, fault: ${name}`, async (m) => {
        await gateway.fault({ method: "PATCH", times: 1, ...fault });
        return c(m).updateCardAlias(card, "x");
      });
    }
    // Retries, with Retry-After: 0 so that nothing waits for a back-off.
    const retries = [
      [{ method: "PATCH", status: 503, retryAfter: "0", times: 1 }, "updateCardAlias", "503 then success (idempotent: retried)"],
      [{ method: "PATCH", status: 429, retryAfter: "0", times: 5 }, "updateCardAlias", "429 until retries run out"],
      [{ method: "POST", status: 503, retryAfter: "0", times: 1 }, "createStatement", "503 + Retry-After on a creating call (retried)"],
      [{ method: "POST", status: 502, times: 1 }, "createStatement", "502 on a creating call (not retried)"],
    ];
    for (const [fault, method, name] of retries) {
      await compare(`${envelope} envelope, retry: ${name}`, async (m) => {
        await gateway.clearFaults();
        await gateway.fault(fault);
        const client = c(m, { maxRetries: 2 });
        return method === "updateCardAlias" ? client.updateCardAlias(card, "retry") : client.createStatement(card, { month: 1, year: 2026 });
      });
    }
    await gateway.clearFaults();
  }
  await gateway.envelope("success");
  await gateway.reset();

  // Through an injected fetch: no gateway, every answer made here.
  const PAN = "4111111111111111";
  const VT = "vt+Q2FyZA/x9==";
  const TOKEN = "tok_conformance_secret";
  const F = (m, fetch, extra) => new m.MigoClient({ accessToken: TOKEN, baseUrl: "https://gw.example/rest", clientId: "c1", fetch, ...extra });
  const ok = answer(200, { success: true, data: { done: true } });
  /** The onRequest events of one client, without their timing. */
  const withEvents = async (m, fetch, extra, run) => {
    const events = [];
    const c = F(m, fetch, { ...extra, onRequest: (e) => events.push({ ...e, durationMs: typeof e.durationMs }) });
    const r = await settle(() => run(c));
    if (r.ok) return { value: r.value, events };
    throw Object.assign(r.error, { eventsJson: JSON.stringify(events) });
  };

  for (const status of [301, 302, 303, 307, 308]) {
    await compare(`fetch: a ${status} redirect is refused (linkCard)`, (m) =>
      F(m, answer(status, undefined, { location: "https://elsewhere.example/" })).linkCard("1001", { card: PAN }));
  }
  await compare("fetch: a redirect on an idempotent call is not retried", (m) => F(m, answer(307, "")).activateCard("1001", 1));
  if (!standardFetchOnly) {
    const opaque = () => Promise.resolve({ type: "opaqueredirect", status: 0, redirected: false, headers: new Headers(), text: async () => "" });
    await compare("fetch: an opaque redirect (redirect: manual in a browser)", (m) => F(m, opaque).issueCard("1001"));
    const followed = () => Promise.resolve({ type: "basic", status: 201, redirected: true, headers: new Headers(),
      text: async () => JSON.stringify({ success: true, data: { cardId: 666 } }) });
    await compare("fetch: a fetch that followed a redirect anyway", (m) => F(m, followed).issueCard("1001"));
  }
  await compare("fetch: throws synchronously", (m) => F(m, () => {
    throw new TypeError("Illegal invocation");
  }).issueCard("1001"));
  for (const bogus of [undefined, 42, {}, { text: 1 }, null]) {
    await compare(`fetch: resolves to ${label(bogus)}`, (m) => F(m, async () => bogus, { maxRetries: 0 }).activateCard("1", 1));
  }
  await compare("fetch: rejects with an error naming the URL (view token scrubbed from the cause)", (m) =>
    F(m, (input, init) => Promise.reject(new TypeError(`request to ${seen(input, init).url} failed, reason: ECONNREFUSED`)))
      .getCardDetails("1001", 5000001, VT));
  await compare("fetch: a network error with a cause", (m) =>
    F(m, () => Promise.reject(Object.assign(new TypeError("fetch failed"), { cause: new Error(`connect to ${PAN}`) })), { maxRetries: 0 })
      .activateCard("1", 1));
  await compare("fetch: no fetch option and no global fetch", async (m) => {
    const saved = globalThis.fetch;
    delete globalThis.fetch;
    try {
      return await new m.MigoClient({ accessToken: TOKEN }).issueCard("1001");
    } finally {
      globalThis.fetch = saved;
    }
  });
  for (const bad of [42, "fetch", {}]) {
    await compare(`options: fetch ${label(bad)}`, (m) => F(m, bad));
    await compare(`options: onRequest ${label(bad)}`, (m) => F(m, ok, { onRequest: bad }));
  }
  await compare("fetch: the request it is given, and the events", (m) => {
    const calls = [];
    const rec = (input, init) => {
      const s = seen(input, init);
      calls.push(s.url);
      return ok();
    };
    return withEvents(m, rec, { applicationId: "app-1" }, async (c) => [await c.getCardDetails("1001", 5000001, VT), calls]);
  });
  await compare("fetch: 409 whose errors echo the card number, the token and the view token", (m) =>
    withEvents(m, answer(409, { success: false, message: `card ${PAN} token ${TOKEN}`,
      errors: [{ code: "7213", message: `card ${PAN} is linked; token ${TOKEN}`, [PAN]: Number(PAN), nested: [{ t: TOKEN, other: "5555555555554444" }] }] },
    { "x-request-id": `req-${TOKEN}` }), {}, (c) => c.linkCard("1001", { card: PAN })));
  await compare("fetch: an error code that is a card number", (m) =>
    F(m, answer(400, { success: false, errors: [{ code: PAN, message: "x" }] })).linkCard("1001", { card: "5555 5555 5555 4444" }));

  // Aborts, with reasons.
  for (const [name, reason] of [["an Error", new Error("user left the page")], ["a string", "navigated away"], ["an object", { code: 7 }]]) {
    await compare(`abort in flight with ${name} as reason`, async (m) => {
      const ac = new AbortController();
      const p = F(m, hang).activateCard("1001", 1, { signal: ac.signal });
      setTimeout(() => ac.abort(reason), 10);
      return p;
    });
  }
  await compare("abort: already aborted", (m) => {
    const ac = new AbortController();
    ac.abort(new Error("before"));
    return F(m, ok).activateCard("1001", 1, { signal: ac.signal });
  });
  await compare("abort: already aborted by AbortSignal.timeout", async (m) => {
    const s = AbortSignal.timeout(1);
    await sleepMs(20);
    return F(m, ok).activateCard("1001", 1, { signal: s });
  });
  await compare("abort: AbortSignal.timeout fires in flight", (m) => F(m, hang).activateCard("1001", 1, { signal: AbortSignal.timeout(30) }));
  await compare("abort: while waiting between retries", (m) => {
    const ac = new AbortController();
    const p = F(m, answer(503, "", { "retry-after": "5" })).blockCard("1001", 1, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error("stop")), 300);
    return p;
  });
  await compare("abort: while waiting for getAccessToken", (m) => {
    const ac = new AbortController();
    const p = F(m, ok, { accessToken: undefined, getAccessToken: () => new Promise(() => {}) }).blockCard("1001", 1, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error("stop")), 20);
    return p;
  });
  await compare("timeout: each attempt of an idempotent call times out", (m) => F(m, hang, { timeoutMs: 30, maxRetries: 1 }).blockCard("1001", 1));
  await compare("timeout: a creating call is not retried after a timeout", (m) => F(m, hang, { timeoutMs: 30 }).issueCard("1001"));

  // Token providers.
  await compare("getAccessToken that never settles: one call times out, the next asks again", async (m) => {
    let asked = 0;
    const c = F(m, ok, { accessToken: undefined, getAccessToken: () => (++asked === 1 ? new Promise(() => {}) : Promise.resolve(TOKEN)) });
    const first = await settle(() => c.activateCard("1001", 1, { timeoutMs: 40 }));
    return [shape(first), await c.activateCard("1001", 1, { timeoutMs: 40 }), await c.activateCard("1001", 1), asked];
  });
  for (const [name, provider] of [["resolves to a number", async () => 5], ["resolves to a token with a space", async () => "a b"],
    ["resolves to an empty string", async () => ""], ["throws", () => {
      throw new Error("no");
    }], ["rejects", () => Promise.reject(new Error("down"))]]) {
    await compare(`getAccessToken ${name}`, (m) => F(m, ok, { accessToken: undefined, getAccessToken: provider }).issueCard("1001"));
  }
  await compare("getAccessToken: concurrent calls share one fetch", async (m) => {
    let asked = 0;
    const c = F(m, ok, { accessToken: undefined, getAccessToken: async () => (asked++, sleepMs(10).then(() => TOKEN)) });
    return [await Promise.all([c.issueCard("1"), c.issueCard("2"), c.blockCard("1", 2)]), asked];
  });
  await compare("getAccessToken: TOKEN_EXPIRED refreshes once, also for getCardDetails", async (m) => {
    let n = 0;
    const expiredOnce = () => (n++ === 0 ? answer(401, { success: false, errors: [{ code: "TOKEN_EXPIRED", message: "expired" }] })() : ok());
    let asked = 0;
    const c = F(m, expiredOnce, { accessToken: undefined, getAccessToken: async () => `t${++asked}` });
    return [await c.getCardDetails("1001", 1, VT), asked, n];
  });
  await compare("getAccessToken: TOKEN_EXPIRED twice is an error", (m) =>
    F(m, answer(401, { success: false, errors: [{ code: "TOKEN_EXPIRED", message: "expired" }] }),
      { accessToken: undefined, getAccessToken: async () => "t" }).activateCard("1001", 1));

  // Retry-After in every form; a conflict after a lost answer.
  for (const form of ["imf", "rfc850", "asctime"]) {
    await compare(`Retry-After as a past ${form} date: retried at once`, (m) => {
      let n = 0;
      const f = () => (n++ === 0 ? answer(429, "", { "retry-after": httpDates(-5000)[form] })() : ok());
      return F(m, f).issueCard("1001");
    });
    await compare(`Retry-After as a ${form} date beyond 60 s: fails at once`, (m) =>
      F(m, answer(503, "", { "retry-after": httpDates(3600_000)[form] })).issueCard("1001"));
  }
  for (const value of ["Mon, 29 Nov 2026 22:44:09 GMT", "Sunday, 30-Feb-26 22:44:09 GMT", "soon", "-1", "1.5", "99999999999", "Sun Nov 29 22:44:09 2026 GMT"]) {
    await compare(`Retry-After ${JSON.stringify(value)} on a creating call's 503`, (m) =>
      F(m, answer(503, "", { "retry-after": value })).issueCard("1001"));
  }
  await compare("a state conflict after a lost answer is not a plain refusal", (m) => {
    let n = 0;
    const f = () => (n++ === 0 ? Promise.reject(new TypeError("connection reset"))
      : answer(409, { success: false, errors: [{ code: "7213", message: "card is BLOCKED" }] })());
    return F(m, f, { maxRetries: 2 }).blockCard("1001", 1);
  });
  await compare("outcome: a 502 then a 400 stays unknown", (m) => {
    let n = 0;
    const f = () => (n++ === 0 ? answer(502, "")() : answer(400, { success: false, errors: [{ code: "7000", message: "bad" }] })());
    return F(m, f).activateCard("1001", 1);
  });
  await compare("a 2xx body that is not JSON on a creating call", (m) => F(m, answer(201, "<html>")).issueCard("1001"));
  return results;
}
