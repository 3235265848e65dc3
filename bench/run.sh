#!/usr/bin/env bash
# `make bench`: builds what the benchmarks measure, then runs them.
#   bench/pkg-release  the package exactly as `make pkg` builds it (sizes, start-up, calls)
#   bench/pkg          the same with the `bench` cargo feature (benchPlan, benchMemory)
#   target/release/migo-mock, the local gateway, built in release
# and installs esbuild into bench/node_modules. Never touches pkg/.
# Writes bench/results.json and BENCHMARKS.md. BENCH_QUICK=1: small counts,
# to check the harness (writes bench/dist/results.quick.json and
# bench/dist/BENCHMARKS.quick.md instead).
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
start=$(date +%s)

bash scripts/setup.sh
if [ ! -x bench/node_modules/.bin/esbuild ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  step "installing esbuild into bench/node_modules"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

step "building the release package (bench/pkg-release) and the bench variant (bench/pkg)"
PKG_OUT=bench/pkg-release bash scripts/build-pkg.sh >&2
PKG_OUT=bench/pkg CARGO_FEATURES=bench bash scripts/build-pkg.sh >&2
# The bench variant again, with its function names kept (wasm-opt -g), so the
# CPU profiles name the Rust functions. Used for profiles only; taken from the
# build above at once (another build in this tree would replace the file).
names=bench/dist/names
rm -rf "$names" && mkdir -p "$names/web"
wasm-bindgen --target web --keep-debug --out-dir "$names/web" target/wasm32-unknown-unknown/release/migo_cards.wasm
node_modules/.bin/wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$names/web/migo_cards_bg.wasm" -o "$names/web/migo_cards_bg.wasm"
cp js/web/index.js "$names/web/" && cp js/error.js "$names/"
step "building the gateway in release"
cargo build --quiet --release -p migo-mock

step "running the benchmarks (headless Chromium)"
BENCH_BUILD_SECONDS=$(( $(date +%s) - start )) MIGO_MOCK_BIN="$PWD/target/release/migo-mock" node bench/bench.mjs
step "make bench took $(( $(date +%s) - start )) s"
