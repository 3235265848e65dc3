#!/usr/bin/env node
// The benchmark driver (`make bench` runs it through bench/run.sh, after the
// builds). It starts the local gateway with bench/ served on the same origin,
// drives headless Chromium through bench/page/, and writes bench/results.json
// (raw numbers) and BENCHMARKS.md (the report). Every comparison runs in the
// same page and the same run, interleaved: the package (JS driver), the
// Rust-driver variant, the plain-JS client and hand-written fetch.
// BENCH_QUICK=1 runs small counts, to check the harness itself (its figures
// mean nothing; written to bench/dist/). BENCH_ONLY=cpu runs only the CPU per
// call with fetch stubbed (the package, the plain client, hand-written fetch;
// see cpuOnly below), for iterating on the driver and the core.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startGateway, TOKEN } from "../tests/js/gateway.mjs";
import { measureSizes, wasmBreakdown } from "./size.mjs";
import { report } from "./report.mjs";
import { summarize, profileSummary, stats } from "./stats.mjs";
import { conformance } from "./conformance.mjs";
import * as plain from "./plain/client.js";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, "..");
const QUICK = process.env.BENCH_QUICK === "1";
const N = QUICK
  ? { perCall: 100, warm: 20, cold: 100, coldWarm: 10, coldGapMs: 4, conc: 100, rounds: 2, startup: 3, stub: 300, stubReps: 2, cpuN: 200, cpuReps: 3, core: 2000, coreReps: 2,
      leak: [100, 300, 1000], leakRef: [100, 300, 600] }
  : { perCall: 4000, warm: 200, cold: 1000, coldWarm: 50, coldGapMs: 4, conc: 1000, rounds: 3, startup: 20, stub: 5000, stubReps: 7, cpuN: 2000, cpuReps: 15, core: 20000, coreReps: 7,
      leak: [100, 1000, 4000, 10000], leakRef: [100, 1000, 3000] };
const VARIANTS = ["sdk", "rust", "plain", "fetch"];
const CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const DEADLINE_MS = 15 * 60 * 1000;
// bench/ on the page's origin, and the release build as /pkg: the plain
// client reads the package's operation list as ../../pkg/testing/operations.js.
const STATICS = ["--static", `/bench=${benchDir}`, "--static", `/pkg=${path.join(benchDir, "pkg-release")}`];

const log = (...a) => console.error("[bench]", ...a);
const t0 = Date.now();
const phaseSeconds = {};
let phaseStart = Date.now();
const phase = (name) => {
  phaseSeconds[name] = Math.round((Date.now() - phaseStart) / 100) / 10;
  phaseStart = Date.now();
};
const watchdog = setTimeout(() => {
  console.error(`[bench] gave up after ${DEADLINE_MS / 60000} minutes`);
  process.exit(1);
}, DEADLINE_MS);
watchdog.unref();

process.env.MIGO_MOCK_BIN ??= path.join(root, "target", "release", "migo-mock");
const ONLY_CPU = process.env.BENCH_ONLY === "cpu";
const builds = ONLY_CPU ? ["pkg-release"] : ["pkg-release", "pkg-rust-release", "pkg-bench", "pkg-rust-bench"];
for (const need of [process.env.MIGO_MOCK_BIN, ...builds.map((d) => path.join(benchDir, d, "web/index.js"))]) {
  if (!existsSync(need)) {
    console.error(`[bench] missing ${need}: run bench/run.sh (make bench), which builds it`);
    process.exit(1);
  }
}

/** results.json: numbers to 4 decimals, arrays of numbers on one line. */
const toJson = (x) =>
  JSON.stringify(x, (k, v) => (typeof v === "number" && !Number.isInteger(v) ? +v.toFixed(4) : v), 1)
    .replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (m, inner) => `[${inner.replace(/\s+/g, "")}]`) + "\n";

const sh = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
};

