#!/usr/bin/env node
// `make size`: what the browser build costs a page, raw, gzip -9 and brotli.
// Prints a table and, with --json, the figures as JSON on the last line.
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, inflateRawSync, constants } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", process.env.PKG_OUT ?? "pkg");
// Every file the browser build loads: the wasm travels inside web/wasm.js.
// web/index.js is all the JS (glue, API and driver, MigoError, loader),
// bundled and minified by scripts/build-pkg-js.mjs.
const files = [
  ["wasm", "web/wasm.js"],
  ["JS", "web/index.js"],
];

const rows = files.map(([label, file]) => {
  const bytes = readFileSync(path.join(pkg, file));
  return {
    label,
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
});
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const kb = (n) => (n / 1000).toFixed(1).padStart(7) + " KB";
console.log(`${"".padEnd(10)} ${"file".padEnd(24)} ${"raw".padStart(10)} ${"gzip -9".padStart(10)} ${"brotli".padStart(10)}`);
for (const r of rows) console.log(`${r.label.padEnd(10)} ${r.file.padEnd(24)} ${kb(r.raw)} ${kb(r.gzip)} ${kb(r.brotli)}`);
console.log(`${"total".padEnd(10)} ${"".padEnd(24)} ${kb(total.raw)} ${kb(total.gzip)} ${kb(total.brotli)}`);
// For comparison: the bare module, as it would travel as a file of its own.
const inlined = /"([A-Za-z0-9+/=]+)"/.exec(readFileSync(path.join(pkg, "web/wasm.js"), "utf8"))[1];
const bare = inflateRawSync(Buffer.from(inlined, "base64"));
console.log(`(the bare .wasm: ${kb(bare.length).trim()} raw, ${kb(gzipSync(bare, { level: 9 }).length).trim()} gzip -9; inlined it costs ${(rows[0].gzip / gzipSync(bare, { level: 9 }).length).toFixed(3)} x that)`);
const budget = 35_000;
console.log(`budget: ${kb(budget).trim()} gzip for wasm + JS; ${total.gzip <= budget ? "within" : "OVER by " + kb(total.gzip - budget).trim()}`);
// migo-cards/testing: test-only, never loaded by the production
// entries, so outside the total and the budget. Each format carries its own
// base64 copy of the gateway's wasm; a test loads one of the two.
if (!process.argv.includes("--json")) {
  const testing = ["testing/index.js", "testing/wasm.js"].map((file) => {
    const bytes = readFileSync(path.join(pkg, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const sum = testing.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip }), { raw: 0, gzip: 0 });
  console.log(`test-only: migo-cards/testing (ES module: ${testing.map((r) => r.file).join(" + ")}) ${kb(sum.raw).trim()} raw, ${kb(sum.gzip).trim()} gzip; not in the total`);
}
// The JavaScript builds (binaryen's wasm2js), loaded only where WebAssembly
// is missing (and by the react-native condition): outside the total and the budget.
const jsBuilds = [
  ["JS build", "web/core.js"],
  ["testing JS", "testing/core.js"],
].map(([label, file]) => {
  const bytes = readFileSync(path.join(pkg, file));
  return { label, file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
if (!process.argv.includes("--json")) {
  for (const r of jsBuilds) {
    console.log(`without WebAssembly: ${r.label} (${r.file}) ${kb(r.raw).trim()} raw, ${kb(r.gzip).trim()} gzip; loaded only there, not in the total`);
  }
}
if (process.argv.includes("--json")) console.log(JSON.stringify({ files: rows, total, jsBuilds }));
