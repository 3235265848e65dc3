#!/usr/bin/env bash
# `make test`: everything, from a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

bash scripts/setup.sh

step "native tests: the sans-IO core and the local gateway over HTTP"
cargo test --workspace

step "building pkg/ and the gateway"
bash scripts/build-pkg.sh
cargo build --quiet -p migo-mock

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
step "wasm tests in Node"
cargo test --target wasm32-unknown-unknown --test wasm

step "wasm tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_USE_BROWSER=1 \
  cargo test --target wasm32-unknown-unknown --test wasm

step "JavaScript tests of the package"
mapfile -t js_tests < <(find tests -name '*.test.mjs' -not -path '*/node_modules/*' | sort)
node --test "${js_tests[@]}"
