#!/usr/bin/env node
// The benchmark driver (`make bench` runs it through bench/run.sh, after the
// builds). It starts the local gateway with bench/ served on the same origin,
// drives headless Chromium through bench/page/, and writes bench/results.json
// (raw numbers) and BENCHMARKS.md (the report). Every comparison runs in the
// same page and the same run, interleaved. BENCH_QUICK=1 runs small counts,
// to check the harness itself (its figures mean nothing; written to bench/dist/).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startGateway, TOKEN } from "../tests/js/gateway.mjs";
import { measureSizes, wasmBreakdown } from "./size.mjs";
import { report } from "./report.mjs";
import { summarize, profileSummary, stats } from "./stats.mjs";
import { conformance } from "./conformance.mjs";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, "..");
const QUICK = process.env.BENCH_QUICK === "1";
const N = QUICK
  ? { perCall: 200, block: 20, warm: 20, conc: 100, rounds: 2, startup: 3, cpu: 10000, cpuReps: 2, boundary: 1000,
      boundaryReps: 2, leak: [100, 300, 1000], leakRef: [100, 300, 600], profileCalls: 100, stub: 500, stubReps: 2 }
  : { perCall: 2000, block: 50, warm: 200, conc: 1000, rounds: 5, startup: 20, cpu: 100000, cpuReps: 7, boundary: 10000,
      boundaryReps: 7, leak: [100, 1000, 4000, 10000], leakRef: [100, 1000, 3000], profileCalls: 1000,
      stub: 5000, stubReps: 7 };
const CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const DEADLINE_MS = 8 * 60 * 1000;

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
for (const need of [process.env.MIGO_MOCK_BIN, path.join(benchDir, "pkg/web/index.js"), path.join(benchDir, "pkg-release/web/index.js")]) {
  if (!existsSync(need)) {
    console.error(`[bench] missing ${need}: run bench/run.sh (make bench), which builds it`);
    process.exit(1);
  }
}

/** results.json: numbers to 4 decimals (0.1 µs for ms values), arrays of numbers on one line. */
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
  commit: sh("git", ["rev-parse", "--short", "HEAD"]), dirty: !!sh("git", ["status", "--porcelain", "--", "src", "js", "Cargo.toml", "Cargo.lock"]),
};

log("sizes (esbuild bundles, gzip -9, brotli q11)");
R.size = await measureSizes({ pkgDir: path.join(benchDir, "pkg-release"), benchPkgDir: path.join(benchDir, "pkg"), benchDir });
const namedWasm = path.join(benchDir, "dist/names/web/migo_cards_bg.wasm");
if (existsSync(namedWasm)) R.size.wasmBreakdown = wasmBreakdown(namedWasm);
phase("sizes");

R.loadSamples = [];
setInterval(() => R.loadSamples.push(+os.loadavg()[0].toFixed(2)), 5000).unref();

