// The benchmark page: every measurement runs here, in one page, with both
// drivers of the SDK side by side — the package (its JavaScript driver,
// js/api.js) and the Rust-driver variant (bench/rust-driver/) — the plain-JS
// client (bench/plain/client.js) and hand-written fetch. bench/bench.mjs
// drives it through `window.bench` and does the statistics. Nothing here
// decides a verdict.
//
// ?build=release (default) loads both drivers as built for release (the
// package itself, and the Rust-driver variant shaped like it), ?build=bench
// both with the `bench` cargo feature (benchCall, benchMemory, a counting
// allocator; as files, the .wasm fetched), ?build=names the bench builds
// with their wasm function names kept (for CPU profiles).
import * as plain from "../plain/client.js";
import { conformance } from "../conformance.mjs";

const build = new URLSearchParams(location.search).get("build") ?? "release";
const dirs = {
  release: { sdk: "../pkg-release", rust: "../pkg-rust-release" },
  bench: { sdk: "../pkg-bench", rust: "../pkg-rust-bench" },
  names: { sdk: "../dist/names", rust: "../dist/names-rust" },
}[build];
// ?rust=0: the Rust-driver variant is not loaded (BENCH_ONLY=cpu builds only the package).
const withRust = new URLSearchParams(location.search).get("rust") !== "0";
const sdkMod = await import(`${dirs.sdk}/web/index.js`);
const rustMod = withRust ? await import(`${dirs.rust}/web/index.js`) : undefined;
// ?base=1: also the package as copied to bench/pkg-base (a build of an
// earlier commit), as the variant "base": BENCH_ONLY=cpu measures a change
// against it A/B in the same page.
const baseMod = new URLSearchParams(location.search).get("base") === "1" ? await import("../pkg-base/web/index.js") : undefined;
await sdkMod.default();
await rustMod?.default();
await baseMod?.default();
// The bench-only exports (bench builds only: the release builds have none).
const glue = build === "release" ? {} : { sdk: sdkMod.benchExports(), rust: rustMod?.benchExports() };

const API = `${location.origin}/rest`;
const TOKEN = "migo-test-token";
const PAN = "4111111111111111";
const now = () => performance.now();
const ALIASES = ["Groceries", "Travel", "Rent", "Fuel", "Coffee", "Books", "Gifts", "Online"];
const REPLIES = {
  ok: await (await fetch("../replies/ok.json")).text(),
  apiError: await (await fetch("../replies/api-error.json")).text(),
};

// The clients against the gateway, one per variant.
const sdk = new sdkMod.MigoClient({ accessToken: TOKEN, baseUrl: API });
const rust = rustMod && new rustMod.MigoClient({ accessToken: TOKEN, baseUrl: API });
const pl = new plain.MigoClient({ accessToken: TOKEN, baseUrl: API });

