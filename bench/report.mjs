// BENCHMARKS.md and the console table, from the results of bench/bench.mjs.
// Everything with a number in it is computed here from results.json; the
// prose around it explains the method, not the outcome.
import { DRIVERS, SIZE_BUDGET, SIZE_STRETCH } from "./stats.mjs";

const f1 = (x) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(1));
// Three decimals for the gateway ratios: their intervals are about ±0.01 wide around a 1.05 target.
const f3 = (x) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(3));
const f2 = (x) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(2));
const f0 = (x) => (x === undefined || Number.isNaN(x) ? "–" : Math.round(x).toLocaleString("en-US"));
const ms2us = (x) => (x === undefined ? undefined : x * 1000);
const kb = (b) => (b === undefined ? "–" : `${(b / 1000).toFixed(1)} KB`);
// Exact, where one decimal of a KB hides how close a figure is to its budget.
const bytes = (b) => `${b.toLocaleString("en-US")} B`;
const kib = (b) => (b === undefined ? "–" : `${(b / 1024).toFixed(1)} KiB`);
const signedKib = (b) => (b === undefined ? "–" : `${b >= 0 ? "+" : "−"}${(Math.abs(b) / 1024).toFixed(1)} KiB`);
const interval = (ci) => (ci ? `${f3(ci.lo)}–${f3(ci.hi)}` : "–");
const pct = (r) => (r === undefined ? "–" : `${r >= 1 ? "+" : "−"}${(Math.abs(r - 1) * 100).toFixed(1)} %`);
// `align`: one letter per column, l or r; by default the first column is
// left-aligned and the others (numbers) right-aligned.
const table = (head, rows, align) =>
  [`| ${head.join(" | ")} |`, `|${head.map((h, i) => ((align ? align[i] === "r" : i) ? "---:" : "---")).join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

const NAME = { sdk: "JS driver (the package)", rust: "Rust driver (variant)", plain: "plain JS client", fetch: "hand-written fetch" };
const SHORT = { sdk: "JS driver", rust: "Rust driver", plain: "plain JS", fetch: "fetch" };
const CASE = {
  ok: "success (`updateCardAlias`, 200)",
  validation: "rejected by validation (`updateCardAlias(id, \"\")`)",
  apiError: "API error (`linkCard`, 409 whose `errors` echo the card number and token)",
};

/** A profile's time per call by category, as text. */
function categories(p, calls) {
  const per = (x) => (calls ? `${f1((x * 1000) / calls)} µs` : `${f1(x)} ms`);
  return Object.entries(p.categoriesMs).filter(([k, v]) => k !== "(idle)" && (calls ? (v * 1000) / calls >= 0.1 : v >= 0.1))
    .map(([k, v]) => `${k} ${per(v)}`).join(", ");
}
const busyPerCall = (p) => (p ? (p.busyMs * 1000) / p.calls : undefined);
const catPerCall = (p, k) => (p && p.categoriesMs[k] !== undefined ? (p.categoriesMs[k] * 1000) / p.calls : 0);

function verdict(t) {
  switch (t.id) {
    case "size":
      return t.met
        ? `met: ${kb(t.value)}, ${bytes(t.value)}${t.value <= SIZE_STRETCH ? " (within the stretch goal too)" : ` (stretch ${kb(SIZE_STRETCH)}: over by ${kb(t.value - SIZE_STRETCH)})`}`
        : `**missed** by ${kb(t.value - t.limit)}: ${kb(t.value)}`;
    case "cpu":
      return `${t.met ? "met" : "**missed**"}: ${f1(t.value)} µs against ${f1(t.limit)} µs (${f2(t.ratio)} ×${t.onCpu ? ", on-CPU time, median of paired runs" : ""})`;
    case "per-call":
      return `${t.met ? "met" : "**missed**"}${t.withinNoise ? " (within noise)" : ""}: ${f3(t.value)} ×${t.ci ? ` (95 % interval ${interval(t.ci)})` : ""}`;
    case "start-up":
      return t.met ? `met: ${f2(t.value)} ms` : `**missed** by ${f2(t.value - t.limit)} ms: ${f2(t.value)} ms`;
    case "memory":
      return t.met ? "met: flat on every path" : `**growth** on: ${t.value.join("; ")}`;
    case "concurrency":
      return t.met ? "met: all correct" : `**missed**: ${t.value} failed`;
    default:
      return "";
  }
}

/**
 * The success case's µs per call by contributor: each variant's profile
 * shares (idle left out) scaled to its measured median, so the columns add
 * up to the medians of the table above rather than to profiled times.
 */
function scaledTable(ok, prof) {
  const vs = ["sdk", "rust", "plain", "fetch"].filter((v) => prof[`stubbed-ok-${v}`] && ok[v]);
  if (!vs.length) return "";
  const cats = [...new Set(vs.flatMap((v) => Object.keys(prof[`stubbed-ok-${v}`].categoriesMs)))].filter((k) => k !== "(idle)");
  const est = (v, k) => {
    const p = prof[`stubbed-ok-${v}`];
    const busy = p.busyMs;
    return busy ? ((p.categoriesMs[k] ?? 0) / busy) * ok[v].median : undefined;
  };
  const rows = cats.map((k) => [k, ...vs.map((v) => f1(est(v, k)))]).filter((r) => r.slice(1).some((x) => x !== "0.0"));
  rows.push(["**total (the measured median)**", ...vs.map((v) => `**${f1(ok[v].median)}**`)]);
  return `The success case by contributor, in µs per call: each variant's profile shares scaled to its measured
median above (an estimate: sampling attributes native work imprecisely).

${table(["contributor", ...vs.map((v) => SHORT[v])], rows)}`;
}

export function report(R) {
  const S = R.summary;
  const sz = R.size, pc = S.perCall, cc = S.concurrency, su = S.startup, st = S.stubbed, cold = S.cold ?? {}, prof = R.profiles ?? {};
  const load = R.loadAverageAtStart?.[0], loadMax = Math.max(...(R.loadSamples ?? [load]), R.loadAverageAtEnd?.[0] ?? 0);
  const busyMachine = loadMax > R.machine.cores * 0.75;
  const md = [];

  md.push(`# Benchmarks

What the \`migo-cards\` package costs a page, measured against hand-written \`fetch\` and a
plain-JavaScript client of the same ten endpoints, in the same page and the same run — and the same
for the **Rust-driver variant**: the same sans-IO core driven by a thin async loop in Rust
(wasm-bindgen-futures, gloo-net, gloo-timers; the crate \`bench/rust-driver\`, never published) instead
of the package's JavaScript driver (\`js/api.js\`). Generated by
\`make bench\` on ${R.date.slice(0, 10)}; the raw numbers are in [\`bench/results.json\`](bench/results.json), and the
last section says how it is measured and how to rerun it. The figures are this machine's.`);
  if (R.quick) md.push(`> **BENCH_QUICK=1 run: small counts, to check the harness. These figures mean nothing.**`);
  if (busyMachine) {
    md.push(`> **The machine was busy during this run** (load average up to ${f1(loadMax)} on ${R.machine.cores} cores, from
> other processes). Ratios are still measured A/B in the same page, interleaved, so all variants saw the same
> load; absolute times and tails (p99) are inflated and noisier than on a quiet machine.`);
  }

  // Summary
  const T = S.targets;
  md.push(`## The targets, for both drivers

${table(["target", NAME.sdk, NAME.rust], T.sdk.map((t, i) => [t.target, verdict(t), verdict(T.rust[i])]), "lll")}

${table(["figure", SHORT.sdk, SHORT.rust, "Rust / JS"], [
    ["everything a browser loads, gzip -9", kb(S.size.sdk.gzip), kb(S.size.rust.gzip), f2(S.size.rust.gzip / S.size.sdk.gzip)],
    ["… of which the inlined wasm (web/wasm.js)", kb(S.size.sdk.wasmGzip), kb(S.size.rust.wasmGzip), f2(S.size.rust.wasmGzip / S.size.sdk.wasmGzip)],
    ["… of which JavaScript", kb(S.size.sdk.gzip - S.size.sdk.wasmGzip), kb(S.size.rust.gzip - S.size.rust.wasmGzip), f2((S.size.rust.gzip - S.size.rust.wasmGzip) / (S.size.sdk.gzip - S.size.sdk.wasmGzip))],
    ["the bare .wasm, raw", kb(S.size.sdk.bareWasm?.raw), kb(S.size.rust.bareWasm?.raw), f2(S.size.rust.bareWasm?.raw / S.size.sdk.bareWasm?.raw)],
    ...Object.keys(CASE).map((c) => [`CPU per call, fetch stubbed: ${CASE[c]}`, `${f1(st[c].sdk?.median)} µs`, `${f1(st[c].rust?.median)} µs`, f2(st[c].rust?.median / st[c].sdk?.median)]),
    [`CPU per call after ${R.counts.coldGapMs} ms idle, fetch stubbed: success`, `${f0(cold.sdk?.median)} µs`, `${f0(cold.rust?.median)} µs`, f2(cold.rust?.median / cold.sdk?.median)],
    ["per call on the local gateway, median", `${f0(ms2us(pc.sdk.call.median))} µs (${f3(pc.sdk.ratio)} × fetch, ${interval(pc.sdk.ci)})`, `${f0(ms2us(pc.rust.call.median))} µs (${f3(pc.rust.ratio)} × fetch, ${interval(pc.rust.ci)})`, f2(pc.rust.call.median / pc.sdk.call.median)],
    ["`await init()`, median", `${f2(su.sdk.initMs?.median)} ms`, `${f2(su.rust.initMs?.median)} ms`, f2(su.rust.initMs?.median / su.sdk.initMs?.median)],
    [`${R.counts.conc} in flight, wall time median`, `${f0(cc.sdk.wall.median)} ms`, `${f0(cc.rust.wall.median)} ms`, f2(cc.rust.wall.median / cc.sdk.wall.median)],
  ])}

The baselines in the same run: the plain JS client is ${kb(S.size.plain.gzip)} gzip bundled and minified, and costs
${f1(st.ok.plain?.median)} µs of CPU per successful call with fetch stubbed; hand-written fetch ${f1(st.ok.fetch?.median)} µs (after ${R.counts.coldGapMs} ms idle:
${f0(cold.plain?.median)} and ${f0(cold.fetch?.median)} µs). The two drivers
agree in ${R.drivers ? `${R.drivers.agree} of ${R.drivers.cases}` : "–"} conformance cases (section 7), so they are compared doing the same work.`);

  md.push(`## The run

${table(["", ""], [
    ["date", R.date],
    ["command", "`make bench` (bench/run.sh → node bench/bench.mjs)"],
    ["machine", `${R.machine.cpu}, ${R.machine.cores} cores, ${R.machine.memoryGiB} GiB; ${R.machine.os}`],
    ["load average (1 min)", `${f2(load)} at the start, ${f2(R.loadAverageAtEnd?.[0])} at the end, ${f2(loadMax)} at most`],
    ["browser", `Chromium ${R.browser.version} (Debian's /usr/bin/chromium), headless, through playwright-core`],
    ["page", `${R.page.crossOriginIsolated ? "cross-origin isolated" : "**not** cross-origin isolated"}; performance.now() resolution ${f0(ms2us(R.page.timerResolutionMs))} µs`],
    ["toolchain", `${R.machine.rustc}; ${R.machine.wasmBindgen}; Node ${R.machine.node}`],
    ["source", `commit ${R.machine.commit}${R.machine.dirty ? " plus uncommitted changes" : ""}`],
    ["gateway", `migo-mock built in release, on 127.0.0.1, same origin as the page${R.nodeFetch ? `; Node's fetch to it: ${f0(R.nodeFetch.median)} µs per call (median)` : ""}`],
    ["run time", `${R.runtimeSeconds} s for the measurements${R.buildSeconds !== undefined ? `, after ${R.buildSeconds} s of setup and builds` : ""}`],
  ], "ll")}`);

  // 1. CPU without the network
  const stRow = (c, v) => [NAME[v], f1(st[c][v].median), f1(st[c][v].min), f1(st[c][v].max),
    v === "plain" ? "1" : f2(st[c][v].median / st[c].plain.median), st[c].fetch ? (v === "fetch" ? "0" : f1(st[c][v].median - st[c].fetch.median)) : "–"];
  const core = S.core ?? {};
  md.push(`## 1. CPU per call without the network

The page gives every variant the same stub as \`fetch\` (the SDKs and the plain client through their
\`fetch\` option, hand-written fetch by calling it): it answers at once with a new \`Response\` holding the
gateway's reply (bench/replies/). What is left is each variant's own main-thread CPU per call:
reading the arguments, the request, \`Response.text()\`, decoding, promises, the timeout timer.
${f0(R.counts.stub)} sequential calls per run, ${R.counts.stubReps} runs per variant after a warm-up run, the order
rotating; µs per call (median, min and max over the runs). Every result was checked.

${Object.keys(CASE).map((c) => `**${CASE[c]}**

${table(["variant", "median", "min", "max", "× plain JS", "more than fetch"], ["sdk", "rust", "plain", "fetch"].filter((v) => st[c][v]).map((v) => stRow(c, v)))}`).join("\n\n")}

${R.onCpu ? `**By on-CPU time.** The same calls timed by the renderer main thread's on-CPU time (from /proc: time the
machine's other load takes from the page does not count, as it does in the wall times above), ${f0(R.counts.cpuN)}
calls per run, ${R.counts.cpuReps} runs per variant after a checked warm-up run, the order rotating; µs per call (median over
the runs) and the median over the runs of each run's ratio to the plain client's run next to it. The CPU
target above is judged by this.

${table(["case", ...["sdk", "rust", "plain", "fetch"].map((v) => NAME[v])], Object.keys(CASE).filter((c) => R.onCpu[c]).map((c) => [CASE[c], ...["sdk", "rust", "plain", "fetch"].map((v) => (R.onCpu[c].cpuMedianUs[v] === undefined ? "–" : `${f1(R.onCpu[c].cpuMedianUs[v])} µs (${f2(R.onCpu[c].cpuRatio[v])} ×)`))]))}

` : ""}**The core alone.** \`benchCall\` (bench/core-bench, bench builds only) runs ${f0(R.counts.core)} whole calls of each
case inside the module — start, the request as a driver reads it, the reply, the value or the error's
JSON, finish — with no JavaScript and no boundary: what the Rust core itself costs per call.

${table(["case", "ns per call (median)", "min", "Rust heap allocations per call"], Object.entries(core).map(([c, x]) => [CASE[c], f0(x.ns.median), f0(x.ns.min), f1(x.rustAllocationsPerCall)]))}`);

  const contributors = (c) => {
    const rows = [];
    for (const v of ["sdk", "rust", "plain", "fetch"]) {
      const p = prof[`stubbed-${c}-${v}`];
      if (p) rows.push([NAME[v], `${f1(busyPerCall(p))} µs`, categories(p, p.calls)]);
    }
    return rows;
  };
  if (prof["stubbed-ok-sdk"]) {
    md.push(`Where each variant's time goes (CPU profiles of the same calls, 100 µs sampling, in a page loading the
bench builds with their wasm function names kept — the same code plus the counting allocator). The
profiles are taken one variant after another, not interleaved, and profiling slows everything: read
the shares within a row, not the totals across rows. \`bench/profiles/*.cpuprofile\` open in DevTools.

${Object.keys(CASE).map((c) => `${CASE[c]}:

${table(["variant", "busy per call", "by category, per call"], contributors(c), "lrl")}`).join("\n\n")}

${scaledTable(st.ok, prof)}

Top functions by self time, success case (ms over ${prof["stubbed-ok-sdk"].calls} calls) — JS driver: ${prof["stubbed-ok-sdk"].topFunctionsMs.slice(0, 10).map(([k, v]) => `\`${k}\` ${v}`).join(", ")}.
Rust driver: ${prof["stubbed-ok-rust"]?.topFunctionsMs.slice(0, 10).map(([k, v]) => `\`${k}\` ${v}`).join(", ")}.
Inside the Rust driver's module: ${prof["stubbed-ok-rust"]?.topWasmFunctionsMs.slice(0, 10).map(([k, v]) => `\`${k}\` ${v}`).join(", ")}.`);
  }

  // 2. Error path
  md.push(`## 2. The error path

The two failing cases of section 1 as the cost of a failed call (scrubbing is added here, so this
tracks it): a call refused by validation sends nothing; the API error is decoded, its message and
\`errors\` scrubbed of the card number and the token (and any card number masked), and made a
\`MigoError\`.

${table(["case", ...["sdk", "rust", "plain"].map((v) => SHORT[v]), "core alone", "JS driver × plain", "Rust driver × plain"],
    ["validation", "apiError"].map((c) => [CASE[c], ...["sdk", "rust", "plain"].map((v) => `${f1(st[c][v]?.median)} µs`),
      core[c] ? `${f2(core[c].ns.median / 1000)} µs` : "–", f2(st[c].sdk?.median / st[c].plain?.median), f2(st[c].rust?.median / st[c].plain?.median)]))}`);

  // 3. Per call on the gateway
  const pcRow = (v) => [NAME[v], f0(ms2us(pc[v].call.median)), f0(ms2us(pc[v].call.p90)), f0(ms2us(pc[v].call.p99)),
    f0(ms2us(pc[v].call.mean)), v === "fetch" ? "1" : f3(pc[v].ratio), v === "fetch" ? "–" : interval(pc[v].ci), v === "fetch" ? "1" : f3(pc[v].perRound.median)];
  const target = (v) => `${f3(pc[v].ratio)} × (95 % interval ${interval(pc[v].ci)}; ${f0(pc[v].overheadUs)} µs more per call)`;
  // Calls after idle are timed one by one: whole µs, as the page's clock ticks in 5 µs.
  const coldRow = (v) => [NAME[v], f0(cold[v].median), f0(cold[v].p25), f0(cold[v].p75), v === "fetch" ? "0" : f0(cold[v].overFetchUs),
    f1(st.ok[v]?.median), v === "fetch" ? "0" : f1(st.ok[v]?.median - st.ok.fetch?.median)];
  // What fetch's gateway call would become with only a variant's extra CPU after idle added.
  const predicted = (v) => 1 + cold[v].overFetchUs / ms2us(pc.fetch.call.median);
  md.push(`## 3. Per call on the local gateway

${f0(R.counts.perCall)} rounds after ${R.counts.warm} warm-up rounds; each round makes one sequential \`updateCardAlias(cardId, alias)\`
call of every variant (\`PATCH /cards/{cardId}\` with \`{"alias"}\`: it always succeeds, however often it is
repeated; the alias changes with every call), the order of the variants rotating from round to round, so
all variants meet the machine's load alike. **fetch** is the hand-written alternative: the same method,
URL, headers and body, \`res.text()\` and \`JSON.parse\`, the envelope's \`data\` returned. Every result was
checked (${pc.bad} wrong). Times in µs. The median ratio is the variant's median over fetch's (the target's
figure); its 95 % interval comes from resampling the rounds with replacement (${f0(pc.sdk.ci?.resamples)} resamples, each
round's calls kept together as they are paired; seeded, so the same results give the same interval); the
per-round ratio is the median over rounds of (the variant's call / fetch's call in the same round).

${table(["variant", "median", "p90", "p99", "mean", "median ratio", "95 % interval", "per-round ratio"], ["sdk", "rust", "plain", "fetch"].map(pcRow))}

Target ≤ 1.05 × fetch:
- JS driver ${target("sdk")};
- Rust driver ${target("rust")};
- the plain JS client ${target("plain")}.

Where the interval holds 1.05, this run cannot tell whether the target is met: the verdict above, taken
on the median ratio, then says "within noise".${cold.sdk ? `

### CPU per call after idle, fetch stubbed

Between two calls to the gateway the renderer's main thread mostly idles, waiting for the network (a call
of hand-written fetch takes ${f1(pc.fetch.call.median)} ms here), and its caches go cold: the next call's JavaScript and wasm
run slower than back to back (section 1). This measures that work alone: the success case of section 1
(the same stub, clients and call) with a ${R.counts.coldGapMs} ms \`setTimeout\` before each call; ${f0(R.counts.cold)} rounds after
${R.counts.coldWarm} warm-up rounds, one call of every variant per round, the order rotating, each call timed on its own
and checked (${cold.bad} wrong). µs per call; back to back is section 1's median, for comparison.

${table(["variant", "after idle, median", "p25", "p75", "more than fetch", "back to back", "more than fetch"], ["sdk", "rust", "plain", "fetch"].filter((v) => cold[v]).map(coldRow))}

The two "more than fetch" columns are each variant's own work per call with cold and with warm caches;
the cold one is what the gateway ratios above are made of. Added to fetch's gateway call alone, it would
give ${["sdk", "rust", "plain"].filter((v) => cold[v]).map((v) => `${f3(predicted(v))} × for the ${SHORT[v]}${v === "plain" ? " client" : ""}`).join(", ")}
(measured above: ${["sdk", "rust", "plain"].filter((v) => cold[v]).map((v) => f3(pc[v].ratio)).join(", ")}). Where the measured ratio is higher, the rest is overhead a ${R.counts.coldGapMs} ms
idle does not reproduce (on a busy machine other processes may run during the longer wait for the
network and evict more, and the call's own work waits for a core).` : ""}`);
  // 4. Start-up
  const suRow = (v) => [NAME[v], f1(su[v].importMs?.median), f2(su[v].initMs?.median), f2(su[v].initMs?.p99), f2(su[v].initMs?.min),
    f1(su[v].readyMs?.median), f2(su[v].firstCallMs?.median), f2(su[v].secondCallMs?.median)];
  md.push(`## 4. Start-up

