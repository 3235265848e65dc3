// No secret leaks: the access token, full card numbers, CVVs and view tokens
// never appear in an error (message or any own property, nested `errors`
// included), in anything written to the console or to stdout/stderr, in
// String(client) / JSON.stringify(client) / util.inspect(client), or in the
// gateway's request log, while the whole fault scenario set runs.
//
// Long secrets are searched as substrings everywhere, `stack` included. A CVV
// is three digits, so it is searched as a whole number (not inside a longer
// run of digits), outside stack traces and raw stream writes (line and
// column numbers, durations), and the scenario cards are re-issued until
// their CVV is >= 600, above every status, timeout and delay in the suite.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import { randomBytes } from "node:crypto";
import { MigoClient, MigoError } from "migo-cards";
import { startGateway } from "./gateway.mjs";
import { FAULTS, OPS, opByName, prepare, randomPan, runScenario } from "./fault-scenarios.mjs";

const TOKEN = `tok_live_${randomBytes(16).toString("hex")}`;
const EXPIRED = `tok_old_${randomBytes(16).toString("hex")}`;

let gw;
before(async () => {
  gw = await startGateway(["--token", TOKEN, "--expired-token", EXPIRED]);
});
after(() => gw.stop());

// ---- where secrets could end up --------------------------------------------

/** Every string reachable from `v` through own properties (enumerable or not,
 * symbol keys too), with the key path, so a hit says where it was. */
function strings(v, path = "", out = [], seen = new Set(), depth = 0) {
  if (typeof v === "string") {
    out.push({ path, text: v });
    return out;
  }
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") {
    out.push({ path, text: String(v) });
    return out;
  }
  if ((typeof v !== "object" && typeof v !== "function") || v === null || seen.has(v) || depth > 8) return out;
  seen.add(v);
  for (const key of Reflect.ownKeys(v)) {
    let child;
    try {
      child = v[key];
    } catch {
      continue;
    }
    strings(child, `${path}.${String(key)}`, out, seen, depth + 1);
  }
  return out;
}

class Haystack {
  items = [];
  /** `cvv: false` excludes the text from the CVV search (stack traces etc.). */
  add(where, text, { cvv = true } = {}) {
    this.items.push({ where, text: String(text), cvv });
  }
  addError(where, e) {
    for (const s of strings(e)) this.add(`${where} error${s.path}`, s.text, { cvv: !s.path.endsWith(".stack") });
    this.add(`${where} String(error)`, String(e));
    this.add(`${where} JSON.stringify(error)`, JSON.stringify(e));
    this.add(`${where} util.inspect(error)`, util.inspect(e, { showHidden: true, depth: 10 }), { cvv: false });
  }
  addClient(where, c) {
    this.add(`${where} String(client)`, String(c));
    this.add(`${where} template`, `${c}`);
    this.add(`${where} JSON.stringify(client)`, JSON.stringify(c));
    this.add(`${where} util.inspect(client)`, util.inspect(c, { showHidden: true, depth: 10 }));
    for (const s of strings(c)) this.add(`${where} client${s.path}`, s.text);
  }
  /** Where each secret was found: one line per kind of secret and place,
   * with a count and the first excerpt. */
  leaks(secrets) {
    const found = new Map();
    const hit = (name, it, value) => {
      const key = `${name} in ${it.where}`;
      const f = found.get(key);
      if (f) f.count++;
      else found.set(key, { count: 1, excerpt: excerpt(it.text, value) });
    };
    for (const { name, value } of secrets.long) {
      for (const it of this.items) if (it.text.includes(value)) hit(name, it, value);
    }
    for (const cvv of secrets.cvvs) {
      const re = new RegExp(`(?<![0-9])${cvv}(?![0-9])`);
      for (const it of this.items) if (it.cvv && re.test(it.text)) hit("CVV", it, cvv);
    }
    return [...found].map(([key, f]) => `${key}${f.count > 1 ? ` (x${f.count})` : ""}: ${f.excerpt}`);
  }
}

function excerpt(text, value) {
  const i = text.indexOf(value);
  return JSON.stringify(text.slice(Math.max(0, i - 60), i + value.length + 60));
}

/** Records console.* calls and stdout/stderr writes (the writes still go out,
 * so the test runner's own reporting keeps working). */
