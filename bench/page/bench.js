// The benchmark page: every measurement runs here, in one page, with the SDK
// (the wasm package), the plain-JS client (bench/plain/client.js) and
// hand-written fetch side by side. bench/bench.mjs drives it through
// `window.bench` and does the statistics. Nothing here decides a verdict.
import * as plain from "../plain/client.js";
import { jsPlan, jsPlanOnce } from "../plain/plan-bench.js";

const pkg = { bench: "../pkg", names: "../dist/names" }[new URLSearchParams(location.search).get("pkg")] ?? "../pkg-release";
const sdkMod = await import(`${pkg}/web/index.js`);
const glue = await import(`${pkg}/web/migo_cards.js`);
await sdkMod.default();

const API = `${location.origin}/rest`;
const TOKEN = "migo-test-token";
const sdk = new sdkMod.MigoClient({ accessToken: TOKEN, baseUrl: API });
const pl = new plain.MigoClient({ accessToken: TOKEN, baseUrl: API });
const now = () => performance.now();
const ALIASES = ["Groceries", "Travel", "Rent", "Fuel", "Coffee", "Books", "Gifts", "Online"];

// Twenty lines of fetch: what a developer writes instead of the SDK. Same
// method, path, headers and JSON.parse as the SDK's request.
async function handFetch(method, path, body) {
  const headers = { authorization: `Bearer ${TOKEN}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok || json?.success === false) {
    const e = new Error(json?.errors?.[0]?.message ?? `HTTP ${res.status}`);
    e.status = res.status;
    e.code = json?.errors?.[0]?.code;
    throw e;
  }
  return json?.data;
}

// One operation that always succeeds, however often it is repeated.
const rename = {
  sdk: (card, alias) => sdk.updateCardAlias(card, alias),
  plain: (card, alias) => pl.updateCardAlias(card, alias),
  fetch: (card, alias) => handFetch("PATCH", `/cards/${card}`, { alias }),
};
const renamed = (data, card, alias) => data && data.alias === alias && String(data.cardId) === String(card);

const rotate = (xs, k) => xs.map((_, i) => xs[(i + k) % xs.length]);

/** 1. Sequential calls, interleaved in blocks; every call timed on its own. */
async function perCall({ cardId, n, block, warm, variants }) {
  const times = {}, blocks = {};
  let bad = 0;
  for (const v of variants) (times[v] = []), (blocks[v] = []);
  for (let i = 0; i < warm; i++) {
    for (const v of variants) if (!renamed(await rename[v](cardId, ALIASES[i % 8]), cardId, ALIASES[i % 8])) bad++;
  }
  for (let b = 0; b < n / block; b++) {
    for (const v of rotate(variants, b)) {
      const call = rename[v];
      const t = times[v];
      const start = now();
      for (let i = 0; i < block; i++) {
        const alias = ALIASES[i % 8];
        const t0 = now();
        const data = await call(cardId, alias);
        t.push(now() - t0);
        if (!renamed(data, cardId, alias)) bad++;
      }
      blocks[v].push((now() - start) / block);
    }
  }
  return { times, blocks, bad };
}

/** 2. `n` calls in flight at once, per variant, for `rounds` rounds. */
async function concurrent({ cardId, n, rounds, variants }) {
  const out = {};
  for (const v of variants) out[v] = { wallMs: [], latencies: [], ok: 0, failed: 0 };
  for (let r = 0; r < rounds; r++) {
    for (const v of rotate(variants, r)) {
      const o = out[v];
      const t0 = now();
      const ps = [];
      for (let i = 0; i < n; i++) {
        const alias = ALIASES[i % 8];
        ps.push(rename[v](cardId, alias).then(
          (d) => { o.latencies.push(now() - t0); renamed(d, cardId, alias) ? o.ok++ : o.failed++; },
          () => { o.failed++; },
        ));
      }
      await Promise.all(ps);
      o.wallMs.push(now() - t0);
    }
  }
  return out;
}

/**
 * 1b. The same calls with `fetch` replaced by a stub that answers at once with
 * the gateway's response: no network, so what is left is each variant's own
 * main-thread work per call (arguments, request, Response.text(), decoding,
 * promises and timers). µs per call, per run of `n` calls.
 */
const STUB_BODY = JSON.stringify({ success: true, message: "Card alias updated", data: { cardId: 5000001, userId: "1001",
  status: "ACTIVE", alias: "Groceries", maskedPan: "************1111", balance: "0.0000", createdAt: "2026-01-01T00:00:00Z" } });
async function stubbed({ n, reps, variants }) {
  const real = globalThis.fetch;
  const out = {};
  for (const v of variants) out[v] = [];
  let bad = 0;
  globalThis.fetch = () => Promise.resolve(new Response(STUB_BODY, {
    status: 200, headers: { "content-type": "application/json", "x-request-id": "req-000001" } }));
  try {
    for (let rep = 0; rep <= reps; rep++) {
      for (const v of rotate(variants, rep)) {
        const call = rename[v];
        const t0 = now();
        for (let i = 0; i < n; i++) if (!renamed(await call(5000001, "Groceries"), 5000001, "Groceries")) bad++;
        if (rep > 0) out[v].push(((now() - t0) * 1000) / n); // rep 0 warms up
      }
    }
  } finally {
    globalThis.fetch = real;
  }
  return { perCallUs: out, bad };
}

const errorShape = (e) =>
  JSON.stringify({ instance: e instanceof Error, name: e.name, message: e.message, kind: e.kind, field: e.field,
    attempts: e.attempts, retryable: e.retryable, outcome: e.outcome });

/** 4b. The JS→wasm boundary: calls that fail validation (no network), SDK vs plain JS. */
async function boundary({ n, reps }) {
  const cases = {
    "updateCardAlias(cardId, \"\") (last argument bad)": {
      sdk: () => sdk.updateCardAlias(5000001, ""),
      plain: () => pl.updateCardAlias(5000001, ""),
    },
    "activateCard(\"\", cardId) (first argument bad)": {
      sdk: () => sdk.activateCard("", 5000001),
      plain: () => pl.activateCard("", 5000001),
    },
  };
  // The same first case with stack traces off, on both sides: how much of a
  // rejection is capturing the Error's stack.
  const first = Object.values(cases)[0];
  const noStack = (f) => () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return f();
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
  cases[`${Object.keys(cases)[0].replace(/ \(.*/, "")} (Error.stackTraceLimit = 0)`] = { sdk: noStack(first.sdk), plain: noStack(first.plain) };
  const out = {};
  for (const [name, c] of Object.entries(cases)) {
    const sdkErr = await c.sdk().then(() => null, (e) => e);
    const plainErr = await c.plain().then(() => null, (e) => e);
    out[name] = { sdk: [], plain: [], sameError: errorShape(sdkErr) === errorShape(plainErr),
      sdkError: errorShape(sdkErr), plainError: errorShape(plainErr) };
  }
  // Every run measures every case and side, the order rotating; run 0 warms up.
  const jobs = Object.entries(cases).flatMap(([name, c]) => ["sdk", "plain"].map((v) => [name, v, c[v]]));
  for (let rep = 0; rep < reps + 1; rep++) {
    for (const [name, v, f] of rotate(jobs, rep)) {
      const t0 = now();
      const ps = new Array(n);
      for (let i = 0; i < n; i++) ps[i] = f().then(null, (e) => e);
      const errs = await Promise.all(ps);
      const dt = now() - t0;
      if (!errs.every((e) => e && e.kind === "validation")) throw new Error(`${v}: a call did not fail validation`);
      if (rep > 0) out[name][v].push((dt * 1e6) / n);
    }
  }
  return out;
}

const PLAN_INPUTS = { userId: "1001", cardId: 5000001, alias: "Groceries", card: "4111 1111 1111 1111",
  clientId: "acme", viewToken: "vt_abc/+" };
const wasmPlan = (name, n, v) =>
  glue.benchPlan(name, n, v.userId, v.cardId, v.alias, v.card, v.clientId, v.viewToken);

/** 4. Validation and request building inside the module vs in plain JS, ns per request. */
function cpu({ n, reps, endpoints }) {
  const out = {};
  const v = PLAN_INPUTS;
  for (const ep of endpoints) {
    const wasmOnce = glue.benchPlanOnce(ep, v.userId, v.cardId, v.alias, v.card, v.clientId, v.viewToken);
    const jsOnce = jsPlanOnce(ep, v);
    wasmPlan(ep, 5000, v);
    jsPlan(ep, 5000, v);
    const m0 = glue.benchMemory().rustAllocations;
    wasmPlan(ep, 1000, v);
    const allocs = (glue.benchMemory().rustAllocations - m0) / 1000;
    const r = (out[ep] = { wasm: [], js: [], sameRequest: wasmOnce === jsOnce, request: wasmOnce, jsRequest: jsOnce,
      checksumsAgree: true, rustAllocationsPerRequest: allocs });
    for (let rep = 0; rep < reps; rep++) {
      for (const side of rotate(["wasm", "js"], rep)) {
        const t0 = now();
        const sum = side === "wasm" ? wasmPlan(ep, n, v) : jsPlan(ep, n, v);
        r[side].push(((now() - t0) * 1e6) / n);
        r[`${side}Checksum`] = sum;
      }
      if (r.wasmChecksum !== r.jsChecksum) r.checksumsAgree = false;
    }
  }
  return out;
}

/** 5. Calls for the leak check; the driver forces GC and reads the heaps between runs. */
const leakOps = {
  "sdk: updateCardAlias (ok)": (card, i) => sdk.updateCardAlias(card, ALIASES[i % 8]),
  "sdk: activateCard (API error 7213)": (card) => sdk.activateCard("1001", card).then(() => { throw new Error("expected 7213"); }, (e) => {
    if (e.code !== "7213") throw e;
  }),
  "sdk: updateCardAlias (validation error)": (card) => sdk.updateCardAlias(card, "").then(() => { throw new Error("expected a rejection"); }, (e) => {
    if (e.kind !== "validation") throw e;
  }),
  "plain: updateCardAlias (ok)": (card, i) => pl.updateCardAlias(card, ALIASES[i % 8]),
  "fetch: updateCardAlias (ok)": (card, i) => rename.fetch(card, ALIASES[i % 8]),
};

async function leakRun({ op, cardId, n }) {
  const f = leakOps[op];
  for (let i = 0; i < n; i++) await f(cardId, i);
  return n;
}

const memory = () => (glue.benchMemory ? glue.benchMemory() : { wasmMemoryBytes: glue.default && undefined });

function timerResolution() {
  let min = Infinity;
  for (let i = 0; i < 2000; i++) {
    const a = now();
    let b = now();
    while (b === a) b = now();
    min = Math.min(min, b - a);
  }
  return min;
}

window.bench = {
  perCall, stubbed, concurrent, boundary, cpu, leakRun, memory, timerResolution,
  leakOps: Object.keys(leakOps),
  info: () => ({ pkg, crossOriginIsolated: self.crossOriginIsolated, userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency }),
};
window.benchReady = true;