${R.counts.startup} fresh page loads per variant, each in a new browser context (empty caches; the gateway sends
\`Cache-Control: no-store\`), the variants interleaved. Both drivers ship their wasm inlined in
\`web/wasm.js\` (deflate-raw, base64) and start inflating and compiling it when \`web/index.js\` is
imported; **init()** is \`await init()\` exactly as documented, after the import: what is left of
compiling, and instantiating. **import → ready** is both. The first call (one rejected by
validation, no network) shows what lazy compilation moves out of \`init()\`. Times in ms.

${table(["variant", "import()", "init() median", "init() p99", "init() min", "import → ready", "first call", "second call"],
    ["sdk", "rust", "plain"].map(suRow))}`);

  // 5. Memory and concurrency
  const memRows = [];
  for (const [op, pts] of Object.entries(R.memory)) {
    for (const [i, p] of pts.entries()) {
      memRows.push([i ? "" : op, f0(p.calls), kib(p.jsHeapUsedBytes), p.wasmMemoryBytes === undefined ? "–" : kib(p.wasmMemoryBytes),
        p.rustHeapLiveBytes === undefined ? "–" : f0(p.rustHeapLiveBytes), p.externrefsLive === undefined ? "–" : f0(p.externrefsLive)]);
    }
  }
  const leakOps = Object.entries(S.memory);
  const ccRow = (v) => [NAME[v], f1(cc[v].wall.median), f1(cc[v].wall.max), f1(cc[v].latency.median), f1(cc[v].latency.p99),
    `${cc[v].ok} / ${cc[v].expected}`, v === "fetch" ? "1" : f2(cc[v].ratio)];
  md.push(`## 5. Memory and concurrency

The bench builds of both drivers, one page. For each driver and path: a fresh card, then ${R.counts.leak.join(", ")}
calls in total (${R.counts.leakRef.join(", ")} for the plain-JS and fetch references); before each reading the JS
heap is collected twice through the DevTools protocol and read with \`Runtime.getHeapUsage\`. From the
module (\`benchMemory\`): the wasm memory's byte length, the live Rust heap (bytes, counted by a wrapper
around the release build's allocator, rlsf's TLSF; for the JS driver without its skin's two I/O buffers, the
scratch buffer strings come in through and the last string handed out, whose sizes follow the strings,
not the number of calls) and, for the Rust driver, the JS values Rust holds in
wasm-bindgen's externref table (the JS driver's module holds none). The success path goes to the gateway; the error paths use the stubbed fetch of section 1.

${table(["operation", "calls", "JS heap used", "wasm memory", "Rust heap live (B)", "externrefs live"], memRows)}

${table(["operation", "JS heap, first → last reading", "per call, last interval", "wasm memory", "Rust heap", "externrefs"],
    leakOps.map(([op, m]) => [op, `${signedKib(m.jsHeapGrowth)} (${f0(m.from)} → ${f0(m.to)})`, `${f1(m.jsHeapGrowthPerCallLast)} B`,
      m.wasmMemoryGrowth === undefined ? "–" : f0(m.wasmMemoryGrowth), m.rustHeapGrowth === undefined ? "–" : f0(m.rustHeapGrowth),
      m.externrefGrowth === undefined ? "–" : f0(m.externrefGrowth)]))}

A leak is growth of the Rust heap, the wasm memory or the externref table at all, or a JS heap growing
by more than 8 B per call over the last interval (a closure or a promise kept per call is 50–100 B or
more). The first interval includes V8's own warm-up, which the plain-JS and fetch lines show as well.

**Concurrency**: ${R.counts.conc} \`updateCardAlias\` calls started at once, awaited together; ${R.counts.rounds} rounds per
variant, the order rotating. Wall time of a round and, within rounds, the time at which each call
resolved (ms). Chromium opens at most 6 connections to one HTTP/1.1 origin, so most wait in its queue.

${table(["variant", "wall median", "wall max", "resolved at, median", "resolved at, p99", "correct", "wall ratio"], ["sdk", "rust", "plain", "fetch"].map(ccRow))}`);

  // 6. Size
  const szRows = (m, name) => m.files.map((r, i) => [i ? "" : name, `\`${r.file}\``, f0(r.raw), f0(r.gzip), f0(r.brotli)])
    .concat([["", "**total**", `**${f0(m.total.raw)}**`, `**${f0(m.total.gzip)}**`, `**${f0(m.total.brotli)}**`]]);
  md.push(`## 6. Size

Bytes a browser downloads, each file compressed on its own as a server would (gzip -9, brotli quality 11):
every file the browser build's \`web/index.js\` loads (found by esbuild's metafile): \`web/index.js\` itself
(all the JavaScript, one minified module) and \`web/wasm.js\` (the module, deflate-raw and base64). The
Rust-driver variant is built the same way (bench/build.mjs, the browser half of
scripts/build-pkg-js.mjs). Budget: ${kb(SIZE_BUDGET)} gzip, stretch ${kb(SIZE_STRETCH)}.

${table(["build", "file", "raw", "gzip", "brotli"], [
    ...szRows(sz.sdk.asLoaded, NAME.sdk), ...szRows(sz.rust.asLoaded, NAME.rust),
    ...szRows(sz.plain, "plain JS client, bundled")], "llrrr")}

The bare modules inside: ${DRIVERS.map((v) => `${SHORT[v]} ${f0(sz[v].bareWasm?.raw)} B raw, ${f0(sz[v].bareWasm?.gzip)} B gzip -9`).join("; ")}.`);
  for (const v of DRIVERS) {
    const wb = sz.wasmBreakdown?.[v];
    if (!wb) continue;
    const codeTotal = wb.codeByGroup.reduce((a, [, x]) => a + x, 0);
    md.push(`Where the ${SHORT[v]}'s module bytes go (its bench build with the name section kept: the same code plus
${f0(wb.codeByGroup.find(([k]) => k === "bench exports")?.[1] ?? 0)} B of bench exports and the counting allocator): code ${f0(wb.sections.code)} B in ${wb.functions} functions,
data ${f0(wb.sections.data ?? 0)} B, imports ${f0(wb.sections.import ?? 0)} B, exports ${f0(wb.sections.export ?? 0)} B. Code by crate or module (raw bytes):

${table(["crate / module", "code bytes", "share"], wb.codeByGroup.slice(0, 16).map(([k, x]) => [`\`${k}\``, f0(x), `${f1((x / codeTotal) * 100)} %`]))}