const R = { quick: QUICK, counts: N, date: new Date().toISOString(), loadAverageAtStart: os.loadavg() };
R.machine = {
  cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
  os: `${os.type()} ${os.release()} ${os.arch()}`, node: process.version,
  rustc: sh("rustc", ["--version"]), wasmBindgen: sh("wasm-bindgen", ["--version"]),
  commit: sh("git", ["rev-parse", "--short", "HEAD"]),
  dirty: !!sh("git", ["status", "--porcelain", "--", "src", "js", "bench", "Cargo.toml", "Cargo.lock"]),
};

if (ONLY_CPU) {
  await cpuOnly();
  process.exit(0);
}

/**
 * BENCH_ONLY=cpu: the stubbed-fetch CPU per call of the package (release
 * build), the plain client and hand-written fetch, interleaved in one page as
 * in the full run; prints each variant's median and its ratio to the plain
 * client, and writes bench/dist/results.cpu.json. BENCH_CASES (comma list of
 * ok, validation, apiError; default ok), BENCH_N (calls per run, 2000),
 * BENCH_REPS (runs per variant after a warm-up run, 21), BENCH_WARM (the
 * warm-up run's calls per variant, BENCH_N; the full run's CPU section
 * comes after section 1's 40,000 calls of each variant). Each run is timed
 * by the wall clock in the page and by the renderer main thread's on-CPU
 * time (/proc/<pid>/task/<pid>/schedstat), which the machine's other load
 * inflates far less. Where bench/pkg-base holds a copy of an earlier
 * bench/pkg-release (and BENCH_BASE is not 0), it runs too, as "base": the
 * change A/B in the same page. BENCH_PROFILE=1 also profiles the same calls in the
 * names build (bench/dist/names, which run.sh then builds) and prints each
 * variant's categories and top functions by self time.
 */
/**
 * The renderer main thread's on-CPU time per call with fetch stubbed: for
 * each case, a checked warm-up run per variant, then `reps` runs of `n`
 * calls each, the variants' order rotating, each run timed by the thread's
 * on-CPU nanoseconds from /proc (time the machine's other load takes from
 * the page does not count, as it does in wall time) and by the page's clock.
 * Ratios to plain are per rep (the runs were back to back), then the median.
 * Used by BENCH_ONLY=cpu and by the full run (the CPU target).
 */
async function onCpuRuns(page, cases, variants, n, reps, warm = n) {
  // The renderer's main thread: its tid is the process id.
  const renderers = () => readdirSync("/proc").filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      return readFileSync(`/proc/${d}/cmdline`, "utf8").includes("--type=renderer");
    } catch {
      return false;
    }
  });
  const cpuNs = () => Object.fromEntries(renderers().map((d) => {
    try {
      return [d, Number(readFileSync(`/proc/${d}/task/${d}/schedstat`, "utf8").split(" ")[0])];
    } catch {
      return [d, 0];
    }
  }));
  const spent = (a, b) => Math.max(0, ...Object.keys(b).map((d) => b[d] - (a[d] ?? 0)));
  const out = {};
  for (const c of cases) {
    const vs = c === "validation" ? variants.filter((v) => v !== "fetch") : variants;
    const wall = {}, cpu = {};
    let bad = 0;
    for (const v of vs) {
      (wall[v] = []), (cpu[v] = []);
      bad += (await page.evaluate((a) => window.bench.stubbedRun(a), { case: c, variant: v, n: warm })).bad;
    }
    for (let rep = 0; rep < reps; rep++) {
      for (const v of vs.map((_, i) => vs[(i + rep) % vs.length])) {
        const a = cpuNs();
        const r = await page.evaluate((x) => window.bench.stubbedRun(x), { case: c, variant: v, n });
        cpu[v].push(spent(a, cpuNs()) / 1000 / n);
        wall[v].push(r.us);
        bad += r.bad;
      }
    }
    const med = (o) => Object.fromEntries(Object.entries(o).map(([v, xs]) => [v, stats(xs).median]));
    const ratio = (o) => Object.fromEntries(vs.map((v) => [v, stats(o[v].map((x, i) => x / o.plain[i])).median]));
    out[c] = { cpuUs: cpu, wallUs: wall, cpuMedianUs: med(cpu), wallMedianUs: med(wall), cpuRatio: ratio(cpu), wallRatio: ratio(wall), bad };
  }
  return out;
}

