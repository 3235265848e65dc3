#!/usr/bin/env bash
# `make test`: everything, from a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

bash scripts/setup.sh

step "generated files: what restates the endpoint table (gen/)"
# Fails with the command that rewrites them: `make generate`.
cargo run --quiet -p migo-gen -- --check

step "native tests: the sans-IO core and the local gateway over HTTP"
cargo test --workspace

step "building pkg/ and the gateway"
bash scripts/build-pkg.sh
cargo build --quiet -p migo-mock

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
step "wasm tests in Node"
cargo test --target wasm32-unknown-unknown --features std --test wasm

step "wasm tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_USE_BROWSER=1 \
  cargo test --target wasm32-unknown-unknown --features std --test wasm

step "JavaScript tests: the package, its types, the example page and consumers of the packed tarball (browser tests in Chromium, Firefox and WebKit)"
# The consumer tests (tests/consumers/) each install the tarball into a fresh
# project beside a tool (Next.js, Vite, webpack, esbuild, Rollup, Jest, Bun,
# Deno, TypeScript), all from npm's one cache; they spend much of their time
# waiting on installs, builds and browsers, so three files run at a time.
# Slowest first, so the long ones start early.
mapfile -t js_tests < <(
  printf '%s\n' tests/consumers/next.test.mjs tests/consumers/typescript.test.mjs tests/consumers/browser.test.mjs
  find tests -name '*.test.mjs' -not -path '*/node_modules/*' -not -path '*/fixture/*' \
    -not -name next.test.mjs -not -name typescript.test.mjs -not -name browser.test.mjs | sort
)
NEXT_TELEMETRY_DISABLED=1 node --test --test-concurrency=3 "${js_tests[@]}"