function captureOutput(hay) {
  const saved = {};
  for (const m of ["log", "info", "warn", "error", "debug", "trace", "dir", "dirxml", "table", "group", "groupCollapsed", "assert", "count", "timeLog"]) {
    saved[m] = console[m];
    console[m] = (...args) => hay.add(`console.${m}`, util.format(...args));
  }
  const writes = [];
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    stream.write = function (chunk, ...rest) {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("latin1");
      hay.add(`${stream === process.stdout ? "stdout" : "stderr"} write`, text, { cvv: false });
      return original.call(this, chunk, ...rest);
    };
    writes.push([stream, original]);
  }
  return () => {
    Object.assign(console, saved);
    for (const [stream, original] of writes) stream.write = original;
  };
}

class Secrets {
  long = [];
  cvvs = new Set();
  addLong(name, value) {
    if (value && !this.long.some((s) => s.value === value)) this.long.push({ name, value });
  }
  addCtx(ctx) {
    for (const pan of ctx.secrets.pans) this.addLong("card number", pan);
    for (const vt of ctx.secrets.viewTokens) this.addLong("view token", vt);
    for (const cvv of ctx.secrets.cvvs) this.cvvs.add(cvv);
  }
  addDetails(d) {
    if (d && typeof d === "object") {
      this.addLong("card number", d.pan);
      if (/^\d{3}$/.test(d.cvv) && Number(d.cvv) >= 600) this.cvvs.add(d.cvv);
    }
  }
}

const rejection = async (p) => {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
};

// ---- the run ---------------------------------------------------------------