async function cpuOnly() {
  const cases = (process.env.BENCH_CASES ?? "ok").split(",");
  const n = Number(process.env.BENCH_N ?? 2000), reps = Number(process.env.BENCH_REPS ?? 21);
  const warm = Number(process.env.BENCH_WARM ?? n);
  const base = process.env.BENCH_BASE !== "0" && existsSync(path.join(benchDir, "pkg-base", "web", "index.js"));
  const variants = base ? ["sdk", "base", "plain", "fetch"] : ["sdk", "plain", "fetch"];
  const profile = process.env.BENCH_PROFILE === "1";
  const gateway = await startGateway(STATICS, { lifetime: 600 });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  const out = { date: new Date().toISOString(), commit: R.machine.commit, dirty: R.machine.dirty, n, reps, load: os.loadavg()[0] };
  try {
    const context = await browser.newContext();
    const main = await openPage(context, `${gateway.url}/bench/page/index.html?build=release&rust=0${base ? "&base=1" : ""}`, { ready: () => window.benchReady });
    const measured = await onCpuRuns(main.page, cases, variants, n, reps, warm);
    for (const c of cases) {
      const vs = Object.keys(measured[c].cpuUs);
      out[c] = measured[c];
      const bad = out[c].bad;
      const line = (m, q) => vs.map((v) => `${v} ${m[v].toFixed(1)} (${q[v].toFixed(3)})`).join(", ");
      console.log(`${c}: main-thread CPU µs/call (× plain): ${line(out[c].cpuMedianUs, out[c].cpuRatio)}`);
      console.log(`${" ".repeat(c.length)}  wall µs/call (× plain):            ${line(out[c].wallMedianUs, out[c].wallRatio)}${bad ? `; ${bad} WRONG` : ""}`);
      if (base) {
        const vsBase = (o) => stats(o.sdk.map((x, i) => x / o.base[i])).median;
        out[c].sdkOverBase = { cpu: vsBase(out[c].cpuUs), wall: vsBase(out[c].wallUs) };
        console.log(`${" ".repeat(c.length)}  sdk / base (median of paired runs): CPU ${out[c].sdkOverBase.cpu.toFixed(3)}, wall ${out[c].sdkOverBase.wall.toFixed(3)}`);
      }
      console.log(`${" ".repeat(c.length)}  CPU runs: ${vs.map((v) => `${v} [${out[c].cpuUs[v].map((x) => x.toFixed(1)).join(" ")}]`).join(" ")}`);
    }
    if (main.errors.length) throw new Error(main.errors.join("; "));
    await context.close();
    if (profile) {
      const pctx = await browser.newContext();
      const pp = await openPage(pctx, `${gateway.url}/bench/page/index.html?build=names&rust=0`, { ready: () => window.benchReady });
      out.profiles = {};
      for (const c of cases) {
        for (const v of variants) {
          // The names page has no "base" (an earlier commit's release build).
          if ((c === "validation" && v === "fetch") || v === "base") continue;
          const p = await profiled(pp.cdp, pp.page, (a) => window.bench.stubbed(a), { case: c, n, reps: 1, variants: [v] }, `cpu-${c}-${v}`);
          const calls = 2 * n + 1;
          const per = (ms) => ((ms * 1000) / calls).toFixed(2);
          out.profiles[`${c}-${v}`] = p;
          console.log(`profile ${c} ${v}: busy ${per(p.busyMs)} µs/call; ${Object.entries(p.categoriesMs).filter(([k]) => k !== "(idle)").map(([k, ms]) => `${k} ${per(ms)}`).join(", ")}`);
          console.log(`  top self (µs/call): ${p.topFunctionsMs.map(([k, ms]) => `${k} ${per(ms)}`).join(", ")}`);
          if (v === "sdk") console.log(`  wasm (µs/call): ${p.topWasmFunctionsMs.map(([k, ms]) => `${k} ${per(ms)}`).join(", ")}`);
        }
      }
      await pctx.close();
    }
  } finally {
    await browser.close().catch(() => {});
    await gateway.stop().catch(() => {});
  }
  mkdirSync(path.join(benchDir, "dist"), { recursive: true });
  writeFileSync(path.join(benchDir, "dist", "results.cpu.json"), toJson(out));
}

