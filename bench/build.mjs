#!/usr/bin/env node
// Finishes a bench build that bench/run.sh started (wasm-bindgen wrote the
// bindings, <out>/web/migo_cards_bg.js in the bundler shape for the JS driver
// or <out>/web/migo_cards.js by --target web for the Rust driver, and
// <out>/web/snippets; wasm-opt <out>/web/migo_cards_bg.wasm):
//   node bench/build.mjs <out> js|rust files    the entry of bench/entries/ and
//       the JS it imports as files, the .wasm fetched by the glue (bench builds)
//   node bench/build.mjs <out> rust inline      the Rust-driver variant shaped
//       exactly as scripts/build-pkg-js.mjs shapes the package's browser build:
//       the wasm deflated and base64 in web/wasm.js, everything else one
//       minified ES module, web/index.js
import { readFileSync, writeFileSync, mkdtempSync, rmSync, cpSync, mkdirSync, copyFileSync } from "node:fs";
import { deflateRawSync, constants } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, "..");
const [outArg, driver, mode] = process.argv.slice(2);
const out = path.resolve(outArg ?? "");
const fail = (why) => {
  console.error(`bench/build.mjs: ${why}`);
  process.exit(1);
};
if (!["js", "rust"].includes(driver) || !["files", "inline"].includes(mode) || (driver === "js" && mode === "inline")) {
  fail("usage: node bench/build.mjs <out> js|rust files, or <out> rust inline (the package itself is the JS driver's release build)");
}
const web = path.join(out, "web");

if (mode === "files") {
  copyFileSync(path.join(benchDir, "entries", `${driver}-files.js`), path.join(web, "index.js"));
  for (const f of driver === "js" ? ["error.js", "api.js", "load/module.js"] : ["error.js"]) {
    mkdirSync(path.dirname(path.join(out, f)), { recursive: true });
    copyFileSync(path.join(root, "js", f), path.join(out, f));
  }
  if (driver === "js") {
    // js/api.js imports the bindings as load/bindings.js, as in the package.
    copyFileSync(path.join(web, "migo_cards_bg.js"), path.join(out, "load", "bindings.js"));
    cpSync(path.join(web, "snippets"), path.join(out, "load", "snippets"), { recursive: true });
  }
  process.exit(0);
}

// The same steps as scripts/build-pkg-js.mjs for the browser build.
const glue = readFileSync(path.join(web, "migo_cards.js"), "utf8");
const defaultUrl = /module_or_path = new URL\('migo_cards_bg\.wasm', import\.meta\.url\);/g;
if ((glue.match(defaultUrl) ?? []).length !== 1) fail("the glue's default wasm URL was not found once: wasm-bindgen changed its output");
const patched = glue.replace(defaultUrl, 'throw new Error("migo-cards: init() passes the module");');
const wasm = readFileSync(path.join(web, "migo_cards_bg.wasm"));
const deflated = deflateRawSync(wasm, { level: constants.Z_BEST_COMPRESSION, memLevel: 9 });
writeFileSync(path.join(web, "wasm.js"),
  `// migo_cards_bg.wasm (${wasm.length} bytes), deflate-raw, base64: see ../load/inline.js.\nexport default "${deflated.toString("base64")}";\n`);
const stage = mkdtempSync(path.join(os.tmpdir(), "migo-bench-"));
try {
  cpSync(path.join(root, "js"), stage, { recursive: true });
  mkdirSync(path.join(stage, "web"), { recursive: true });
  writeFileSync(path.join(stage, "web", "migo_cards.js"), patched);
  cpSync(path.join(web, "snippets"), path.join(stage, "web", "snippets"), { recursive: true });
  copyFileSync(path.join(benchDir, "entries", "rust-inline.js"), path.join(stage, "web", "index.js"));
  await build({
    entryPoints: [path.join(stage, "web", "index.js")],
    outfile: path.join(web, "index.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2020",
    minify: true,
    external: ["./wasm.js"],
    legalComments: "none",
    logLevel: "warning",
  });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
rmSync(path.join(web, "migo_cards.js"));
rmSync(path.join(web, "snippets"), { recursive: true });
rmSync(path.join(web, "migo_cards_bg.wasm"));