test("no secret in errors, console output, the client or the gateway log across the fault scenario set", async (t) => {
  const hay = new Haystack();
  const secrets = new Secrets();
  secrets.addLong("access token", TOKEN);
  secrets.addLong("expired access token", EXPIRED);
  const clients = [];
  const errors = [];
  let detailsRead = 0;

  const restore = captureOutput(hay);
  try {
    const client = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api, clientId: "acme", applicationId: "app-1" });
    clients.push(["static-token client", client]);

    const record = (label, run, ctx) => {
      for (const r of run.results) {
        if (r.ok) {
          if (r.op.name === "getCardDetails" && r.value) {
            detailsRead++;
            secrets.addDetails(r.value);
          }
        } else {
          errors.push([`${label} / ${r.op.name}`, r.error]);
        }
      }
      hay.add(`${label} gateway state`, JSON.stringify(run.state));
      secrets.addCtx(ctx);
    };

    // 1. Every fault kind of the fault suite, every operation.
    for (const fault of FAULTS) {
      const ctx = await prepare(gw, TOKEN, { readSecrets: true, linkPan: randomPan() });
      record(fault.name, await runScenario(gw, client, ctx, fault), ctx);
    }
    // 2. Faults after the gateway acted.
    for (const spec of [{ drop: true }, { status: 502 }, { status: 504 }, { malformed: true }, { status: 502, body: "<html>x</html>", contentType: "text/html" }]) {
      const ctx = await prepare(gw, TOKEN, { readSecrets: true });
      record(`after ${JSON.stringify(spec)}`, await runScenario(gw, client, ctx, { spec: { ...spec, after: true } }), ctx);
    }
    // 3. Token providers: expired then good (single and concurrent), always
    //    expired, throwing, resolving to a bad token that contains the secret.
    const provider = (tokens) => {
      let n = 0;
      return async () => tokens[Math.min(n++, tokens.length - 1)];
    };
    for (const [label, getAccessToken] of [
      ["expired-then-good provider", provider([EXPIRED, TOKEN])],
      ["always-expired provider", provider([EXPIRED])],
      ["throwing provider", () => { throw new Error("no token today"); }],
      ["bad-token provider", async () => `${TOKEN} with a space`],
      ["refresh-fails provider", (() => { let n = 0; return async () => { if (n++) throw new Error("refresh failed"); return EXPIRED; }; })()],
    ]) {
      const c = new MigoClient({ getAccessToken, baseUrl: gw.api, clientId: "acme" });
      clients.push([label, c]);
      const ctx = await prepare(gw, TOKEN, { readSecrets: true });
      record(label, await runScenario(gw, c, ctx, { name: label, spec: null }), ctx);
    }
    const expiredClient = new MigoClient({ accessToken: EXPIRED, baseUrl: gw.api, clientId: "acme" });
    clients.push(["static expired client", expiredClient]);
    {
      const ctx = await prepare(gw, TOKEN, { readSecrets: true });
      record("static expired token", await runScenario(gw, expiredClient, ctx, { spec: null }), ctx);
    }
    // 4. Cancellation and timeouts with secrets in flight.
    {
      const ctx = await prepare(gw, TOKEN, { readSecrets: true });
      const pre = new AbortController();
      pre.abort();
      record("pre-aborted", await runScenario(gw, client, ctx, { spec: null, options: { signal: pre.signal } }), ctx);
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 150);
      record("aborted in flight", await runScenario(gw, client, ctx, { spec: { delayMs: 1000 }, options: { signal: ac.signal } }), ctx);
    }
    // 5. Validation and configuration errors around secret values.
    const ctx = await prepare(gw, TOKEN, { readSecrets: true });
    secrets.addCtx(ctx);
    const typo = ctx.linkPan.slice(0, -1) + String((Number(ctx.linkPan.at(-1)) + 1) % 10); // fails Luhn
    secrets.addLong("mistyped card number", typo);
    const spaced = ctx.linkPan.replace(/(\d{4})(?=\d)/g, "$1 ");
    secrets.addLong("card number as typed", spaced);
    const local = [
      ["linkCard with a mistyped card", () => client.linkCard("alice", { card: typo })],
      ["linkCard with a card and a bad alias", () => client.linkCard("alice", { card: spaced, alias: "\u0000" })],
      ["linkCard with a card and no clientId", () => new MigoClient({ accessToken: TOKEN, baseUrl: gw.api }).linkCard("alice", { card: ctx.linkPan })],
      ["linkCard with a card and bad options", () => client.linkCard("alice", { card: ctx.linkPan }, { timeoutMs: -1 })],
      ["getCardDetails with a bad card id", () => client.getCardDetails("1002", "x", ctx.viewToken)],
      ["getCardDetails with a bad user", () => client.getCardDetails("", ctx.details.cardId, ctx.viewToken)],
      ["getCardDetails with a used token", async () => {
        const vt = await gw.viewToken(ctx.details.cardId);
        secrets.addLong("view token", vt);
        const d = await client.getCardDetails("1002", ctx.details.cardId, vt);
        detailsRead++;
        secrets.addDetails(d);
        return client.getCardDetails("1002", ctx.details.cardId, vt);
      }],
      ["getCardDetails for someone else's card", () => client.getCardDetails("1001", ctx.details.cardId, ctx.viewToken)],
    ];
    for (const [label, f] of local) {
      const e = await rejection(Promise.resolve().then(f));
      assert.ok(e instanceof MigoError, `${label}: expected a MigoError`);
      errors.push([label, e]);
    }
    for (const [label, options] of [
      ["accessToken with a newline", { accessToken: `${TOKEN}\n` }],
      ["accessToken with a space", { accessToken: `Bearer ${TOKEN}` }],
      ["accessToken too long", { accessToken: TOKEN.repeat(400) }],
      ["accessToken and getAccessToken", { accessToken: TOKEN, getAccessToken: async () => TOKEN }],
      ["token in baseUrl credentials", { accessToken: "x", baseUrl: `https://u:${TOKEN}@api.example.com` }],
      ["token as applicationId", { accessToken: "x", applicationId: `${TOKEN}\n` }],
      ["token given as getAccessToken", { getAccessToken: TOKEN }],
    ]) {
      try {
        new MigoClient({ baseUrl: gw.api, ...options });
        assert.fail(`${label}: expected a config error`);
      } catch (e) {
        assert.ok(e instanceof MigoError, label);
        errors.push([label, e]);
      }
    }
    hay.add("final gateway state", JSON.stringify(await gw.state()));
  } finally {
    restore();
  }

  for (const [where, e] of errors) hay.addError(where, e);
  for (const [where, c] of clients) hay.addClient(where, c);

  // The run did handle the secrets it is checking for.
  const cards = secrets.long.filter((s) => s.name === "card number").length;
  const tokens = secrets.long.filter((s) => s.name === "view token").length;
  const summary = `${errors.length} errors, ${clients.length} clients, ${hay.items.length} texts searched for ${secrets.long.length} long secrets ` +
    `(${cards} card numbers, ${tokens} view tokens) and ${secrets.cvvs.size} CVVs; card details read ${detailsRead} times`;
  t.diagnostic(summary);
  assert.ok(errors.length > 100, summary);
  assert.ok(detailsRead >= 3 && secrets.cvvs.size >= 5 && cards >= 50 && tokens >= 20, summary);
  // The detector finds what it is looking for.
  const probe = new Haystack();
  probe.add("probe", `x${TOKEN}x`);
  probe.add("probe", `cvv ${[...secrets.cvvs][0]}.`);
  assert.equal(probe.leaks(secrets).length, 2, "the leak detector works");

  assert.deepEqual(hay.leaks(secrets), [], "secrets found");
});

