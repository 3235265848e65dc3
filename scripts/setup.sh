#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is already there:
# the wasm target, wasm-bindgen-cli at the Cargo.lock version, Debian's
# chromium and chromedriver, firefox-esr, WebKitGTK's WebKitWebDriver and Xvfb
# for it, and the JS tools (binaryen's wasm-opt, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

[ -f Cargo.lock ] || cargo generate-lockfile
wb_version=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p' | head -n1)
if ! wasm-bindgen --version 2>/dev/null | grep -qF "$wb_version" || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $wb_version (about 2 minutes)"
  # No --locked: the registry mirror can lag behind the tool's own lockfile.
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
# WebKitGTK's MiniBrowser needs a display; the tests give it an Xvfb of its own.
command -v Xvfb >/dev/null || missing+=(xvfb)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from apt"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules/.bin ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing the JS tools (binaryen, typescript, playwright-core, puppeteer-core, selenium-webdriver)"
  npm ci --no-audit --no-fund --loglevel=error
fi