log("sizes of both drivers (gzip -9, brotli q11; esbuild lists and bundles the JS)");
R.size = await measureSizes(benchDir);
R.size.wasmBreakdown = {};
for (const [k, dir] of [["sdk", "names"], ["rust", "names-rust"]]) {
  const f = path.join(benchDir, "dist", dir, "web/migo_cards_bg.wasm");
  if (existsSync(f)) R.size.wasmBreakdown[k] = wasmBreakdown(f);
}
phase("sizes");

R.loadSamples = [];
setInterval(() => R.loadSamples.push(+os.loadavg()[0].toFixed(2)), 5000).unref();

const gateway = await startGateway(STATICS, { lifetime: 1200 });
log("conformance: the plain client against the package (Node build), case by case");
R.conformance = await conformance(await import(path.join(benchDir, "pkg-release/node/index.mjs")), plain, gateway);
log(`  ${R.conformance.agree} of ${R.conformance.cases} cases agree`);
phase("conformance");
{
  // Node's own fetch to the same gateway: how fast the network path can be here.
  const id = (await api("POST", "/users/1001/cards/virtuals")).cardId;
  const ts = [];
  for (let i = 0; i < (QUICK ? 50 : 500); i++) {
    const t = performance.now();
    await api("PATCH", `/cards/${id}`, { alias: `n${i % 8}` });
    ts.push((performance.now() - t) * 1000);
  }
  R.nodeFetch = stats(ts);
  await gateway.reset();
}
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
R.browser = { version: browser.version(), args: CHROMIUM_ARGS };

async function cleanup() {
  await browser.close().catch(() => {});
  await gateway.stop().catch(() => {});
}
process.on("SIGINT", () => cleanup().then(() => process.exit(130)));

/** A page whose document is cross-origin isolated (COOP + COEP added through
 * the DevTools protocol: the gateway does not send them), so performance.now()
 * has 5 µs resolution instead of 100 µs. Only the document is intercepted. */
async function openPage(context, url, { ready } = {}) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()));
  page.on("response", (r) => r.status() === 404 && !r.url().endsWith("/favicon.ico") && errors.push(`404 ${r.url()}`));
  await cdp.send("Fetch.enable", { patterns: [{ urlPattern: "*/bench/page/*", resourceType: "Document", requestStage: "Response" }] });
  cdp.on("Fetch.requestPaused", async (ev) => {
    const responseHeaders = (ev.responseHeaders ?? []).filter((h) => !/^cross-origin-(opener|embedder)-policy$/i.test(h.name));
    responseHeaders.push({ name: "Cross-Origin-Opener-Policy", value: "same-origin" },
      { name: "Cross-Origin-Embedder-Policy", value: "require-corp" });
    // (Fetch.continueResponse with new headers does not make the page isolated; fulfilling does.)
    try {
      const b = await cdp.send("Fetch.getResponseBody", { requestId: ev.requestId });
      const body = b.base64Encoded ? b.body : Buffer.from(b.body).toString("base64");
      await cdp.send("Fetch.fulfillRequest", { requestId: ev.requestId, responseCode: ev.responseStatusCode, responseHeaders, body });
    } catch (e) {
      errors.push(`interception: ${e.message}`);
    }
  });
  await page.goto(url);
  if (ready) {
    await page.waitForFunction(ready, undefined, { timeout: 60000 }).catch((e) => {
      throw new Error(`${url} did not get ready: ${errors.join("; ") || e.message}`);
    });
  }
  return { page, cdp, errors };
}