// ---- a gateway that echoes secrets back ---------------------------------------

/** Queues a 400 whose body is `body(secretsOfThatCall)` for one operation. */
async function echo(op, ctx, body) {
  await gw.fault({ method: op.method, path: op.path(ctx), status: 400, contentType: "application/json", body });
}

async function echoRun(makeBody) {
  const ctx = await prepare(gw, TOKEN, { readSecrets: true });
  const client = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api, clientId: "acme" });
  const hay = new Haystack();
  const secrets = new Secrets();
  secrets.addLong("access token", TOKEN);
  secrets.addCtx(ctx);
  for (const op of OPS) {
    // What the gateway could echo for this call: the bearer token, and the
    // call's own card number or view token.
    const own = op.params.includes("card") ? ctx.linkPan : op.params.includes("viewToken") ? ctx.viewToken : TOKEN;
    await echo(op, ctx, makeBody(own));
    const e = await rejection(op.call(client, ctx, { maxRetries: 0 }));
    assert.ok(e instanceof MigoError, op.name);
    hay.addError(own === TOKEN ? "other calls" : op.name, e);
  }
  return hay.leaks(secrets);
}

test("an error body echoing secrets in message, errors[].message and extra fields is scrubbed", async () => {
  const leaks = await echoRun((s) =>
    JSON.stringify({
      success: false,
      message: `rejected ${s}`,
      errors: [{ code: "7000", message: `bad value ${s} (Bearer ${TOKEN})`, detail: { value: s, header: `Bearer ${TOKEN}` } }],
    }),
  );
  assert.deepEqual(leaks, []);
});

test("an error body echoing a secret as errors[].code is scrubbed", async () => {
  // A code is copied into `e.code` and the message: it is scrubbed like any other echo.
  const leaks = await echoRun((s) => JSON.stringify({ success: false, errors: [{ code: s, message: "bad value" }] }));
  assert.deepEqual(leaks, []);
});

test("an error body echoing a secret with JSON escapes (as some encoders write '/' or non-ASCII) is scrubbed", async () => {
  // An escaped echo ("\u0074ok_live_…", "4111\/…") is a secret once JSON.parse
  // has read it, so it must be found in its escaped form too.
  // (The last character is escaped: "\\u0035312…" would still contain "5312…".)
  const escape = (s) => `${s.slice(0, -1)}\\u${s.charCodeAt(s.length - 1).toString(16).padStart(4, "0")}`;
  const leaks = await echoRun((s) => `{"success":false,"errors":[{"code":"7000","message":"bad","value":"${escape(s)}"}]}`);
  assert.deepEqual(leaks, []);
});

test("a gateway error naming a full card number the SDK did not send is masked", async () => {
  // No message holds a full card number, even one the request did not carry:
  // here the gateway names the card of the call (which only it knows, e.g.
  // for getCardDetails or activateCard), and the number is masked.
  const ctx = await prepare(gw, TOKEN, { readSecrets: true });
  const client = new MigoClient({ accessToken: TOKEN, baseUrl: gw.api });
  const hay = new Haystack();
  const secrets = new Secrets();
  secrets.addCtx(ctx);
  for (const [name, card] of [["activateCard", "inactive"], ["blockCard", "active"], ["getCardDetails", "details"]]) {
    const op = opByName[name];
    const i = ["inactive", "active", "blocked", "active2", "blocked2", "alias", "statement"].indexOf(card);
    const pan = i >= 0 ? ctx.secrets.pans[1 + i] : ctx.secrets.pans.at(-1);
    await echo(op, ctx, JSON.stringify({ success: false, message: `card ${pan} is not eligible`, errors: [{ code: "7213", message: `card ${pan} is not eligible` }] }));
    const e = await rejection(op.call(client, ctx, { maxRetries: 0 }));
    hay.addError(name, e);
  }
  assert.deepEqual(hay.leaks(secrets), []);
});
