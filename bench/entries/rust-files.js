// Browser entry of the Rust-driver variant's bench builds (bench/pkg-rust-bench,
// bench/dist/names-rust): files as wasm-bindgen wrote them, the .wasm fetched
// by the glue, nothing bundled, so that CPU profiles name every function and
// the page can reach the bench-only exports (benchCall, benchMemory).
import wasmInit, * as glue from "./migo_cards.js";
import { MigoError } from "../error.js";

let ready;

export default function init() {
  ready ??= wasmInit().then(() => glue.setErrorClass(MigoError));
  return ready;
}

/** The bench-only exports, once loaded. */
export const benchExports = () => glue;

export { MigoError };
export { MigoClient, activationUrl, isValidCardNumber } from "./migo_cards.js";
