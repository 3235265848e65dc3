// Is the plain-JS client (bench/plain/client.js) a faithful alternative? Runs
// the same calls through it and through the package (its Node build, same
// Rust core) and compares what each resolves to or rejects with: validation
// of every argument of every method with hostile values, client options, the
// activation URL, card-number checks, and real calls against the gateway,
// with both envelope readings and injected faults. bench.mjs reports the
// count of agreeing cases and lists any disagreement.
import * as plain from "./plain/client.js";

const BAD = [undefined, null, true, 0, -1, 1.5, NaN, Infinity, 2 ** 53, -0, "", " ", ".", "..", "a\nb", "a\u0085b",
  "12a", "0012", "x".repeat(70), "é".repeat(65), "x".repeat(300), "\ud800", "a/b?c#d", "4111 1111 1111 1111",
  "4111111111111112", 10n, Symbol("s"), {}, [], () => 1];

const shape = (r) =>
  r.ok
    ? { ok: JSON.stringify(r.value, (k, v) => (k === "createdAt" || k === "id" || k === "statementId" ? "<volatile>" : v)) }
    : { name: r.error?.name, message: r.error?.message, kind: r.error?.kind, field: r.error?.field, status: r.error?.status,
      code: r.error?.code, errors: JSON.stringify(r.error?.errors), attempts: r.error?.attempts,
      retryable: r.error?.retryable, outcome: r.error?.outcome, requestId: r.error?.requestId !== undefined,
      isMigoError: r.error instanceof Error && r.error.name === "MigoError" };

async function settle(f) {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** `sdk`: the package's module namespace (Node build); `gateway`: a started migo-mock. */
export async function conformance(sdk, gateway) {
  const results = { cases: 0, agree: 0, disagreements: [] };
  const compare = async (label, run) => {
    const a = shape(await settle(() => run(sdk)));
    const b = shape(await settle(() => run(plain)));
    results.cases++;
    if (JSON.stringify(a) === JSON.stringify(b)) results.agree++;
    else if (results.disagreements.length < 25) results.disagreements.push({ case: label, sdk: a, plain: b });
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
    card: { card: "4111111111111111", clientId: "acme" }, period: { month: 3, year: 2026 } };
  const methods = {
    issueCard: ["userId"], linkCard: ["userId", "card"], activateCard: ["userId", "cardId"], blockCard: ["userId", "cardId"],
    unblockCard: ["userId", "cardId"], blockCardForUser: ["cardId", "authUserId"], unblockCardForUser: ["cardId", "authUserId"],
    updateCardAlias: ["cardId", "alias"], getCardDetails: ["userId", "cardId", "viewToken"], createStatement: ["cardId", "period"],
  };
  const objects = { card: ["card", "alias", "clientId"], period: ["month", "year"] };
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
  return results;
}
