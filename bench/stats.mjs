// Statistics for bench/bench.mjs: medians, p99, ratios, the verdict on each
// target for each driver, and CPU-profile summaries.

export function stats(xs) {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  const n = s.length;
  if (!n) return { n: 0 };
  const q = (p) => s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { n, median, p25: q(0.25), p75: q(0.75), p99: q(0.99), p90: q(0.9), mean: s.reduce((a, b) => a + b, 0) / n, min: s[0], max: s[n - 1] };
}

const ratio = (a, b) => (a && b ? a / b : undefined);

/**
 * The 95 % bootstrap interval (percentile method) of median(a) / median(b),
 * where a[i] and b[i] were measured in the same round: rounds are resampled
 * with replacement, each round's pair kept together. Seeded, so regenerating
 * the report from the same results.json gives the same interval.
 */
export function bootstrapRatio(a, b, { resamples = 1000, seed = 9 } = {}) {
  const n = Math.min(a.length, b.length);
  if (!n) return undefined;
  const rand = mulberry32(seed);
  const xa = new Float64Array(n), xb = new Float64Array(n);
  const rs = new Float64Array(resamples);
  const mid = (s) => (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2);
  for (let k = 0; k < resamples; k++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(rand() * n);
      xa[i] = a[j];
      xb[i] = b[j];
    }
    rs[k] = mid(xa.sort()) / mid(xb.sort());
  }
  rs.sort();
  const q = (p) => rs[Math.min(resamples - 1, Math.max(0, Math.ceil(p * resamples) - 1))];
  return { lo: q(0.025), hi: q(0.975), resamples, seed };
}

// mulberry32: Math.random cannot be seeded, and these 7 lines are all the
// resampling needs (its 2^32 period is far beyond 1000 × 4000 draws).
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The drivers compared: the package's JS driver and the Rust-driver variant. */
export const DRIVERS = ["sdk", "rust"];
/** The budget for everything a browser loads, gzip -9, and its stretch goal. */
export const SIZE_BUDGET = 35_000;
export const SIZE_STRETCH = 20_000;

