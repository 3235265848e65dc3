#!/usr/bin/env node
// The JavaScript half of scripts/build-pkg.sh, given the package folder being
// built (with the optimised migo_cards_bg.wasm at its root and wasm-bindgen's
// JS bindings in bindings/, both of which end up inlined only):
//  - web/wasm.js: the wasm as base64 of its deflate-raw compression, for the
//    browser build (why: js/load/inline.js);
//  - node/index.cjs: js/node/index.js bundled by esbuild with the bindings, the
//    loader, MigoError and the wasm as plain base64 (size matters less than a
//    synchronous load there), the UTF-8 fallback injected for the globals;
//  - web/index.js: js/web/index.js bundled and minified by esbuild with the
//    bindings, the API, MigoError and the loader, importing ./wasm.js;
//  - edge/index.js: js/edge/index.js bundled the same way, importing the
//    module as a file, edge/migo_cards.wasm (Workers and edge runtimes);
//  - rn/index.js: js/rn/index.js bundled with the same parts over the
//    JavaScript build (web/core.js, scripts/build-js-core.mjs).
import { readFileSync, writeFileSync, mkdtempSync, rmSync, cpSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
// Zopfli (Google's, compiled to wasm) writes plain deflate-raw that any
// inflater reads, and smaller than zlib's level 9: the browser downloads less.
import zopfli from "@gfx/zopfli";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.resolve(process.argv[2] ?? "");
const wasm = readFileSync(path.join(out, "migo_cards_bg.wasm"));

const fail = (why) => {
  console.error(`build-pkg-js: ${why}`);
  process.exit(1);
};

// 1. The browser build's inlined module.
const deflated = await new Promise((resolve, reject) =>
  zopfli.deflate(wasm, { numiterations: 15 }, (e, out) => (e ? reject(e) : resolve(Buffer.from(out)))),
);
if (!inflateRawSync(deflated).equals(wasm)) fail("the deflated module does not inflate back to itself");
writeFileSync(
  path.join(out, "web", "wasm.js"),
  `// migo_cards_bg.wasm (${wasm.length} bytes), deflate-raw, base64: see ../load/inline.js.\nexport default "${deflated.toString("base64")}";\n`,
);

// 2. The node build, bundled from a staging copy of the sources.
const stage = mkdtempSync(path.join(os.tmpdir(), "migo-pkg-"));
try {
  cpSync(path.join(root, "js"), stage, { recursive: true });
  cpSync(path.join(out, "bindings", "migo_cards_bg.js"), path.join(stage, "load", "bindings.js"));
  cpSync(path.join(out, "bindings", "snippets"), path.join(stage, "load", "snippets"), { recursive: true });
  writeFileSync(path.join(stage, "node", "wasm-base64.js"), `export default "${wasm.toString("base64")}";\n`);
  // describe()'s option and operation names, for a client the browser build
  // constructs before its module is loaded (js/web/index.js).
  writeFileSync(path.join(stage, "package.json"), '{ "type": "module" }\n');
  const { instantiateSync } = await import(pathToFileURL(path.join(stage, "load", "module.js")).href);
  const { describe } = await import(pathToFileURL(path.join(stage, "load", "bindings.js")).href);
  instantiateSync(wasm);
  const described = JSON.parse(describe());
  const names = { options: described.options, operations: described.operations.map(([name]) => name) };
  // What the four builds of the code share.
  const bundle = (entry, outfile, options) =>
    build({ entryPoints: [path.join(stage, ...entry)], outfile: path.join(out, ...outfile), bundle: true, legalComments: "none", logLevel: "warning", ...options });
  // 3. The browser build's code, one minified ES module (web/index.js) that
  // imports the inlined wasm (web/wasm.js): what a plain page loads is what
  // an app's bundler would have made of it. The map lets DevTools show the
  // sources.
  await bundle(["web", "index.js"], ["web", "index.js"], {
    format: "esm",
    platform: "neutral",
    target: "es2020",
    // MIGO_READABLE=1 keeps names and layout (for profiles).
    minify: !process.env.MIGO_READABLE,
    // ./core.js: the JavaScript build, imported only where WebAssembly is missing.
    external: ["./wasm.js", "./core.js"],
    define: { MIGO_NAMES: JSON.stringify(names) },
    sourcemap: "external",
    sourcesContent: true,
  });
  await bundle(["node", "index.js"], ["node", "index.cjs"], {
    format: "cjs",
    // platform node: esbuild then annotates the export names so that Node's
    // ESM loader sees them as named exports of node/index.mjs's import.
    platform: "node",
    target: "es2020",
    // ./core.cjs: the JavaScript build, imported only where WebAssembly is missing.
    external: ["./core.cjs"],
    inject: [path.join(stage, "load", "text.js")],
    banner: { js: "// migo-cards node build: one file, the wasm inlined (see the package README)." },
  });
  // 4. The Workers and edge build: their bundler compiles the .wasm it imports.
  await bundle(["edge", "index.js"], ["edge", "index.js"], {
    format: "esm",
    platform: "neutral",
    target: "es2022",
    external: ["*.wasm?module"],
    banner: { js: "// migo-cards Workers and edge build: ./migo_cards.wasm imported compiled (see the package README)." },
  });
  cpSync(path.join(out, "migo_cards_bg.wasm"), path.join(out, "edge", "migo_cards.wasm"));
  // 5. The react-native build: the API over the JavaScript build (web/core.js).
  await bundle(["rn", "index.js"], ["rn", "index.js"], {
    format: "esm",
    platform: "neutral",
    target: "es2020",
    external: ["../web/core.js"],
    inject: [path.join(stage, "load", "text.js")],
    banner: { js: "// migo-cards react-native build: the API over the module's JavaScript build (../web/core.js)." },
  });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
const cjs = readFileSync(path.join(out, "node", "index.cjs"), "utf8");
for (const forbidden of ["require(", "__dirname", "import.meta", "readFileSync"]) {
  if (cjs.includes(forbidden)) fail(`node/index.cjs mentions ${forbidden}: it must load nothing from disk or Node`);
}
rmSync(path.join(out, "migo_cards_bg.wasm"));
rmSync(path.join(out, "bindings"), { recursive: true });
console.log(`inlined the wasm (${wasm.length} bytes; deflated ${deflated.length}); node/index.cjs ${cjs.length} bytes`);
