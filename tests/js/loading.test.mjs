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

// What a script reports of a build's entry where WebAssembly is missing.
const probe = (entry, before = "") => `${before}
const seen = {};
const m = await import(${JSON.stringify(entry)});
const show = (e) => e && { name: e.name, kind: e.kind, field: e.field, wasm: /WebAssembly/.test(e.message) };
seen.init = show(await m.init().then(() => undefined, (e) => e));
for (const [k, f] of Object.entries({ client: () => new m.MigoClient({ accessToken: "tok" }), activationUrl: () => m.activationUrl({}), isValidCardNumber: () => m.isValidCardNumber("4111111111111111") })) {
  try { f(); seen[k] = "no error"; } catch (e) { seen[k] = show(e); }
}
console.log(JSON.stringify(seen));`;

test("without WebAssembly (node --jitless; iOS Lockdown Mode, Hermes) importing works and every entry throws a MigoError naming it", async () => {
  const expected = { name: "MigoError", kind: "config", field: "init", wasm: true };
  const all = { init: expected, client: expected, activationUrl: expected, isValidCardNumber: expected };
  assert.deepEqual(await run(["--jitless", "--no-warnings"], probe(pkg("node", "index.mjs"))), all);
  assert.deepEqual(await run([], probe(pkg("web", "index.js"), "delete globalThis.WebAssembly;")), all);
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