export function summarize(R) {
  const S = {};
  // Per call on the gateway: rounds of one call per variant, so times[v][r]
  // and times.fetch[r] are a pair; the interval resamples whole rounds.
  const pc = R.perCall;
  S.perCall = { bad: pc.bad, rounds: pc.times.fetch.length };
  for (const v of Object.keys(pc.times)) S.perCall[v] = { call: stats(pc.times[v]) };
  for (const v of Object.keys(pc.times)) {
    if (v === "fetch") continue;
    S.perCall[v].ratio = ratio(S.perCall[v].call.median, S.perCall.fetch.call.median);
    S.perCall[v].ci = bootstrapRatio(pc.times[v], pc.times.fetch);
    S.perCall[v].perRound = stats(pc.times[v].map((t, r) => t / pc.times.fetch[r]));
    S.perCall[v].overheadUs = (S.perCall[v].call.median - S.perCall.fetch.call.median) * 1000;
  }

  // CPU per call after idle (fetch stubbed): µs per call, and beyond fetch's.
  if (R.cold) {
    S.cold = { bad: R.cold.bad };
    for (const [v, xs] of Object.entries(R.cold.perCallUs)) S.cold[v] = stats(xs);
    for (const v of Object.keys(R.cold.perCallUs)) S.cold[v].overFetchUs = S.cold[v].median - S.cold.fetch?.median;
  }

  S.stubbed = {};
  for (const [c, r] of Object.entries(R.stubbed)) {
    S.stubbed[c] = { bad: r.bad };
    for (const [v, xs] of Object.entries(r.perCallUs)) S.stubbed[c][v] = stats(xs);
  }

  S.concurrency = {};
  for (const [v, o] of Object.entries(R.concurrency)) {
    S.concurrency[v] = { wall: stats(o.wallMs), latency: stats(o.latencies), ok: o.ok, failed: o.failed,
      expected: R.counts.conc * R.counts.rounds };
  }
  for (const v of Object.keys(R.concurrency)) S.concurrency[v].ratio = ratio(S.concurrency[v].wall.median, S.concurrency.fetch.wall.median);

  S.startup = {};
  for (const [v, rs] of Object.entries(R.startup)) {
    S.startup[v] = {};
    for (const k of ["importMs", "initMs", "readyMs", "constructMs", "firstCallMs", "secondCallMs"]) {
      const xs = rs.map((r) => r[k]).filter((x) => x !== undefined);
      if (xs.length) S.startup[v][k] = stats(xs);
    }
  }

  S.core = {};
  for (const [c, r] of Object.entries(R.core ?? {})) S.core[c] = { ns: stats(r.ns), rustAllocationsPerCall: r.rustAllocationsPerCall };

  // Growth from the first reading (after warm-up) to the last, and over the
  // last interval alone (where a leak shows as steady growth per call, while
  // V8's own warm-up — optimised code, feedback vectors — has settled).
  S.memory = {};
  for (const [op, pts] of Object.entries(R.memory)) {
    const a = pts[0], m = pts[pts.length - 2], b = pts[pts.length - 1];
    const d = (x, y, k) => (y[k] === undefined || x[k] === undefined ? undefined : y[k] - x[k]);
    S.memory[op] = { from: a.calls, mid: m.calls, to: b.calls, jsHeapGrowth: d(a, b, "jsHeapUsedBytes"),
      jsHeapGrowthLast: d(m, b, "jsHeapUsedBytes"), jsHeapGrowthPerCallLast: d(m, b, "jsHeapUsedBytes") / (b.calls - m.calls),
      wasmMemoryGrowth: d(a, b, "wasmMemoryBytes"), rustHeapGrowth: d(a, b, "rustHeapLiveBytes"),
      externrefGrowth: d(a, b, "externrefsLive") };
  }

  const sz = R.size;
  S.size = {};
  for (const v of DRIVERS) S.size[v] = { gzip: sz[v].asLoaded.total.gzip, brotli: sz[v].asLoaded.total.brotli, raw: sz[v].asLoaded.total.raw,
    wasmGzip: sz[v].asLoaded.files.find((f) => f.file === "web/wasm.js")?.gzip, bareWasm: sz[v].bareWasm };
  S.size.plain = { gzip: sz.plain.total.gzip, brotli: sz.plain.total.brotli, raw: sz.plain.total.raw };

  // Over the last interval, a JS heap that grows by less than 8 bytes per
  // call is noise: one closure or promise kept per call is 50-100+ bytes.
  const JS_LEAK_PER_CALL = 8;
  const leaksOf = (v) => Object.keys(S.memory).filter((k) => k.startsWith(`${v}:`)).filter((k) => {
    const m = S.memory[k];
    return m.rustHeapGrowth > 0 || m.externrefGrowth > 0 || m.wasmMemoryGrowth > 0 || m.jsHeapGrowthPerCallLast > JS_LEAK_PER_CALL;
  });

  // The targets, for each driver.
  S.targets = {};
  for (const v of DRIVERS) {
    const st = S.stubbed.ok;
    S.targets[v] = [
      { id: "size", target: `everything a browser loads ≤ ${SIZE_BUDGET / 1000} KB gzip -9 (stretch ${SIZE_STRETCH / 1000} KB)`,
        value: S.size[v].gzip, limit: SIZE_BUDGET, met: S.size[v].gzip <= SIZE_BUDGET },
      // Judged by the renderer's on-CPU time over paired runs when measured
      // (R.onCpu): the median of the per-pair ratios to the plain client.
      R.onCpu?.ok
        ? { id: "cpu", target: "CPU per call, fetch stubbed ≤ the plain-JS client's", onCpu: true,
            value: R.onCpu.ok.cpuMedianUs[v], limit: R.onCpu.ok.cpuMedianUs.plain, ratio: R.onCpu.ok.cpuRatio[v],
            met: R.onCpu.ok.cpuRatio[v] <= 1 }
        : { id: "cpu", target: "CPU per call, fetch stubbed ≤ the plain-JS client's", value: st[v]?.median, limit: st.plain?.median,
            ratio: st[v]?.median / st.plain?.median, met: st[v]?.median <= st.plain?.median },
      // Judged by the point figure; the interval says whether the run could tell.
      { id: "per-call", target: "per call on the local gateway: median ≤ 1.05 × hand-written fetch", value: S.perCall[v]?.ratio,
        limit: 1.05, met: S.perCall[v]?.ratio <= 1.05, ci: S.perCall[v]?.ci,
        withinNoise: S.perCall[v]?.ci ? S.perCall[v].ci.lo <= 1.05 && S.perCall[v].ci.hi > 1.05 : undefined },
      { id: "start-up", target: "`await init()` median ≤ 5 ms", value: S.startup[v]?.initMs?.median, limit: 5,
        met: S.startup[v]?.initMs?.median <= 5 },
      { id: "memory", target: `memory flat over ${R.counts.leak.at(-1)} calls`, value: leaksOf(v), met: leaksOf(v).length === 0 },
      { id: "concurrency", target: `${R.counts.conc} concurrent calls all correct`, value: S.concurrency[v]?.failed,
        met: S.concurrency[v]?.failed === 0 && S.concurrency[v]?.ok === S.concurrency[v]?.expected },
    ];
  }
  return S;
}

