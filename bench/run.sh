#!/usr/bin/env bash
# `make bench`: builds what the benchmarks measure, then runs them.
#   bench/pkg-release       the package exactly as `make pkg` builds it (the JS driver, js/api.js)
#   bench/pkg-rust-release  the Rust-driver variant (bench/rust-driver), shaped as the
#                           package's browser build: the wasm inlined, the JS one minified module
#   bench/pkg-bench, bench/pkg-rust-bench   both drivers with benchCall, benchMemory and the
#                           counting allocator (bench/wasm-bench, bench/rust-driver with its
#                           `bench` feature), as files, the .wasm fetched
#   bench/dist/names, bench/dist/names-rust the same with wasm function names kept (profiles)
#   target/release/migo-mock, the local gateway, built in release
# and installs esbuild into bench/node_modules. Never touches pkg/.
# Writes bench/results.json and BENCHMARKS.md. BENCH_QUICK=1: small counts,
# to check the harness (writes bench/dist/results.quick.json and
# bench/dist/BENCHMARKS.quick.md instead). BENCH_ONLY=cpu: builds only the
# package (bench/pkg-release; with BENCH_PROFILE=1 also bench/dist/names) and
# the gateway, and measures only the CPU per call with fetch stubbed (see
# cpuOnly in bench/bench.mjs; writes bench/dist/results.cpu.json).
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
start=$(date +%s)

bash scripts/setup.sh
if [ ! -x bench/node_modules/.bin/esbuild ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  step "installing esbuild into bench/node_modules"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

. scripts/wasm-opt.sh

# wasm_build OUT CRATE FEATURES js|rust [names]: the workspace crate CRATE
# with FEATURES, through wasm-bindgen (the bindings, named as the package's:
# for the JS driver in the bundler shape js/load/module.js instantiates,
# OUT/web/migo_cards_bg.js; for the Rust driver --target web,
# OUT/web/migo_cards.js; both with their snippets), then optimised as
# scripts/build-pkg.sh does (scripts/wasm-opt.sh) into
# OUT/web/migo_cards_bg.wasm. With "names", the function names are kept
# (profiles).
wasm_build() {
  local out=$1 crate=$2 features=$3 driver=$4 names=${5:-}
  local target=web
  [ "$driver" = js ] && target=bundler
  # As a cdylib alone, as scripts/build-pkg.sh builds the package: LTO runs.
  cargo rustc --quiet --release --target wasm32-unknown-unknown -p "$crate" --crate-type cdylib ${features:+--features "$features"}
  rm -rf "$out" && mkdir -p "$out/web"
  wasm-bindgen --target "$target" --no-typescript --out-name migo_cards ${names:+--keep-debug} --out-dir "$out/web" \
    "target/wasm32-unknown-unknown/release/${crate//-/_}.wasm"
  local input=$out/web/migo_cards_bg.wasm
  if [ -n "$names" ]; then
    wasm_opt_names "$input" "$input"
  else
    wasm_opt_release "$input" "$input"
  fi
}

if [ "${BENCH_ONLY:-}" = cpu ]; then
  step "building the package (bench/pkg-release)${BENCH_PROFILE:+ and the names build (bench/dist/names)}"
  PKG_OUT=bench/pkg-release bash scripts/build-pkg.sh >&2
  if [ "${BENCH_PROFILE:-}" = 1 ]; then
    wasm_build bench/dist/names migo-cards-wasm-bench "" js names
    node bench/build.mjs bench/dist/names js files
  fi
  cargo build --quiet --release -p migo-mock
  step "CPU per call, fetch stubbed (headless Chromium)"
  MIGO_MOCK_BIN="$PWD/target/release/migo-mock" node bench/bench.mjs
  exit 0
fi

step "building the package (bench/pkg-release) and the Rust-driver variant (bench/pkg-rust-release)"
PKG_OUT=bench/pkg-release bash scripts/build-pkg.sh >&2
wasm_build bench/pkg-rust-release migo-cards-rust-driver "" rust
node bench/build.mjs bench/pkg-rust-release rust inline
step "building both bench builds (bench/pkg-bench, bench/pkg-rust-bench, bench/dist/names*)"
wasm_build bench/pkg-bench migo-cards-wasm-bench "" js
node bench/build.mjs bench/pkg-bench js files
wasm_build bench/dist/names migo-cards-wasm-bench "" js names
node bench/build.mjs bench/dist/names js files
wasm_build bench/pkg-rust-bench migo-cards-rust-driver bench rust
node bench/build.mjs bench/pkg-rust-bench rust files
wasm_build bench/dist/names-rust migo-cards-rust-driver bench rust names
node bench/build.mjs bench/dist/names-rust rust files
step "building the gateway in release"
cargo build --quiet --release -p migo-mock

step "running the benchmarks (headless Chromium)"
BENCH_BUILD_SECONDS=$(( $(date +%s) - start )) MIGO_MOCK_BIN="$PWD/target/release/migo-mock" node bench/bench.mjs
step "make bench took $(( $(date +%s) - start )) s"