async function api(method, p, body) {
  const res = await fetch(`${gateway.api}${p}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** Clears the gateway (its request log grows with every call) and issues a fresh ACTIVE card. */
async function freshCard() {
  await gateway.reset();
  const card = await api("POST", "/users/1001/cards/virtuals");
  await api("POST", `/users/1001/cards/${card.cardId}/activate`);
  return card.cardId;
}

async function heap(cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  await new Promise((r) => setTimeout(r, 50)); // let FinalizationRegistry callbacks run
  await cdp.send("HeapProfiler.collectGarbage");
  const u = await cdp.send("Runtime.getHeapUsage");
  return { jsHeapUsedBytes: u.usedSize, jsHeapTotalBytes: u.totalSize };
}

async function profiled(cdp, page, fn, arg, name) {
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  const t = Date.now();
  await page.evaluate(fn, arg);
  const wallMs = Date.now() - t;
  const { profile } = await cdp.send("Profiler.stop");
  await cdp.send("Profiler.disable");
  const dir = QUICK || ONLY_CPU ? path.join(benchDir, "dist", "profiles") : path.join(benchDir, "profiles");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  return { wallMs, ...profileSummary(profile) };
}

try {
  const origin = gateway.url;

  // Start-up: fresh page loads, each in a new browser context (nothing
  // cached, no compiled module to reuse; the gateway sends no-store).
  log(`start-up: ${N.startup} fresh loads per variant, interleaved`);
  const startup = { sdk: [], rust: [], plain: [] };
  for (let i = 0; i < N.startup; i++) {
    for (const variant of Object.keys(startup)) {
      const context = await browser.newContext();
      const { page, errors } = await openPage(context, `${origin}/bench/page/startup.html?variant=${variant}`, { ready: () => window.startup });
      const r = await page.evaluate(() => window.startup);
      if (r.error || errors.length) throw new Error(`start-up ${variant}: ${r.error ?? errors.join("; ")}`);
      startup[variant].push(r);
      await context.close();
    }
  }
  R.startup = startup;
  phase("start-up");

  // The release builds of both drivers, in one page.
  const context = await browser.newContext();
  const main = await openPage(context, `${origin}/bench/page/index.html?build=release`, { ready: () => window.benchReady });
  R.page = await main.page.evaluate(() => ({ ...window.bench.info(), timerResolutionMs: window.bench.timerResolution() }));
  log("page:", JSON.stringify(R.page));

  log("the two drivers, case by case (bench/conformance.mjs in the page)");
  R.drivers = await main.page.evaluate(() => window.bench.driversAgree());
  log(`  ${R.drivers.agree} of ${R.drivers.cases} cases agree${R.drivers.missingMethods.length ? `; Rust driver lacks ${R.drivers.missingMethods}` : ""}`);
  await gateway.reset();
  phase("drivers agree");

  R.stubbed = {};
  for (const c of ["ok", "validation", "apiError"]) {
    log(`without the network (${c}): fetch stubbed, ${N.stub} calls x ${N.stubReps} runs per variant`);
    R.stubbed[c] = await main.page.evaluate((a) => window.bench.stubbed(a), { case: c, n: N.stub, reps: N.stubReps, variants: VARIANTS });
  }
  phase("stubbed");
  // The same by the renderer's on-CPU time, paired runs (what the CPU target
  // is judged by: wall time above swings with the machine's other load).
  log(`on-CPU time with fetch stubbed: ${N.cpuN} calls x ${N.cpuReps} runs per variant, paired`);
  R.onCpu = await onCpuRuns(main.page, ["ok", "validation", "apiError"], VARIANTS, N.cpuN, N.cpuReps);
  phase("on-CPU");

  log(`per call: ${N.perCall} rounds of one sequential call per variant, the order rotating, after ${N.warm} warm-up rounds`);
  let cardId = await freshCard();
  R.perCall = await main.page.evaluate((a) => window.bench.perCall(a), { cardId, n: N.perCall, warm: N.warm, variants: VARIANTS });
  phase("per call");
  // What the gateway's per-call gap is made of: each call's own CPU when it
  // runs after the renderer idled (caches cold), as it does between two calls to the gateway.
  log(`CPU per call after idle: fetch stubbed, ${N.coldGapMs} ms idle before each call, ${N.cold} rounds of one call per variant`);
  R.cold = await main.page.evaluate((a) => window.bench.cold(a), { n: N.cold, warm: N.coldWarm, gap: N.coldGapMs, variants: VARIANTS });
  phase("cold CPU");

  log(`concurrency: ${N.conc} calls in flight, ${N.rounds} rounds per variant`);
  cardId = await freshCard();
  R.concurrency = await main.page.evaluate((a) => window.bench.concurrent(a), { cardId, n: N.conc, rounds: N.rounds, variants: VARIANTS });
  await context.close();
  phase("concurrency");

  // Profiles, in a page with the bench builds whose wasm keeps its function
  // names (same code; the names only label the profile).
  const pctx = await browser.newContext();
  const pp = await openPage(pctx, `${origin}/bench/page/index.html?build=names`, { ready: () => window.benchReady });
  log("profiles (main thread, 100 µs sampling, named wasm functions)");
  R.profiles = {};
  for (const [c, vs] of [["ok", ["sdk", "rust", "plain", "fetch"]], ["apiError", ["sdk", "rust", "plain"]], ["validation", ["sdk", "rust", "plain"]]]) {
    for (const v of vs) {
      const n = N.stub;
      R.profiles[`stubbed-${c}-${v}`] = await profiled(pp.cdp, pp.page, (a) => window.bench.stubbed(a),
        { case: c, n, reps: 1, variants: [v] }, `stubbed-${c}-${v}`);
      R.profiles[`stubbed-${c}-${v}`].calls = 2 * n + 1; // the check, the warm-up run and the measured one
    }
  }
  await pctx.close();
  phase("profiles");

  // The bench builds (benchCall, benchMemory), in their own page.
  const bctx = await browser.newContext();
  const bp = await openPage(bctx, `${origin}/bench/page/index.html?build=bench`, { ready: () => window.benchReady });
  log(`the core alone: ${N.core} whole calls inside the module x ${N.coreReps} runs per case`);
  R.core = await bp.page.evaluate((a) => window.bench.coreCall(a), { n: N.core, reps: N.coreReps, cases: ["ok", "validation", "apiError"] });
  phase("core");

  log(`memory: ${N.leak.join(" / ")} calls per driver and path (${N.leakRef.join(" / ")} for the references), forced GC before each reading`);
  R.memory = {};
  const ops = await bp.page.evaluate(() => window.bench.leakOps);
  for (const op of ops) {
    cardId = await freshCard();
    const points = [];
    let done = 0;
    for (const target of /^(sdk|rust):/.test(op) ? N.leak : N.leakRef) {
      await bp.page.evaluate((a) => window.bench.leakRun(a), { op, cardId, n: target - done });
      done = target;
      const h = await heap(bp.cdp);
      const m = await bp.page.evaluate((o) => window.bench.memory(o), op);
      points.push({ calls: done, ...h, ...m });
    }
    R.memory[op] = points;
    log(`  ${op}: ${points.map((p) => `${p.calls}: js ${(p.jsHeapUsedBytes / 1024).toFixed(0)} KiB, rust ${p.rustHeapLiveBytes ?? "–"} B, externrefs ${p.externrefsLive ?? "–"}`).join(" | ")}`);
  }
  phase("memory");
  const errors = [...main.errors, ...pp.errors, ...bp.errors];
  if (errors.length) R.pageErrors = errors;
  await bctx.close();
} finally {
  await cleanup();
}

R.runtimeSeconds = Math.round((Date.now() - t0) / 1000);
R.phaseSeconds = phaseSeconds;
if (process.env.BENCH_BUILD_SECONDS) R.buildSeconds = Number(process.env.BENCH_BUILD_SECONDS);
R.loadAverageAtEnd = os.loadavg();
R.summary = summarize(R);
// A quick run never overwrites the figures of a real one.
mkdirSync(path.join(benchDir, "dist"), { recursive: true });
writeFileSync(QUICK ? path.join(benchDir, "dist", "results.quick.json") : path.join(benchDir, "results.json"), toJson(R));
const { markdown, table } = report(R);
if (!QUICK) writeFileSync(path.join(root, "BENCHMARKS.md"), markdown);
else writeFileSync(path.join(benchDir, "dist", "BENCHMARKS.quick.md"), markdown);
console.log(table);
log(`done in ${R.runtimeSeconds} s; wrote ${QUICK ? "bench/dist/results.quick.json and bench/dist/BENCHMARKS.quick.md" : "bench/results.json and BENCHMARKS.md"}`);
