#!/usr/bin/env bash
# Builds pkg/, the npm package: one wasm (cargo, then wasm-bindgen, which
# writes its JS bindings, then wasm-opt) inlined
# into two builds behind the entry points in js/: the browser build (web/,
# loaded by an async init()) and the node build (node/index.cjs, one
# self-contained file that loads it synchronously). Inlined, it costs 0.95 x
# its gzip as a file, and a file would only add a request and a copy step;
# the one .wasm file that ships is the Workers and edge build's (edge/),
# whose runtimes compile only what their bundler imports. Engines without
# WebAssembly get a JavaScript build of the same wasm (web/core.js,
# node/core.cjs, and the react-native build over it, rn/). How each
# environment picks its build: package.json below.
set -euo pipefail
cd "$(dirname "$0")/.."

# Built beside the target and swapped in at the end, so a test that is
# reading pkg/ meanwhile never sees half a package. PKG_OUT builds elsewhere.
dest=${PKG_OUT:-pkg}
out=$dest.tmp
wasm=target/wasm32-unknown-unknown/release/migo_cards.wasm
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
# binaryen from npm (a known version, where Debian's varies); it is told
# the features rustc emits for wasm32, and the passes of scripts/wasm-opt.sh.
. scripts/wasm-opt.sh

# As a cdylib alone: with rlib among a crate's types cargo runs no LTO,
# and the module is larger (ARCHITECTURE.md: how the wasm ships).
cargo rustc --quiet --release --target wasm32-unknown-unknown -p migo-cards --crate-type cdylib
rm -rf "$out"
mkdir -p "$out/web"
# The bindings (the module's exports as JS, bindings/src/exports.rs) in the shape
# for bundlers (migo_cards_bg.js): its imports and `__wbg_set_wasm`, so that
# js/load/module.js instantiates the inlined module itself.
wasm-bindgen --target bundler --no-typescript --out-dir "$out/bindings" "$wasm"
wasm_opt_release "$out/bindings/migo_cards_bg.wasm" "$out/migo_cards_bg.wasm"
# The JavaScript build of that same wasm (binaryen's wasm2js), for engines
# without WebAssembly: web/core.js (ES module: the browser build's init()
# imports it only there, and the react-native build always) and
# node/core.cjs (required by node/index.mjs under `node --jitless`).
mkdir -p "$out/node"
node scripts/build-js-core.mjs "$out/migo_cards_bg.wasm" "$out/web/core.js" "$out/node/core.cjs"
# Both inlined into both builds by build-pkg-js.mjs, which then removes them.

mkdir -p "$out/node"
cp js/node/index.mjs "$out/node/"
# The inlined wasm of both builds, and both builds' code bundled.
node scripts/build-pkg-js.mjs "$out"
# The declarations (js/index.d.ts), once and CommonJS-format, so that
# `require` may read them under node16/nodenext and a program that both
# imports and requires sees one MigoClient and one MigoError, as at run time;
# index.d.ts, for `import`, re-exports them.
cp js/index.d.ts "$out/index.d.cts"
cat > "$out/index.d.ts" <<'DTS'
// The declarations for `import`: those of index.d.cts (one copy for both).
export * from "./index.cjs";
export { init as default } from "./index.cjs";
DTS
# The npm README is the repository's, without its developer-only sections.
sed '/<!-- dev-only -->/,/<!-- \/dev-only -->/d' README.md > "$out/README.md"
cp LICENSE "$out/LICENSE"

cat > "$out/package.json" <<JSON
{
  "name": "migo-cards",
  "version": "$version",
  "description": "Migo Wallet Gateway card lifecycle SDK for JavaScript: a Rust core compiled to WebAssembly",
  "license": "MIT",
  "type": "module",
  "main": "./node/index.cjs",
  "module": "./web/index.js",
  "browser": "./web/index.js",
  "react-native": "./rn/index.js",
  "types": "./index.d.ts",
  "exports": {
    ".": {
      "workerd": { "types": "./index.d.ts", "default": "./edge/index.js" },
      "edge-light": { "types": "./index.d.ts", "default": "./edge/index.js" },
      "react-native": { "types": "./index.d.ts", "default": "./rn/index.js" },
      "node": {
        "import": { "types": "./index.d.ts", "default": "./node/index.mjs" },
        "require": { "types": "./index.d.cts", "default": "./node/index.cjs" }
      },
      "require": { "types": "./index.d.cts", "default": "./node/index.cjs" },
      "default": { "types": "./index.d.ts", "default": "./web/index.js" }
    },
    "./package.json": "./package.json"
  },
  "files": [
    "index.d.ts",
    "index.d.cts",
    "web/index.js",
    "web/index.js.map",
    "web/wasm.js",
    "web/core.js",
    "edge/index.js",
    "edge/migo_cards.wasm",
    "node/index.cjs",
    "node/index.mjs",
    "node/core.cjs",
    "rn/index.js"
  ],
  "sideEffects": [
    "./web/index.js",
    "./edge/index.js",
    "./node/index.cjs",
    "./node/index.mjs",
    "./rn/index.js"
  ],
  "engines": {
    "node": ">=18"
  },
  "keywords": ["migo", "cards", "card-issuing", "wasm", "webassembly", "payments"]
}
JSON
bash scripts/build-pkg-testing.sh "$out"

# Every `require` of the package reads CommonJS-format declarations.
node scripts/build-pkg-types.mjs "$out"

rm -rf "$dest.old"
[ -e "$dest" ] && mv "$dest" "$dest.old"
mv "$out" "$dest"
rm -rf "$dest.old"
# Lets the repository's own JS tests import the package by its name.
if [ "$dest" = pkg ]; then
  mkdir -p node_modules
  ln -sfn ../pkg node_modules/migo-cards
fi
echo "built $dest/ (migo-cards $version)"
