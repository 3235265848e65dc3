#!/usr/bin/env bash
# Builds migo-cards/testing, the in-process test gateway, into OUT/testing/
# (called by scripts/build-pkg.sh with the package folder being built). Its
# own module, never loaded by the production entries (`make size` is
# unchanged): the gateway model (mock/model) behind its wasm-bindgen skin
# (mock/wasm), the generated glue bundled with the wrapper (js/testing) into
# an ES module and a CommonJS file, each beside the wasm as base64, so no
# loader has to find a .wasm file at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: build-pkg-testing.sh OUT}
. scripts/wasm-opt.sh

# The glue must come from the CLI of the version the module links.
want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p' | head -n1)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')
if [ "$have" != "$want" ]; then
  echo "build-pkg-testing: wasm-bindgen CLI ${have:-missing}, Cargo.lock has $want: run scripts/setup.sh" >&2
  exit 1
fi

cargo build --quiet --release --target wasm32-unknown-unknown -p migo-gateway-wasm
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/testing"
cp js/testing/index.js js/testing/operations.js "$stage/testing/"
cp js/error.js "$stage/"
wasm-bindgen --target web --no-typescript --out-dir "$stage/testing/glue" \
  target/wasm32-unknown-unknown/release/migo_gateway_wasm.wasm
# shellcheck disable=SC2086
"$wasm_opt" -Oz --converge $wasm_opt_features --strip-debug --strip-producers \
  "$stage/testing/glue/migo_gateway_wasm_bg.wasm" -o "$stage/gateway.wasm"

# The gateway's JavaScript build, for engines without WebAssembly (loaded
# only there): wasm2js cannot express externref, so the gateway is built a
# second time without reference types (and multi-value), where wasm-bindgen
# writes glue that keeps JS values in a JS array; its own target dir keeps
# the first build's cache.
CARGO_TARGET_DIR=target/no-reftypes RUSTFLAGS="-C target-feature=-reference-types,-multivalue" \
  cargo build --quiet --release --target wasm32-unknown-unknown -p migo-gateway-wasm
# std comes built with reference types listed among its features; the code
# uses none, and without the list wasm-bindgen takes the module as it is.
mvp_features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals"
# shellcheck disable=SC2086
"$wasm_opt" $mvp_features --strip-target-features \
  target/no-reftypes/wasm32-unknown-unknown/release/migo_gateway_wasm.wasm -o "$stage/no-reftypes.wasm"
wasm-bindgen --target bundler --no-typescript --out-dir "$stage/js" --out-name glue "$stage/no-reftypes.wasm"
# shellcheck disable=SC2086
"$wasm_opt" -Oz --converge $mvp_features --strip-debug --strip-producers "$stage/js/glue_bg.wasm" -o "$stage/js/gateway.wasm"
node scripts/build-js-core.mjs "$stage/js/gateway.wasm" "$stage/js/asm.js" "$stage/js/asm.cjs"
cat > "$stage/js/shim.js" <<'JS'
// The JavaScript build's stand-in for the wasm glue: the same Gateway class, over the wasm2js module.
import * as glue from "./glue_bg.js";
import { instantiate } from "./asm.js";

export const Gateway = glue.Gateway;

export function initSync() {
  const exports = instantiate(glue);
  glue.__wbg_set_wasm(exports);
  exports.__wbindgen_start?.();
}
JS

mkdir -p "$out/testing"
b64=$(base64 -w0 "$stage/gateway.wasm")
header="// The test gateway's WebAssembly module (mock/wasm, built by scripts/build-pkg-testing.sh), base64."
printf '%s\nexport const GATEWAY_WASM = "%s";\n' "$header" "$b64" > "$out/testing/wasm.js"
printf '%s\n"use strict";\nexports.GATEWAY_WASM = "%s";\n' "$header" "$b64" > "$out/testing/wasm.cjs"
# Workers and edge runtimes compile no bytes: their bundler compiles the file.
cp "$stage/gateway.wasm" "$out/testing/gateway.wasm"
printf '%s\n%s\n' "// The test gateway's WebAssembly module, imported compiled (Workers and edge runtimes)." \
  'export { default as GATEWAY_WASM } from "./gateway.wasm?module";' > "$out/testing/wasm-module.js"
cp js/testing/index.d.ts js/testing/node.mjs "$out/testing/"
# The operations list on its own too, for the bench's plain client (no gateway module with it).
cp js/testing/operations.js "$out/testing/"

