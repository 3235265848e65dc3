#!/usr/bin/env bash
# Builds pkg/, the npm package: a browser/bundler build (wasm-bindgen --target
# web) and a Node build (--target nodejs, loaded synchronously), both
# size-optimised with wasm-opt, behind the hand-written entry points in js/.
set -euo pipefail
cd "$(dirname "$0")/.."

# Built beside the target and swapped in at the end, so a test that is
# reading pkg/ meanwhile never sees half a package. PKG_OUT builds elsewhere.
dest=${PKG_OUT:-pkg}
out=$dest.tmp
wasm=target/wasm32-unknown-unknown/release/migo_cards.wasm
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
# binaryen from npm (Debian's wasm-opt 108 breaks the externref table that
# wasm-bindgen emits); it is told the features rustc emits for wasm32.
wasm_opt=node_modules/.bin/wasm-opt
wasm_opt_features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"

# CARGO_FEATURES (e.g. "bench") builds a variant; only with PKG_OUT elsewhere.
cargo build --quiet --release --target wasm32-unknown-unknown -p migo-cards ${CARGO_FEATURES:+--features "$CARGO_FEATURES"}
rm -rf "$out"
mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out/web" "$wasm"
wasm-bindgen --target nodejs --out-dir "$out/node" "$wasm"
for f in "$out"/web/migo_cards_bg.wasm "$out"/node/migo_cards_bg.wasm; do
  # shellcheck disable=SC2086
  "$wasm_opt" -Oz $wasm_opt_features --strip-debug --strip-producers "$f" -o "$f.opt"
  mv "$f.opt" "$f"
done
rm -f "$out"/*/migo_cards_bg.wasm.d.ts "$out"/*/migo_cards.d.ts "$out"/*/.gitignore

cp js/error.js js/api.js js/index.d.ts "$out/"
cp js/web/index.js "$out/web/"
cp js/node/index.cjs js/node/index.mjs "$out/node/"
# One source for the API; the CommonJS copy (MigoError included) is derived from it.
node_modules/.bin/esbuild js/api.js --bundle --format=cjs --platform=neutral --log-level=warning --outfile="$out/api.cjs"
# The Node build is CommonJS inside an ES-module package.
printf '{ "type": "commonjs" }\n' > "$out/node/package.json"
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
  "types": "./index.d.ts",
  "exports": {
    ".": {
      "types": "./index.d.ts",
      "node": {
        "import": "./node/index.mjs",
        "require": "./node/index.cjs"
      },
      "default": "./web/index.js"
    },
    "./package.json": "./package.json"
  },
  "files": [
    "index.d.ts",
    "error.js",
    "api.js",
    "api.cjs",
    "web/index.js",
    "web/migo_cards.js",
    "web/migo_cards_bg.wasm",
    "node/index.cjs",
    "node/index.mjs",
    "node/migo_cards.js",
    "node/migo_cards_bg.wasm",
    "node/package.json"
  ],
  "sideEffects": [
    "./node/index.cjs",
    "./node/index.mjs"
  ],
  "engines": {
    "node": ">=18"
  },
  "keywords": ["migo", "cards", "card-issuing", "wasm", "webassembly", "payments"]
}
JSON
# ---- migo-cards/testing: the in-process test gateway (issue 12) -------------
# Its own module, never loaded by the production entries (`make size` is
# unchanged): the gateway model (mock/model) behind a bytes-only wasm skin
# (mock/wasm), embedded as base64 beside an ES-module and a CommonJS copy of
# the wrapper, so no loader has to find a .wasm file at run time.
cargo build --quiet --release --target wasm32-unknown-unknown -p migo-gateway-wasm
mkdir -p "$out/testing"
# shellcheck disable=SC2086
"$wasm_opt" -Oz $wasm_opt_features --strip-debug --strip-producers \
  target/wasm32-unknown-unknown/release/migo_gateway_wasm.wasm -o "$out/testing/gateway.wasm"
b64=$(base64 -w0 "$out/testing/gateway.wasm")
rm "$out/testing/gateway.wasm"
header="// The test gateway's WebAssembly module (mock/wasm, built by scripts/build-pkg.sh), base64."
printf '%s\nexport const WASM_BASE64 = "%s";\n' "$header" "$b64" > "$out/testing/wasm.js"
printf '%s\n"use strict";\nexports.WASM_BASE64 = "%s";\n' "$header" "$b64" > "$out/testing/wasm.cjs"
cp js/testing/index.js js/testing/index.d.ts "$out/testing/"
# The CommonJS wrapper is derived from the ES module, like error.cjs.
{
  echo '"use strict";'
  sed -e 's|^import { WASM_BASE64 } from "./wasm.js";|const { WASM_BASE64 } = require("./wasm.cjs");|' -e 's/^export //' js/testing/index.js
  printf '\nmodule.exports = { createTestGateway };\n'
} > "$out/testing/index.cjs"
node -e '
  const fs = require("fs");
  const file = process.argv[1];
  const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  manifest.exports["./testing"] = {
    types: "./testing/index.d.ts",
    require: "./testing/index.cjs",
    default: "./testing/index.js",
  };
  manifest.files.push("testing/index.js", "testing/index.cjs", "testing/index.d.ts", "testing/wasm.js", "testing/wasm.cjs");
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");
' "$out/package.json"
# ---- end of migo-cards/testing ------------------------------------------------

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
