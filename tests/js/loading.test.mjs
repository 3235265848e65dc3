// How the package loads its wasm (js/load/, scripts/build-pkg-js.mjs): the
// UTF-8 fallback the node build uses where TextDecoder/TextEncoder are
// missing, the base64 and inflate steps of the browser build, and the built
// files themselves: the node build reads nothing from disk and needs no
// Node built-in, the browser build names no .wasm file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import vm from "node:vm";
import { inflateRawSync } from "node:zlib";
import { root } from "./gateway.mjs";

const text = await import(path.join(root, "js", "load", "text.js"));
const pkg = (...p) => path.join(root, "pkg", ...p);
const src = (...p) => path.join(root, "js", ...p);

test("the node build uses the real TextDecoder/TextEncoder where they exist", () => {
  assert.equal(text.TextDecoder, globalThis.TextDecoder);
  assert.equal(text.TextEncoder, globalThis.TextEncoder);
});

/** The module's fallback classes: its text evaluated where the globals are missing. */
async function fallbacks() {
  const source = (await readFile(path.join(root, "js", "load", "text.js"), "utf8")).replaceAll("export const", "const");
  const context = vm.createContext({ Uint8Array, String });
  return vm.runInContext(`${source}\n({ TextDecoder, TextEncoder })`, context);
}

test("without the globals, the fallback encodes and decodes UTF-8 exactly as TextEncoder/TextDecoder do", async () => {
  const { TextDecoder: Dec, TextEncoder: Enc } = await fallbacks();
  assert.notEqual(Dec, globalThis.TextDecoder);
  const samples = [
    "",
    "ascii only 0123",
    "José Müller, ¡olé!",
    "Ω≈ç√∫ 中文 日本語 한국어",
    "emoji 😀 and 𝄞 (astral)",
    "\u0000\u007f\u0080\u07ff\u0800\uffff",
    "lone \ud800 high, lone \udc00 low, reversed \udc00\ud800",
  ];
  // Every code point class, and random strings of UTF-16 units.
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 200; i++) {
    samples.push(Array.from({ length: 1 + Math.floor(rand() * 20) }, () => String.fromCharCode(Math.floor(rand() * 0x10000))).join(""));
  }
  const enc = new Enc();
  const dec = new Dec();
  for (const s of samples) {
    const expected = new TextEncoder().encode(s);
    assert.deepEqual([...enc.encode(s)], [...expected], JSON.stringify(s));
    assert.equal(dec.decode(expected), new TextDecoder().decode(expected), JSON.stringify(s));
  }
  assert.equal(dec.decode(), "");
  assert.equal(dec.decode(new Uint8Array()), "");
});

test("fromBase64 decodes with atob where Uint8Array.fromBase64 is missing", async () => {
  const { fromBase64 } = await import(path.join(root, "js", "load", "inline.js"));
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 256);
  const b64 = Buffer.from(bytes).toString("base64");
  const native = Uint8Array.fromBase64;
  try {
    delete Uint8Array.fromBase64;
    assert.deepEqual(fromBase64(b64), bytes);
  } finally {
    if (native) Uint8Array.fromBase64 = native;
  }
});

test("the browser build's inlined module inflates to a valid wasm, and without DecompressionStream init says why", async () => {
  const { inflatedWasm } = await import(src("load", "inline.js"));
  const { MigoError } = await import(src("error.js"));
  const deflated = /export default "([A-Za-z0-9+/=]+)";/.exec(await readFile(pkg("web", "wasm.js"), "utf8"))[1];
  const res = inflatedWasm(deflated);
  assert.equal(res.headers.get("content-type"), "application/wasm");
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual(bytes, new Uint8Array(inflateRawSync(Buffer.from(deflated, "base64"))));
  assert.ok(WebAssembly.validate(bytes), "a valid module");

  const saved = globalThis.DecompressionStream;
  try {
    delete globalThis.DecompressionStream;
    assert.throws(
      () => inflatedWasm(deflated),
      (e) => e instanceof MigoError && e.kind === "config" && e.field === "init" && /DecompressionStream/.test(e.message),
    );
  } finally {
    globalThis.DecompressionStream = saved;
  }
});