Largest functions: ${wb.largestFunctions.slice(0, 10).map(([k, x]) => `\`${k}\` ${f0(x)}`).join(", ")}.`);
  }

  // 7. Conformance
  const list = (d) => (d.length ? `\n\nDisagreements:\n\n${d.map((x) => `- ${x.case}: ${JSON.stringify(x.a)} / ${JSON.stringify(x.b)}`).join("\n")}` : "");
  md.push(`## 7. Are the comparisons fair?

bench/conformance.mjs runs the same calls through two implementations and compares what each resolves
to or rejects with (every \`MigoError\` field, the cause, the \`onRequest\` events): every argument of every
method with hostile values, client options, \`activationUrl\`, \`isValidCardNumber\`, real calls against the
gateway in both envelope readings with injected faults, and calls through an injected \`fetch\`
(redirects, broken fetches, aborts with reasons, timeouts, token providers that hang or fail,
\`Retry-After\` dates in all three forms, a state conflict after a lost answer).

- **The plain JS client against the package** (Node build; also in \`make test\`, tests/js/plain-client.test.mjs,
  which also checks the plain client's endpoint table against the core's): **${R.conformance.agree} of ${R.conformance.cases} cases agree**.${list(R.conformance.disagreements)}
- **The Rust driver against the JS driver** (both web builds, in the benchmark page, leaving out the cases
  whose fake fetch answers with a look-alike of a \`Response\`, which the Rust driver refuses as not a
  \`Response\`): **${R.drivers?.agree} of ${R.drivers?.cases} cases agree**${R.drivers?.missingMethods?.length ? `; methods missing: ${R.drivers.missingMethods.join(", ")}` : ""}.${list(R.drivers?.disagreements ?? [])}`);

  md.push(ANALYSIS(R, S));
  md.push(METHOD);
  if (R.pageErrors?.length) md.push(`## Page errors during the run\n\n${R.pageErrors.map((e) => `- ${e}`).join("\n")}`);

  const row = (cells) => cells.map((c, i) => String(c).padEnd([46, 26, 26, 0][i])).join("").trimEnd();
  const consoleTable = [
    `migo-cards benchmarks — Chromium ${R.browser.version}, ${R.machine.cores} cores, load ${f2(load)}→${f2(R.loadAverageAtEnd?.[0])}${R.quick ? "  (QUICK: figures mean nothing)" : ""}`,
    "",
    row(["", SHORT.sdk, SHORT.rust, "baseline"]),
    row([`size, gzip -9 (budget ${kb(SIZE_BUDGET)})`, kb(S.size.sdk.gzip), kb(S.size.rust.gzip), `plain ${kb(S.size.plain.gzip)}`]),
    ...Object.keys(CASE).map((c) => row([`CPU per call stubbed, ${c} (µs)`, f1(st[c].sdk?.median), f1(st[c].rust?.median), `plain ${f1(st[c].plain?.median)}, fetch ${f1(st[c].fetch?.median)}`])),
    row([`CPU after ${R.counts.coldGapMs} ms idle, stubbed, ok (µs)`, f0(cold.sdk?.median), f0(cold.rust?.median), `plain ${f0(cold.plain?.median)}, fetch ${f0(cold.fetch?.median)}`]),
    row(["per call on the gateway (× fetch)", `${f3(pc.sdk.ratio)} [${interval(pc.sdk.ci)}]`, `${f3(pc.rust.ratio)} [${interval(pc.rust.ci)}]`, `plain ${f3(pc.plain.ratio)} [${interval(pc.plain.ci)}]`]),
    row(["await init() median (ms)", f2(su.sdk.initMs?.median), f2(su.rust.initMs?.median), "target 5"]),
    row([`${R.counts.conc} in flight correct`, `${cc.sdk.ok}/${cc.sdk.expected}`, `${cc.rust.ok}/${cc.rust.expected}`, ""]),
    row(["memory flat", T.sdk.find((t) => t.id === "memory").met ? "yes" : "NO", T.rust.find((t) => t.id === "memory").met ? "yes" : "NO", ""]),
    row(["conformance", "", `${R.drivers?.agree}/${R.drivers?.cases} vs JS driver`, `plain ${R.conformance.agree}/${R.conformance.cases}`]),
  ].join("\n");

  return { markdown: md.join("\n\n") + "\n", table: consoleTable };
}