# The wrapper and the glue, once per module format; js/load/text.js stands
# in for TextEncoder and TextDecoder where the environment has none.
node --input-type=module - "$stage" "$out/testing" <<'JS'
import path from "node:path";
import { build } from "esbuild";

const [stage, dest] = process.argv.slice(2);
const common = {
  entryPoints: [path.join(stage, "testing", "index.js")],
  bundle: true,
  platform: "neutral",
  target: "es2022",
  // Classes keep their names (an answer's constructor is TestResponse where there is no Response).
  keepNames: true,
  inject: [path.resolve("js/load/text.js")],
  legalComments: "none",
  logLevel: "warning",
  banner: { js: "// migo-cards/testing: the test gateway (js/testing/index.js and the wasm-bindgen glue of mock/wasm)." },
};
const wasmBuild = { ...common, define: { MIGO_JS_BUILD: "false" } };
await build({ ...wasmBuild, format: "esm", outfile: path.join(dest, "index.js"), external: ["./wasm.js"] });
// Workers and edge runtimes: the same, reading the compiled module instead.
const toModule = {
  name: "wasm-module",
  setup(b) {
    b.onResolve({ filter: /^\.\/wasm\.js$/ }, () => ({ path: "./wasm-module.js", external: true }));
  },
};
await build({ ...wasmBuild, format: "esm", outfile: path.join(dest, "edge.js"), plugins: [toModule] });
// The CommonJS file reads the CommonJS copy of the wasm.
const toCjs = {
  name: "wasm-cjs",
  setup(b) {
    b.onResolve({ filter: /^\.\/wasm\.js$/ }, () => ({ path: "./wasm.cjs", external: true }));
  },
};
// The glue's async init reads import.meta.url; unused, it is left out of both files.
const quiet = { "empty-import-meta": "silent" };
// Without WebAssembly the CommonJS file requires the JavaScript build, at the first createTestGateway().
const footer = {
  js: 'if (typeof WebAssembly === "undefined") module.exports.createTestGateway[Symbol.for("migo-cards.startJs")](() => require("./core.cjs"));',
};
await build({ ...wasmBuild, format: "cjs", outfile: path.join(dest, "index.cjs"), plugins: [toCjs], logOverride: quiet, footer });

// The JavaScript build (core.js, core.cjs): the same wrapper over the
// wasm2js module and its glue (js/shim.js), without the wasm.
const jsGlue = {
  name: "js-glue",
  setup(b) {
    b.onResolve({ filter: /^\.\/glue\/migo_gateway_wasm\.js$/ }, () => ({ path: path.join(stage, "js", "shim.js") }));
    b.onResolve({ filter: /^\.\/wasm\.js$/ }, () => ({ path: "wasm", namespace: "no-wasm" }));
    b.onLoad({ filter: /.*/, namespace: "no-wasm" }, () => ({ contents: 'export const GATEWAY_WASM = "";' }));
  },
};
const jsBuild = {
  ...common,
  define: { MIGO_JS_BUILD: "true" },
  minify: true,
  plugins: [jsGlue],
  logOverride: quiet,
  banner: { js: "// migo-cards/testing, JavaScript build: the test gateway over its wasm2js module, for engines without WebAssembly." },
};
await build({ ...jsBuild, format: "esm", outfile: path.join(dest, "core.js") });
await build({ ...jsBuild, format: "cjs", outfile: path.join(dest, "core.cjs") });
JS

node -e '
  const fs = require("fs");
  const file = process.argv[1];
  const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  manifest.exports["./testing"] = {
    types: "./testing/index.d.ts",
    workerd: { types: "./testing/index.d.ts", default: "./testing/edge.js" },
    "edge-light": { types: "./testing/index.d.ts", default: "./testing/edge.js" },
    "react-native": { types: "./testing/index.d.ts", default: "./testing/core.js" },
    require: "./testing/index.cjs",
    node: { types: "./testing/index.d.ts", default: "./testing/node.mjs" },
    default: "./testing/index.js",
  };
  manifest.files.push("testing/index.js", "testing/index.cjs", "testing/index.d.ts", "testing/wasm.js", "testing/wasm.cjs", "testing/operations.js", "testing/edge.js", "testing/wasm-module.js", "testing/gateway.wasm", "testing/node.mjs", "testing/core.js", "testing/core.cjs");
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");
' "$out/package.json"