test("the node build is one file that loads with no require, no file system and no TextDecoder", async () => {
  const source = await readFile(pkg("node", "index.cjs"), "utf8");
  const module = { exports: {} };
  // A bare context: only what every JavaScript engine has, plus atob.
  const context = vm.createContext({ module, exports: module.exports, atob, WebAssembly, console });
  vm.runInContext(source, context, { filename: "index.cjs" });
  const sdk = module.exports;
  assert.equal(sdk.isValidCardNumber("4111 1111 1111 1111"), true);
  assert.equal(sdk.activationUrl({ userId: "José", environment: "sandbox" }), "https://sandbox.migopayments.com/card-activation?userId=Jos%C3%A9");
  assert.throws(() => new sdk.MigoClient({ accessToken: "t", environment: "staging" }), (e) => e instanceof sdk.MigoError && e.field === "environment");
  assert.equal(sdk.default, sdk.init);
  assert.equal(sdk.__esModule, true, "TypeScript's and Babel's interop take `default` as init");
});

test("the browser build names no .wasm file and no import.meta, so no bundler emits or fetches one", async () => {
  for (const file of ["web/index.js", "web/wasm.js"]) {
    const source = await readFile(pkg(file), "utf8");
    assert.doesNotMatch(source, /\.wasm['"]|import\.meta/, file);
  }
  const manifest = JSON.parse(await readFile(pkg("package.json"), "utf8"));
  // Only the Workers and edge entries' (their bundlers import a .wasm compiled).
  assert.deepEqual(manifest.files.filter((f) => f.endsWith(".wasm")).sort(), ["edge/migo_cards.wasm", "testing/gateway.wasm"]);
});

/** Runs `script` (an ES module's text) in a fresh Node with `flags`: what it printed, as JSON. */
async function run(flags, script) {
  const { execFile } = await import("node:child_process");
  const out = await new Promise((resolve, reject) =>
    execFile(process.execPath, [...flags, "--input-type=module", "-e", script], { timeout: 30_000 }, (e, stdout, stderr) =>
      e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
  return JSON.parse(out.trim().split("\n").pop());
}

// What a script reports of a build's entry where WebAssembly is missing:
// each entry point's result, or the error it throws (name, kind, field,
// whether its message names WebAssembly).
const probe = (entry, { before = "", init = true, load = `await import(${JSON.stringify(entry)})` } = {}) => `${before}
const seen = {};
const m = ${load};
const show = (e) => e && { name: e.name, kind: e.kind, field: e.field, wasm: /WebAssembly/.test(e.message) };
const entries = () => {
  for (const [k, f] of Object.entries({ client: () => typeof new m.MigoClient({ accessToken: "tok" }).issueCard, activationUrl: () => m.activationUrl({ userId: "7" }), isValidCardNumber: () => m.isValidCardNumber("4111111111111111") })) {
    try { seen[k] = f(); } catch (e) { seen[k] = show(e); }
  }
};
${init ? "" : "entries(); seen.before = { ...seen };"}
seen.init = show(await m.init().then(() => undefined, (e) => e));
entries();
console.log(JSON.stringify(seen));`;

const working = { client: "function", activationUrl: "https://web.migopayments.com/card-activation?userId=7", isValidCardNumber: true };

test("without WebAssembly (node --jitless) the node build runs its JavaScript build: ready on import, and after init() under require", async () => {
  assert.deepEqual(await run(["--jitless", "--no-warnings"], probe(pkg("node", "index.mjs"))), working);
  const notYet = { name: "MigoError", kind: "config", field: "init", wasm: false };
  const required = await run(["--jitless", "--no-warnings"], probe("", { init: false, load: `(await import("node:module")).createRequire(${JSON.stringify(pkg("node", "index.cjs"))})(${JSON.stringify(pkg("node", "index.cjs"))})` }));
  assert.deepEqual(required.before, { client: notYet, activationUrl: notYet, isValidCardNumber: notYet }, "required, it loads in init()");
  delete required.before;
  assert.deepEqual(required, working);
});

test("without WebAssembly the browser build's init() loads its JavaScript build (web/core.js), and only then", async () => {
  assert.deepEqual(await run([], probe(pkg("web", "index.js"), { before: "delete globalThis.WebAssembly;" })), working);
  // A 3 MB argument grows the JavaScript build's memory: the bindings' views of it follow.
  const grown = await run([], `delete globalThis.WebAssembly;
const m = await import(${JSON.stringify(pkg("web", "index.js"))});
await m.init();
const big = m.isValidCardNumber("4".repeat(3_000_000));
console.log(JSON.stringify([big, m.activationUrl({ userId: "José" }), m.isValidCardNumber("4111 1111 1111 1111")]));`);
  assert.deepEqual(grown, [false, "https://web.migopayments.com/card-activation?userId=Jos%C3%A9", true]);
  const index = await readFile(pkg("web", "index.js"), "utf8");
  assert.match(index, /import\("\.\/core\.js"\)/, "a dynamic import, so that bundlers split it off");
  assert.doesNotMatch(index, /^import[^(]*["']\.\/core\.js["']/m, "never a static import");
});

test("without WebAssembly a client of the browser build constructed before init() loads the JavaScript build itself, as with WebAssembly", async () => {
  const script = `delete globalThis.WebAssembly;
const m = await import(${JSON.stringify(pkg("web", "index.js"))});
const answer = JSON.stringify({ success: true, data: { cardId: "c1", status: "INACTIVE" } });
const fetch = async () => ({ status: 200, headers: { get: () => null }, text: async () => answer });
const client = new m.MigoClient({ accessToken: "tok", fetch });
const bad = new m.MigoClient({ accessToken: "tok", environment: "staging" });
let before;
try { client.baseUrl; } catch (e) { before = e.field; }
const card = await client.issueCard("1001");
const e = await bad.issueCard("1001").catch((e) => e);
console.log(JSON.stringify({ before, card: card.cardId, bad: [e instanceof m.MigoError, e.kind, e.field], baseUrl: client.baseUrl }));`;
  assert.deepEqual(await run([], script), { before: "init", card: "c1", bad: [true, "config", "environment"], baseUrl: "https://api.ali.app/rest" });
});

test("the react-native build (rn/index.js) runs the JavaScript build, ready on import", async () => {
  const rn = probe(pkg("rn", "index.js"), { before: "delete globalThis.WebAssembly; delete globalThis.TextDecoder; delete globalThis.TextEncoder;", init: false });
  const seen = await run([], rn);
  assert.deepEqual(seen.before, { client: "function", activationUrl: working.activationUrl, isValidCardNumber: true });
  delete seen.before;
  assert.deepEqual(seen, working);
});

test("where the JavaScript build cannot load either, importing works and init() and every entry throw a MigoError naming WebAssembly", async () => {
  const { mkdtemp, cp, rm } = await import("node:fs/promises");
  const os = await import("node:os");
  const dir = await mkdtemp(path.join(os.tmpdir(), "migo-no-core-"));
  try {
    for (const f of ["web/index.js", "web/wasm.js", "node/index.cjs", "node/index.mjs", "package.json"]) await cp(pkg(f), path.join(dir, f), { recursive: true });
    const expected = { name: "MigoError", kind: "config", field: "init", wasm: true };
    const all = { init: expected, client: expected, activationUrl: expected, isValidCardNumber: expected };
    assert.deepEqual(await run(["--jitless", "--no-warnings"], probe(path.join(dir, "node", "index.mjs"))), all);
    // The browser build's client is constructed as with WebAssembly; each of its calls rejects with that MigoError.
    assert.deepEqual(await run([], probe(path.join(dir, "web", "index.js"), { before: "delete globalThis.WebAssembly;" })), { ...all, client: "function" });
    const calls = await run([], `delete globalThis.WebAssembly;
const m = await import(${JSON.stringify(path.join(dir, "web", "index.js"))});
const client = new m.MigoClient({ accessToken: "tok" });
const seen = [];
for (let i = 0; i < 2; i++) {
  const e = await client.issueCard("1001").catch((e) => e);
  seen.push({ migoError: e instanceof m.MigoError, kind: e.kind, field: e.field, wasm: /WebAssembly/.test(e.message) });
}
console.log(JSON.stringify(seen));`);
    const rejected = { migoError: true, kind: "config", field: "init", wasm: true };
    assert.deepEqual(calls, [rejected, rejected]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("without WebAssembly createTestGateway() runs the gateway's JavaScript build, imported or required", async () => {
  const script = (load) => `
const { createTestGateway } = ${load};
const gw = createTestGateway({ seed: 1 });
const sdk = await import("migo-cards");
const client = new sdk.MigoClient({ accessToken: gw.accessToken, baseUrl: "https://gw.test/rest", fetch: gw.fetch });
const card = await client.issueCard("1001");
await client.activateCard("1001", card.cardId);
console.log(JSON.stringify({ wasm: typeof WebAssembly, status: gw.card(card.cardId).status }));`;
  const expected = { wasm: "undefined", status: "ACTIVE" };
  const setup = ["--jitless", "--no-warnings", "--import", path.join(root, "tests", "js", "jitless-setup.mjs")];
  assert.deepEqual(await run(setup, script(`await import("migo-cards/testing")`)), expected);
  assert.deepEqual(await run(setup, script(`await import(${JSON.stringify(pkg("testing", "core.js"))})`)), expected, "the react-native condition's file");
  // The ES module build alone (what a browser gets) has no synchronous way to load it: a MigoError says so.
  const alone = await run([], `delete globalThis.WebAssembly;
const { createTestGateway } = await import(${JSON.stringify(pkg("testing", "index.js"))});
try { createTestGateway(); console.log("null"); } catch (e) { console.log(JSON.stringify({ name: e.name, kind: e.kind, field: e.field, wasm: /WebAssembly/.test(e.message) })); }`);
  assert.deepEqual(alone, { name: "MigoError", kind: "config", field: "init", wasm: true });
  assert.deepEqual(await run(setup, script(`(await import("node:module")).createRequire(${JSON.stringify(path.join(root, "package.json"))})("migo-cards/testing")`)), expected);
});

test("the JavaScript builds name no .wasm file, no import.meta and nothing of Node", async () => {
  for (const file of ["web/core.js", "node/core.cjs", "rn/index.js", "testing/core.js", "testing/core.cjs"]) {
    const source = await readFile(pkg(file), "utf8");
    assert.doesNotMatch(source, /\.wasm['"]|import\.meta|require\(|WebAssembly\.\w/, file);
  }
  const manifest = JSON.parse(await readFile(pkg("package.json"), "utf8"));
  assert.equal(manifest.exports["."]["react-native"].default, "./rn/index.js");
  assert.equal(manifest.exports["./testing"]["react-native"].default, "./testing/core.js");
  for (const file of ["web/core.js", "node/core.cjs", "rn/index.js", "testing/core.js", "testing/core.cjs", "testing/node.mjs"]) assert.ok(manifest.files.includes(file), file);
});

test("a client constructed before init whose module fails to load rejects each call with a MigoError naming init, the failure its cause", async () => {
  // No compileStreaming: the browser build's own loading fails (as a CSP's refusal would).
  const script = `delete WebAssembly.compileStreaming;
const m = await import(${JSON.stringify(pkg("web", "index.js"))});
const client = new m.MigoClient({ accessToken: "tok" });
const seen = [];
for (let i = 0; i < 2; i++) {
  const e = await client.issueCard("1001").catch((e) => e);
  seen.push({ migoError: e instanceof m.MigoError, kind: e.kind, field: e.field, cause: e.cause?.name });
}
console.log(JSON.stringify(seen));`;
  const expected = { migoError: true, kind: "config", field: "init", cause: "TypeError" };
  assert.deepEqual(await run([], script), [expected, expected]);
});
