// Statistics for bench/bench.mjs: medians, p99, ratios, the verdict on each
// target of issue #6, and CPU-profile summaries.

export function stats(xs) {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  const n = s.length;
  if (!n) return { n: 0 };
  const q = (p) => s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { n, median, p25: q(0.25), p75: q(0.75), p99: q(0.99), p90: q(0.9), mean: s.reduce((a, b) => a + b, 0) / n, min: s[0], max: s[n - 1] };
}

const ratio = (a, b) => (a && b ? a / b : undefined);

export function summarize(R) {
  const S = {};
  const pc = R.perCall;
  S.perCall = { bad: pc.bad };
  for (const v of Object.keys(pc.times)) S.perCall[v] = { call: stats(pc.times[v]), block: stats(pc.blocks[v]) };
  const paired = (v) => stats(pc.blocks[v].map((m, i) => m / pc.blocks.fetch[i]));
  S.perCall.ratio = ratio(S.perCall.sdk.call.median, S.perCall.fetch.call.median);
  S.perCall.ratioP99 = ratio(S.perCall.sdk.call.p99, S.perCall.fetch.call.p99);
  S.perCall.pairedBlockRatio = paired("sdk");
  S.perCall.plainRatio = ratio(S.perCall.plain.call.median, S.perCall.fetch.call.median);
  S.perCall.plainPairedBlockRatio = paired("plain");
  S.perCall.overheadUs = (S.perCall.sdk.call.median - S.perCall.fetch.call.median) * 1000;

  if (R.stubbed) {
    S.stubbed = { bad: R.stubbed.bad };
    for (const [v, xs] of Object.entries(R.stubbed.perCallUs)) S.stubbed[v] = stats(xs);
    S.stubbed.overheadUs = S.stubbed.sdk.median - S.stubbed.fetch.median;
    S.stubbed.plainOverheadUs = S.stubbed.plain.median - S.stubbed.fetch.median;
    S.stubbed.ratio = ratio(S.stubbed.sdk.median, S.stubbed.fetch.median);
  }

  S.concurrency = {};
  for (const [v, o] of Object.entries(R.concurrency)) {
    S.concurrency[v] = { wall: stats(o.wallMs), latency: stats(o.latencies), ok: o.ok, failed: o.failed,
      expected: R.counts.conc * R.counts.rounds };
  }
  S.concurrency.ratio = ratio(S.concurrency.sdk.wall.median, S.concurrency.fetch.wall.median);
  S.concurrency.plainRatio = ratio(S.concurrency.plain.wall.median, S.concurrency.fetch.wall.median);

  S.startup = {};
  for (const [v, rs] of Object.entries(R.startup)) {
    S.startup[v] = {};
    for (const k of ["importMs", "initMs", "constructMs", "firstCallMs", "secondCallMs", "wasmFetchMs"]) {
      const xs = rs.map((r) => r[k]).filter((x) => x !== undefined);
      if (xs.length) S.startup[v][k] = stats(xs);
    }
  }

  S.cpu = {};
  for (const [ep, r] of Object.entries(R.cpu)) {
    const wasm = stats(r.wasm), js = stats(r.js);
    S.cpu[ep] = { wasm, js, ratio: ratio(wasm.median, js.median), sameRequest: r.sameRequest,
      checksumsAgree: r.checksumsAgree, rustAllocationsPerRequest: r.rustAllocationsPerRequest };
  }

  S.boundary = {};
  for (const [name, r] of Object.entries(R.boundary)) {
    const sdk = stats(r.sdk), plain = stats(r.plain);
    S.boundary[name] = { sdk, plain, ratio: ratio(sdk.median, plain.median), sameError: r.sameError };
  }

  // Growth from the first reading (after warm-up) to the last, and over the
  // last interval alone (where a leak shows as steady growth per call, while
  // V8's own warm-up — optimised code, feedback vectors — has settled).
  S.memory = {};
  for (const [op, pts] of Object.entries(R.memory)) {
    const a = pts[0], m = pts[pts.length - 2], b = pts[pts.length - 1];
    const d = (x, y, k) => (y[k] ?? 0) - (x[k] ?? 0);
    S.memory[op] = { from: a.calls, mid: m.calls, to: b.calls, jsHeapGrowth: d(a, b, "jsHeapUsedBytes"),
      jsHeapGrowthLast: d(m, b, "jsHeapUsedBytes"), jsHeapGrowthPerCallLast: d(m, b, "jsHeapUsedBytes") / (b.calls - m.calls),
      wasmMemoryGrowth: d(a, b, "wasmMemoryBytes"), rustHeapGrowth: d(a, b, "rustHeapLiveBytes"),
      externrefGrowth: d(a, b, "externrefsLive") };
  }

  const sz = R.size;
  S.size = { sdkGzip: sz.package.total.gzip, sdkBrotli: sz.package.total.brotli, plainGzip: sz.plain.total.gzip,
    plainBrotli: sz.plain.total.brotli, ratioGzip: ratio(sz.package.total.gzip, sz.plain.total.gzip) };

  // Over the last interval, a JS heap that grows by less than 8 bytes per
  // call is noise: one closure or promise kept per call is 50-100+ bytes.
  const JS_LEAK_PER_CALL = 8;
  const sdkOps = Object.keys(S.memory).filter((k) => k.startsWith("sdk"));
  const leaks = sdkOps.filter((k) => {
    const m = S.memory[k];
    return m.rustHeapGrowth > 0 || m.externrefGrowth > 0 || m.wasmMemoryGrowth > 0 || m.jsHeapGrowthPerCallLast > JS_LEAK_PER_CALL;
  });
  S.targets = [
    { id: "per-call", target: "SDK median ≤ 1.05 × fetch median", value: S.perCall.ratio, limit: 1.05,
      met: S.perCall.ratio <= 1.05 },
    { id: "concurrency", target: `all ${R.counts.conc} calls resolve correctly`, value: S.concurrency.sdk.failed,
      met: S.concurrency.sdk.failed === 0 && S.concurrency.sdk.ok === S.concurrency.sdk.expected },
    { id: "start-up", target: "await init() median ≤ 5 ms", value: S.startup.sdk.initMs?.median, limit: 5,
      met: S.startup.sdk.initMs?.median <= 5 },
    { id: "memory", target: "no growth after warm-up", value: leaks, met: leaks.length === 0 },
  ];
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
  if (url.endsWith("/migo_cards.js")) return "wasm-bindgen glue (migo_cards.js)";
  if (url.endsWith("/web/index.js") || url.endsWith("/error.js")) return "package entry and MigoError";
  if (url.includes("/plain/")) return "plain client";
  if (url.includes("/page/")) return "benchmark page";
  if (!url) return "engine built-ins (fetch, promises, JSON, ...)";
  return "other";
}