const gateway = await startGateway(["--static", `/bench=${benchDir}`], { lifetime: 900 });
log("conformance: the plain client against the package (Node build), case by case");
R.conformance = await conformance(await import(path.join(benchDir, "pkg-release/node/index.mjs")), gateway);
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
    await page.waitForFunction(ready, undefined, { timeout: 30000 }).catch((e) => {
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
  const dir = QUICK ? path.join(benchDir, "dist", "profiles") : path.join(benchDir, "profiles");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  return { wallMs, ...profileSummary(profile) };
}

try {
  const origin = gateway.url;

  // 3. Start-up: fresh page loads, each in a new browser context (nothing
  // cached, no compiled module to reuse; the gateway sends no-store).
  log(`start-up: ${N.startup} fresh loads per variant, interleaved`);
  const startup = { sdk: [], "sdk-bytes": [], plain: [] };
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

  // 1, 2, 4b: the release package, in one page.
  const context = await browser.newContext();
  const main = await openPage(context, `${origin}/bench/page/index.html?pkg=release`, { ready: () => window.benchReady });
  R.page = await main.page.evaluate(() => ({ ...window.bench.info(), timerResolutionMs: window.bench.timerResolution() }));
  log("page:", JSON.stringify(R.page));

  log(`per call: ${N.perCall} sequential calls per variant, blocks of ${N.block}, interleaved`);
  let cardId = await freshCard();
  R.perCall = await main.page.evaluate((a) => window.bench.perCall(a), {
    cardId, n: N.perCall, block: N.block, warm: N.warm, variants: ["sdk", "fetch", "plain"],
  });

  log(`per call without the network: fetch stubbed, ${N.stub} calls x ${N.stubReps} runs per variant`);
  R.stubbed = await main.page.evaluate((a) => window.bench.stubbed(a), { n: N.stub, reps: N.stubReps, variants: ["sdk", "fetch", "plain"] });

  log(`concurrency: ${N.conc} calls in flight, ${N.rounds} rounds per variant`);
  cardId = await freshCard();
  R.concurrency = await main.page.evaluate((a) => window.bench.concurrent(a), {
    cardId, n: N.conc, rounds: N.rounds, variants: ["sdk", "fetch", "plain"],
  });

  log(`boundary: ${N.boundary} validation-failing calls x ${N.boundaryReps} reps`);
  R.boundary = await main.page.evaluate((a) => window.bench.boundary(a), { n: N.boundary, reps: N.boundaryReps });

  await context.close();
  phase("calls");

  // Profiles, in a page with the bench variant whose wasm keeps its function
  // names (same code; the names only label the profile).
  const names = existsSync(path.join(benchDir, "dist/names/web/index.js"));
  const pctx = await browser.newContext();
  const pp = await openPage(pctx, `${origin}/bench/page/index.html?pkg=${names ? "names" : "bench"}`, { ready: () => window.benchReady });
  log(`profiles (main thread, 100 µs sampling, ${names ? "named" : "unnamed"} wasm functions)`);
  cardId = await freshCard();
  R.profiles = {};
  for (const v of ["sdk", "fetch"]) {
    // A warm-up pass, then the profiled one.
    await pp.page.evaluate((a) => window.bench.perCall(a), { cardId, n: 200, block: 200, warm: 0, variants: [v] });
    R.profiles[`perCall-${v}`] = await profiled(pp.cdp, pp.page, (a) => window.bench.perCall(a),
      { cardId, n: N.profileCalls, block: N.profileCalls, warm: 0, variants: [v] }, `per-call-${v}`);
    R.profiles[`perCall-${v}`].calls = N.profileCalls;
  }
  for (const v of ["sdk", "fetch"]) {
    R.profiles[`stubbed-${v}`] = await profiled(pp.cdp, pp.page, (a) => window.bench.stubbed(a),
      { n: N.stub, reps: 1, variants: [v] }, `stubbed-${v}`);
    R.profiles[`stubbed-${v}`].calls = 2 * N.stub; // the warm-up run and the measured one
  }
  R.profiles["boundary"] = await profiled(pp.cdp, pp.page, (a) => window.bench.boundary(a),
    { n: N.boundary, reps: 1 }, "boundary");
  // Calls made by the SDK side during that profile: every case, the warm-up run and one more.
  R.profiles["boundary"].sdkCalls = 2 * Object.keys(R.boundary).length * N.boundary;
  await pctx.close();
  phase("profiles");

  // 4, 5: the bench variant (bench-only exports), in its own page.
  const bctx = await browser.newContext();
  const bp = await openPage(bctx, `${origin}/bench/page/index.html?pkg=bench`, { ready: () => window.benchReady });
  log(`cpu: ${N.cpu} requests per run, ${N.cpuReps} runs per side`);
  R.cpu = await bp.page.evaluate((a) => window.bench.cpu(a), {
    n: N.cpu, reps: N.cpuReps, endpoints: ["activateCard", "updateCardAlias", "linkCard", "getCardDetails", "createStatement"],
  });

  phase("cpu");
  log(`memory: ${N.leak.join(" / ")} calls per SDK operation (${N.leakRef.join(" / ")} for the references), forced GC before each reading`);
  R.memory = {};
  const ops = await bp.page.evaluate(() => window.bench.leakOps);
  for (const op of ops) {
    cardId = await freshCard();
    const points = [];
    let done = 0;
    for (const target of op.startsWith("sdk") ? N.leak : N.leakRef) {
      await bp.page.evaluate((a) => window.bench.leakRun(a), { op, cardId, n: target - done });
      done = target;
      const h = await heap(bp.cdp);
      const m = await bp.page.evaluate(() => window.bench.memory());
      points.push({ calls: done, ...h, ...m });
    }
    R.memory[op] = points;
    log(`  ${op}: ${points.map((p) => `${p.calls}: js ${(p.jsHeapUsedBytes / 1024).toFixed(0)} KiB, rust ${p.rustHeapLiveBytes} B, externrefs ${p.externrefsLive}`).join(" | ")}`);
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
writeFileSync(QUICK ? path.join(benchDir, "dist", "results.quick.json") : path.join(benchDir, "results.json"), toJson(R));
const { markdown, table } = report(R);
if (!QUICK) writeFileSync(path.join(root, "BENCHMARKS.md"), markdown);
else writeFileSync(path.join(benchDir, "dist", "BENCHMARKS.quick.md"), markdown);
console.log(table);
log(`done in ${R.runtimeSeconds} s; wrote ${QUICK ? "bench/dist/results.quick.json and bench/dist/BENCHMARKS.quick.md" : "bench/results.json and BENCHMARKS.md"}`);
