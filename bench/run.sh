#!/usr/bin/env bash
# `make bench`: builds what the benchmarks measure, then runs them.
#   bench/pkg-release       the package exactly as `make pkg` builds it (JS driver, js/api.js)
#   bench/pkg-rust-release  the Rust-driver variant (cargo feature rust-driver), same layout,
#                           its entry bench/rust-driver/index.js in place of js/web/index.js
#   bench/pkg-bench, bench/pkg-rust-bench   the same two with the `bench` feature
#                           (benchCall, benchMemory, a counting allocator)
#   bench/dist/names, bench/dist/names-rust the bench builds with wasm function names kept
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

wasm=target/wasm32-unknown-unknown/release/migo_cards.wasm
wasm_opt_features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"

# The Rust-driver variant's package: its own entry, and none of the JS
# driver's files (the Node build needs js/api.js, so it goes too).
rust_entry() {
  cp bench/rust-driver/index.js "$1/web/index.js"
  rm -rf "$1/api.js" "$1/api.cjs" "$1/node"
}

# The build just made, again with its function names kept (wasm-opt -g), so
# the CPU profiles name the Rust functions. Taken from target/ at once:
# the next build replaces the file.
names() {
  local out=$1 entry=$2
  rm -rf "$out" && mkdir -p "$out/web"
  wasm-bindgen --target web --keep-debug --out-dir "$out/web" "$wasm"
  # shellcheck disable=SC2086
  node_modules/.bin/wasm-opt -Oz -g $wasm_opt_features "$out/web/migo_cards_bg.wasm" -o "$out/web/migo_cards_bg.wasm"
  cp "$entry" "$out/web/index.js"
  cp js/error.js js/api.js "$out/"
}

step "building the package (bench/pkg-release) and the Rust-driver variant (bench/pkg-rust-release)"
PKG_OUT=bench/pkg-release bash scripts/build-pkg.sh >&2
PKG_OUT=bench/pkg-rust-release CARGO_FEATURES=rust-driver bash scripts/build-pkg.sh >&2
rust_entry bench/pkg-rust-release
step "building both with the bench feature (bench/pkg-bench, bench/pkg-rust-bench, bench/dist/names*)"
PKG_OUT=bench/pkg-bench CARGO_FEATURES=bench bash scripts/build-pkg.sh >&2
names bench/dist/names js/web/index.js
PKG_OUT=bench/pkg-rust-bench CARGO_FEATURES=rust-driver,bench bash scripts/build-pkg.sh >&2
rust_entry bench/pkg-rust-bench
names bench/dist/names-rust bench/rust-driver/index.js
step "building the gateway in release"
cargo build --quiet --release -p migo-mock

step "running the benchmarks (headless Chromium)"
BENCH_BUILD_SECONDS=$(( $(date +%s) - start )) MIGO_MOCK_BIN="$PWD/target/release/migo-mock" node bench/bench.mjs
step "make bench took $(( $(date +%s) - start )) s"
