// Browser entry of the Rust-driver variant (cargo feature `rust-driver`,
// src/rust_driver/): bench only, never published. bench/run.sh puts it in
// place of js/web/index.js in bench/pkg-rust*/web/. The API is the
// module's own exports; this file only loads the .wasm and hands over the
// MigoError class.
import wasmInit, * as glue from "./migo_cards.js";
import { MigoError } from "../error.js";

let ready;

/** Loads the WebAssembly module once; later calls return the same promise. */
export default function init(input) {
  if (!ready) {
    ready = wasmInit(input === undefined ? undefined : { module_or_path: input }).then(() => glue.setErrorClass(MigoError));
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready;
}

export { MigoClient, activationUrl, isValidCardNumber } from "./migo_cards.js";
export { MigoError };