function ANALYSIS(R, S) {
  const st = S.stubbed, pc = S.perCall, su = S.startup, cold = S.cold ?? {}, prof = R.profiles ?? {};
  const out = ["## Analysis"];
  const better = (a, b, lower = true) => ((lower ? a < b : a > b) ? "JS driver" : "Rust driver");

  // Where the stubbed microseconds go, per driver: the core alone, the engine's share (what bare fetch costs) and the rest.
  const split = (v) => {
    const total = st.ok[v]?.median;
    const coreUs = S.core?.ok ? S.core.ok.ns.median / 1000 : undefined;
    const engine = st.ok.fetch?.median;
    return { total, coreUs, engine, rest: total - (coreUs ?? 0) - engine };
  };
  const js = split("sdk"), rs = split("rust");
  const p = (v) => prof[`stubbed-ok-${v}`];
  const share = (v, k) => f1(catPerCall(p(v), k));
  out.push(`**CPU per call.** With fetch stubbed, a successful call costs the JS driver ${f1(js.total)} µs and the Rust
driver ${f1(rs.total)} µs, against ${f1(st.ok.plain?.median)} µs for the plain JS client and ${f1(js.engine)} µs for bare fetch (the
stub's \`Response\`, \`text()\`, \`JSON.parse\`, promises: what every variant pays). The core itself, run
inside the module with no boundary, is ${f2(js.coreUs)} µs of that (section 1). So of the JS driver's call,
about ${f1(js.engine)} µs is the engine's share, ${f2(js.coreUs)} µs the core, and about ${f1(js.rest)} µs the driver and the
boundary between them${p("sdk") ? ` (by profile: glue ${share("sdk", "glue (wasm-bindgen's bindings: load/bindings.js; the Rust driver's migo_cards.js)")} µs, js/api.js ${share("sdk", "JS driver (api.js)")} µs,
wasm code ${share("sdk", "wasm code")} µs, garbage collection ${share("sdk", "(garbage collector)")} µs per call, with profiling's overhead)` : ""}. The Rust
driver spends about ${f1(rs.rest)} µs beyond the engine and the core${p("rust") ? ` (wasm-bindgen glue ${share("rust", "glue (wasm-bindgen's bindings: load/bindings.js; the Rust driver's migo_cards.js)")} µs, wasm code
${share("rust", "wasm code")} µs, garbage collection ${share("rust", "(garbage collector)")} µs per call by profile)` : ""}: every JS value it reads or makes is a call
through the glue (each argument's type checks, each property of the options, each header set on a
gloo-net \`Headers\`, gloo-net building the \`Request\` twice and parsing its URL, the \`Response\` getters),
and every \`await\` is a \`JsFuture\` with its closures.`);

  out.push(`**What separates the drivers**, figure by figure (lower is better for all): size ${kb(S.size.sdk.gzip)} vs
${kb(S.size.rust.gzip)} gzip (${better(S.size.sdk.gzip, S.size.rust.gzip)}); CPU per successful call ${f1(st.ok.sdk?.median)} vs ${f1(st.ok.rust?.median)} µs
(${better(st.ok.sdk?.median, st.ok.rust?.median)}); per call on the gateway ${f3(pc.sdk.ratio)} vs ${f3(pc.rust.ratio)} × fetch (${better(pc.sdk.ratio, pc.rust.ratio)});
\`await init()\` ${f2(su.sdk.initMs?.median)} vs ${f2(su.rust.initMs?.median)} ms (${better(su.sdk.initMs?.median, su.rust.initMs?.median)}); the error path ${f1(st.validation.sdk?.median)} vs
${f1(st.validation.rust?.median)} µs for a call refused by validation and ${f1(st.apiError.sdk?.median)} vs ${f1(st.apiError.rust?.median)} µs for an API error.
The Rust driver would replace the JavaScript one only if it met the targets; the table at the top says which it meets.`);

  out.push(`**Per call on the gateway.** The network path dominates: hand-written fetch takes ${f0(ms2us(pc.fetch.call.median))} µs per
call here (Node's own fetch to the same gateway ${f0(R.nodeFetch?.median)} µs). The JS driver adds ${f0(pc.sdk.overheadUs)} µs at the median
(${f3(pc.sdk.ratio)} ×, 95 % interval ${interval(pc.sdk.ci)}), the Rust driver ${f0(pc.rust.overheadUs)} µs (${f3(pc.rust.ratio)} ×, ${interval(pc.rust.ci)}), the plain client
${f0(pc.plain.overheadUs)} µs (${f3(pc.plain.ratio)} ×, ${interval(pc.plain.ci)}). That difference is made of each variant's own work per call as it runs
between two gateway calls: after the renderer idled for the network, with cold caches. Measured alone
(section 3, fetch stubbed, ${R.counts.coldGapMs} ms idle before each call), it is ${f0(cold.sdk?.overFetchUs)} µs more than fetch's for the JS driver,
${f0(cold.rust?.overFetchUs)} µs for the Rust driver and ${f0(cold.plain?.overFetchUs)} µs for the plain client, against ${f1(st.ok.sdk?.median - st.ok.fetch?.median)}, ${f1(st.ok.rust?.median - st.ok.fetch?.median)} and
${f1(st.ok.plain?.median - st.ok.fetch?.median)} µs back to back (section 1): what the gateway ratio weighs is the call's own work with cold caches,
which the back-to-back figures understate.`);

  out.push(`**Start-up.** \`await init()\` is ${f2(su.sdk.initMs?.median)} ms for the JS driver and ${f2(su.rust.initMs?.median)} ms for the Rust
driver, import to ready ${f1(su.sdk.readyMs?.median)} and ${f1(su.rust.readyMs?.median)} ms: both inflate and compile their inlined module
from the import on, so \`init()\` waits for what compiling has left, then instantiates. V8 compiles wasm
lazily, so the first call after init pays for compiling the functions it runs (${f2(su.sdk.firstCallMs?.median)} and
${f2(su.rust.firstCallMs?.median)} ms, against ${f2(su.sdk.secondCallMs?.median)} and ${f2(su.rust.secondCallMs?.median)} ms for the second call).`);

  const missBy = (v) => S.size[v].gzip - SIZE_BUDGET;
  out.push(`**Size.** ${DRIVERS.map((v) => `The ${SHORT[v]}'s browser build is ${kb(S.size[v].gzip)} gzip (${missBy(v) > 0 ? `over the budget by ${kb(missBy(v))}` : `${bytes(-missBy(v))} under the budget`}): the inlined
wasm ${kb(S.size[v].wasmGzip)}, the JavaScript ${kb(S.size[v].gzip - S.size[v].wasmGzip)}`).join(". ")}. Section 6 breaks the modules down by
crate: the Rust driver adds the futures executor, gloo-net and the \`web-sys\`/\`js-sys\` bindings it calls,
and its wasm-bindgen glue has a shim per imported JS function, where the JS driver's exports take and give
numbers and strings and hold no JavaScript value (\`bindings/src/exports.rs\`).`);
  return out.join("\n\n");
}

const METHOD = `## How it is measured, and how to rerun it

\`\`\`sh
make bench                        # builds, then runs everything below
BENCH_QUICK=1 bash bench/run.sh   # small counts, checks the harness
BENCH_ONLY=cpu bash bench/run.sh  # only the CPU per call with fetch stubbed (below)
\`\`\`

\`BENCH_ONLY=cpu\` is for working on the driver or the core: it builds only \`bench/pkg-release\` (and,
with \`BENCH_PROFILE=1\`, \`bench/dist/names\` for profiles) and the gateway, then times the package, the plain
client and hand-written fetch with fetch stubbed, in one page, interleaved: 21 runs of 2,000 calls each
(BENCH_REPS, BENCH_N), cases from BENCH_CASES (\`ok\`, \`validation\`, \`apiError\`; default \`ok\`). Each run is
timed by the wall clock and by the renderer main thread's on-CPU time (\`/proc/<pid>/task/<pid>/schedstat\`),
which the machine's other load inflates far less; ratios to the plain client are per pair of runs. A copy
of an earlier \`bench/pkg-release\` put in \`bench/pkg-base\` runs too, as \`base\`: a change measured A/B in the
same page. Once built, \`BENCH_ONLY=cpu node bench/bench.mjs\` reruns it alone; it prints and writes
\`bench/dist/results.cpu.json\`, never this file.

\`bench/run.sh\` installs what is missing (\`scripts/setup.sh\`; esbuild into \`bench/node_modules\`), builds
\`bench/pkg-release\` with \`scripts/build-pkg.sh\` exactly as \`make pkg\` builds the package, then the crate
\`bench/rust-driver\` into \`bench/pkg-rust-release\`, shaped by \`bench/build.mjs\` as the package's
browser build is (the wasm inlined, one minified module around \`bench/entries/rust-inline.js\`), both
drivers' bench builds as plain files (\`bench/wasm-bench\`, \`bench/rust-driver\` with its \`bench\` feature:
\`bench/pkg-bench\`, \`bench/pkg-rust-bench\`) and again with
their wasm function names kept (\`bench/dist/names*\`), and the gateway in release, then runs
\`node bench/bench.mjs\`. \`pkg/\` is never touched. The driver:

- starts \`target/release/migo-mock\` on a free 127.0.0.1 port with \`--static /bench=bench\`, so the page, the
  packages and the API share one origin (no CORS preflights);
- launches \`/usr/bin/chromium\` through playwright-core, and makes the benchmark page cross-origin
  isolated by adding COOP/COEP headers to its document through the DevTools protocol, which gives
  \`performance.now()\` 5 µs resolution instead of 100 µs;
- runs every comparison inside one page (\`bench/page/\`) with both drivers loaded, interleaved (runs of
  calls, or rounds of one call per variant, rotate the order of the variants), and resets the gateway
  between phases;
- measures start-up on fresh loads of \`bench/page/startup.html\`, one new browser context per load;
- forces garbage collection and reads heaps through the DevTools protocol, and takes CPU profiles
  (saved in \`bench/profiles/\`);
- checks the plain client against the package (Node) and the Rust driver against the JS driver (page)
  first, with \`bench/conformance.mjs\`;
- writes \`bench/results.json\` (every sample) and this file, and prints a summary table.

Medians are the middle sample; p99 is the nearest-rank 99th percentile. A ratio is variant / baseline of
the medians. Per call on the gateway (section 3), every call is timed on its own in rounds of one call per
variant, the order rotating from round to round; the median ratio's 95 % interval is a bootstrap over
rounds (1,000 resamples of the rounds with replacement, each round's calls together; percentile method;
a seeded PRNG, so regenerating the report from the same \`results.json\` gives the same interval), and the
target's verdict, taken on the median ratio, adds "within noise" when the interval holds 1.05. The CPU
per call after idle (section 3) is the stubbed success case of section 1 with a \`setTimeout\` of a few ms before
each call, rounds as on the gateway. No test asserts a timing: the benchmark reports. Known limits:

- The machine is shared with the gateway (and with whatever else runs); the load average is recorded
  above. On 2 cores, Chromium's renderer, its network service and the gateway compete for them.
- playwright-core keeps the DevTools Network domain enabled on every page it drives, so every request is
  instrumented — for all variants alike. That lengthens each call and so flatters the per-call ratios;
  the CPU figures without the network do not depend on it.
- Profiles are sampled with the profiler on, which slows everything; use their shares.
- run.sh builds through \`target/\`, which \`make pkg\` shares: do not build the package in the same tree
  while \`make bench\` runs.

| file | what |
|---|---|
| \`bench/run.sh\` | \`make bench\`: install, build, run |
| \`bench/bench.mjs\` | the driver: gateway, Chromium, phases, results |
| \`bench/page/\` | the benchmark page and the start-up page |
| \`bench/replies/\` | the gateway replies the stubbed fetch gives (shared with \`benchCall\`) |
| \`bench/plain/client.js\` | the plain-JS client of the same ten endpoints |
| \`bench/build.mjs\`, \`bench/entries/\` | the Rust-driver variant's release build, the bench builds' entries |
| \`bench/conformance.mjs\` | two implementations, case by case |
| \`bench/size.mjs\`, \`bench/stats.mjs\`, \`bench/report.mjs\` | sizes, statistics, this report |
| \`bench/rust-driver/\` | the Rust driver (crate \`migo-cards-rust-driver\`; feature \`bench\`: the bench exports) |
| \`bench/wasm-bench/\` | the package's module plus \`benchCall\`, \`benchMemory\` (crate \`migo-cards-wasm-bench\`) |
| \`bench/core-bench/\` | \`benchCall\`'s calls, \`benchMemory\`'s figures, the counting allocator (crate \`migo-cards-bench\`) |
`;