// Twenty lines of fetch: what a developer writes instead of the SDK. Same
// method, path, headers and JSON.parse as the SDK's request.
async function handFetch(f, method, path, body) {
  const headers = { authorization: `Bearer ${TOKEN}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await f(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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
const realFetch = (...a) => fetch(...a);

// One operation that always succeeds, however often it is repeated.
const rename = {
  sdk: (card, alias) => sdk.updateCardAlias(card, alias),
  rust: (card, alias) => rust.updateCardAlias(card, alias),
  plain: (card, alias) => pl.updateCardAlias(card, alias),
  fetch: (card, alias) => handFetch(realFetch, "PATCH", `/cards/${card}`, { alias }),
};
const renamed = (data, card, alias) => data && data.alias === alias && String(data.cardId) === String(card);

const rotate = (xs, k) => xs.map((_, i) => xs[(i + k) % xs.length]);

/**
 * 1. Sequential calls against the gateway, interleaved call by call: each
 * round makes one call of every variant, the order rotating from round to
 * round, so each variant's calls meet the same moments of the machine's load
 * as the others' (blocks of 50 let a load swing land on one variant's block).
 * Every call timed on its own; times[v][r] is round r's call of v.
 */
async function perCall({ cardId, n, warm, variants }) {
  const times = {};
  let bad = 0, k = 0;
  for (const v of variants) times[v] = [];
  for (let r = 0; r < warm + n; r++) {
    for (const v of rotate(variants, r)) {
      // A new alias on every call, so a reply that did not apply this call's change fails the check.
      const alias = ALIASES[k++ % 8];
      const t0 = now();
      const data = await rename[v](cardId, alias);
      const t = now() - t0;
      if (r >= warm) times[v].push(t);
      if (!renamed(data, cardId, alias)) bad++;
    }
  }
  return { times, bad };
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
 * The stubbed `fetch`: answers at once with a new Response holding the
 * gateway's reply for the case, as the network would (status, JSON body,
 * x-request-id). Every variant gets this same function, the SDKs and the
 * plain client through their `fetch` option.
 */
const stubFor = (status, body) => () =>
  Promise.resolve(new Response(body, { status, headers: { "content-type": "application/json", "x-request-id": "req-000001" } }));
const okStub = stubFor(200, REPLIES.ok);
const errorStub = stubFor(409, REPLIES.apiError);
const stubbedClients = (f) => ({
  sdk: new sdkMod.MigoClient({ accessToken: TOKEN, baseUrl: API, fetch: f }),
  rust: rustMod && new rustMod.MigoClient({ accessToken: TOKEN, baseUrl: API, fetch: f }),
  plain: new plain.MigoClient({ accessToken: TOKEN, baseUrl: API, fetch: f }),
  base: baseMod && new baseMod.MigoClient({ accessToken: TOKEN, baseUrl: API, fetch: f }),
});
const okClients = stubbedClients(okStub);
const errorClients = stubbedClients(errorStub);

const rejected = (p) => p.then(() => undefined, (e) => e);
const secretFree = (e) => !e.message.includes(PAN) && !JSON.stringify(e.errors ?? "").includes(PAN) && !JSON.stringify(e.errors ?? "").includes(TOKEN);

/**
 * The cases of the calls without the network: what each variant calls and
 * how its result is checked. `validation` sends nothing; `apiError` is a 409
 * whose `errors` echo the card number and the token (decoded, scrubbed and
 * made a MigoError by the SDKs and the plain client).
 */
const CASES = {
  ok: {
    sdk: () => okClients.sdk.updateCardAlias(5000001, "Groceries"),
    base: () => okClients.base.updateCardAlias(5000001, "Groceries"),
    rust: () => okClients.rust.updateCardAlias(5000001, "Groceries"),
    plain: () => okClients.plain.updateCardAlias(5000001, "Groceries"),
    fetch: () => handFetch(okStub, "PATCH", "/cards/5000001", { alias: "Groceries" }),
    check: (r) => renamed(r, 5000001, "Groceries"),
  },
  validation: {
    sdk: () => rejected(okClients.sdk.updateCardAlias(5000001, "")),
    base: () => rejected(okClients.base.updateCardAlias(5000001, "")),
    rust: () => rejected(okClients.rust.updateCardAlias(5000001, "")),
    plain: () => rejected(okClients.plain.updateCardAlias(5000001, "")),
    check: (e) => e?.kind === "validation" && e.field === "alias",
  },
  apiError: {
    sdk: () => rejected(errorClients.sdk.linkCard("1001", { card: PAN, clientId: "acme" })),
    base: () => rejected(errorClients.base.linkCard("1001", { card: PAN, clientId: "acme" })),
    rust: () => rejected(errorClients.rust.linkCard("1001", { card: PAN, clientId: "acme" })),
    plain: () => rejected(errorClients.plain.linkCard("1001", { card: PAN, clientId: "acme" })),
    fetch: () => rejected(handFetch(errorStub, "POST", "/users/1001/cards?clientId=acme", { card: PAN })),
    check: (e, v) => e?.status === 409 && e.code === "7213" && (v === "fetch" || (e.kind === "api" && secretFree(e))),
  },
};

/**
 * 1b, 5. Sequential calls with `fetch` stubbed: no network, so what is left
 * is each variant's own main-thread work per call. µs per call, per run of
 * `n` calls; run 0 warms up; the order of the variants rotates per run.
 */
async function stubbed({ case: name, n, reps, variants }) {
  const c = CASES[name];
  const out = {};
  let bad = 0;
  const vs = variants.filter((v) => c[v]);
  for (const v of vs) {
    out[v] = [];
    if (!c.check(await c[v](), v)) throw new Error(`${name}: ${v} gave a wrong result`);
  }
  for (let rep = 0; rep <= reps; rep++) {
    for (const v of rotate(vs, rep)) {
      const call = c[v];
      const t0 = now();
      for (let i = 0; i < n; i++) if (!c.check(await call(), v)) bad++;
      if (rep > 0) out[v].push(((now() - t0) * 1000) / n);
    }
  }
  return { perCallUs: out, bad };
}

/** One run of `n` calls of one variant (BENCH_ONLY=cpu times it from outside, by the main thread's CPU time too). */
async function stubbedRun({ case: name, variant, n }) {
  const c = CASES[name];
  const call = c[variant];
  let bad = 0;
  const t0 = now();
  for (let i = 0; i < n; i++) if (!c.check(await call(), variant)) bad++;
  return { us: ((now() - t0) * 1000) / n, bad };
}

/**
 * 1c. The stubbed success case after an idle wait: `gap` ms of setTimeout
 * before each call, as between two calls to the gateway, where the renderer
 * idles for the network and the caches go cold. One call of every variant per
 * round, the order rotating; µs per call, each call timed on its own and
 * checked; `warm` rounds first, not kept.
 */
async function cold({ n, warm, gap, variants }) {
  const c = CASES.ok;
  const vs = variants.filter((v) => c[v]);
  const us = {};
  let bad = 0;
  for (const v of vs) us[v] = [];
  for (let r = 0; r < warm + n; r++) {
    for (const v of rotate(vs, r)) {
      await new Promise((res) => setTimeout(res, gap));
      const t0 = now();
      const result = await c[v]();
      const t = now() - t0;
      if (r >= warm) us[v].push(t * 1000);
      if (!c.check(result, v)) bad++;
    }
  }
  return { perCallUs: us, bad };
}

/** 5b. The same calls inside the module: the core alone, ns per call (bench builds). */
function coreCall({ n, reps, cases }) {
  const out = {};
  for (const name of cases) {
    if (glue.sdk.benchCall(name, 100) === 0xffffffff) throw new Error(`benchCall(${name}) failed`);
    const m0 = JSON.parse(glue.sdk.benchMemory()).rustAllocations;
    glue.sdk.benchCall(name, 1000);
    const allocs = (JSON.parse(glue.sdk.benchMemory()).rustAllocations - m0) / 1000;
    out[name] = { ns: [], rustAllocationsPerCall: allocs };
    for (let r = 0; r < reps; r++) {
      const t0 = now();
      glue.sdk.benchCall(name, n);
      out[name].ns.push(((now() - t0) * 1e6) / n);
    }
  }
  return out;
}

/** 3b. Do the two drivers behave the same? bench/conformance.mjs, in this page. */
async function driversAgree() {
  const admin = async (method, p, body) => {
    const res = await fetch(`/__mock${p}`, { method, headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    if (!res.ok) throw new Error(`admin ${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const gateway = { api: API, reset: () => admin("POST", "/reset"), envelope: (kind) => admin("POST", "/config", { envelope: kind }),
    fault: (spec) => admin("POST", "/faults", spec), clearFaults: () => admin("DELETE", "/faults") };
  const methods = (C) => Object.getOwnPropertyNames(C.prototype).filter((k) => k !== "constructor").sort();
  const missing = methods(sdkMod.MigoClient).filter((m) => !methods(rustMod.MigoClient).includes(m));
  const r = await conformance(sdkMod, rustMod, gateway, { standardFetchOnly: true });
  return { ...r, missingMethods: missing };
}

/** 4. Calls for the leak check; the driver forces GC and reads the heaps between runs. */
const leakOps = {};
for (const v of ["sdk", "rust"]) {
  leakOps[`${v}: updateCardAlias (ok, gateway)`] = { module: v, run: (card, i) => rename[v](card, ALIASES[i % 8]) };
  leakOps[`${v}: linkCard (API error 409, stubbed fetch)`] = { module: v, run: async () => {
    if (!CASES.apiError.check(await CASES.apiError[v]())) throw new Error("expected the 409");
  } };
  leakOps[`${v}: updateCardAlias (validation error)`] = { module: v, run: async () => {
    if (!CASES.validation.check(await CASES.validation[v]())) throw new Error("expected a validation error");
  } };
}
leakOps["plain: updateCardAlias (ok, gateway)"] = { run: (card, i) => rename.plain(card, ALIASES[i % 8]) };
leakOps["fetch: updateCardAlias (ok, gateway)"] = { run: (card, i) => rename.fetch(card, ALIASES[i % 8]) };

async function leakRun({ op, cardId, n }) {
  const { run } = leakOps[op];
  for (let i = 0; i < n; i++) await run(cardId, i);
  return n;
}

/** The module's memory figures for `op`'s driver (bench builds), or none. */
function memory(op) {
  const m = leakOps[op]?.module;
  return m && glue[m]?.benchMemory ? JSON.parse(glue[m].benchMemory()) : {};
}

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
  perCall, concurrent, stubbed, stubbedRun, cold, coreCall, driversAgree, leakRun, memory, timerResolution,
  leakOps: Object.keys(leakOps),
  info: () => ({ build, dirs, crossOriginIsolated: self.crossOriginIsolated, userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency }),
};
window.benchReady = true;