/** Self time per category and the top functions of a V8 CPU profile. */
export function profileSummary(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const cats = {}, fns = {};
  let total = 0;
  for (const [id, us] of self) {
    const { functionName: f, url } = byId.get(id).callFrame;
    total += us;
    const cat = category(f, url);
    cats[cat] = (cats[cat] ?? 0) + us;
    const name = (f || "(anonymous)").replace(/::h[0-9a-f]{16}\b/g, "").replace(/\[[0-9a-f]{16}\]/g, "");
    const key = `${name} ${url ? url.replace(/^.*\//, "") : ""}`.trim();
    fns[key] = (fns[key] ?? 0) + us;
  }
  const ms = (us) => +(us / 1000).toFixed(2);
  const idle = cats["(idle)"] ?? 0;
  return {
    totalMs: ms(total),
    busyMs: ms(total - idle),
    categoriesMs: Object.fromEntries(Object.entries(cats).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, ms(v)])),
    topFunctionsMs: Object.entries(fns).filter(([k]) => k !== "(idle)").sort((a, b) => b[1] - a[1]).slice(0, 15)
      .map(([k, v]) => [k, ms(v)]),
    topWasmFunctionsMs: Object.entries(fns).filter(([k]) => k.endsWith(".wasm")).sort((a, b) => b[1] - a[1]).slice(0, 10)
      .map(([k, v]) => [k.replace(/ \S+\.wasm$/, ""), ms(v)]),
  };
}

function category(f, url) {
  if (["(idle)", "(program)", "(garbage collector)", "(root)"].includes(f)) return f;
  if (url.startsWith("wasm://") || url.endsWith(".wasm")) return "wasm code";
  if (url.endsWith("/load/bindings.js") || url.endsWith("/migo_cards.js")) return "glue (wasm-bindgen's bindings: load/bindings.js; the Rust driver's migo_cards.js)";
  if (url.endsWith("/web/index.js") || url.endsWith("/error.js")) return "package entry and MigoError";
  if (url.endsWith("/api.js")) return "JS driver (api.js)";
  if (url.includes("/plain/")) return "plain client";
  if (url.includes("/page/")) return "benchmark page";
  if (!url) return "engine built-ins (fetch, promises, JSON, ...)";
  return "other";
}
