// Browser and bundler entry. The .wasm is found next to the glue with
// `new URL(..., import.meta.url)`, which Vite and webpack 5 both follow.
import wasmInit, * as glue from "./migo_cards.js";
import { bind, MigoClient, MigoError, activationUrl, isValidCardNumber } from "../api.js";

let ready;

/**
 * Loads the WebAssembly module once; later calls return the same promise.
 * `input` optionally overrides where the .wasm comes from (URL, Response,
 * bytes or a compiled WebAssembly.Module).
 */
export default function init(input) {
  if (!ready) {
    ready = wasmInit(input === undefined ? undefined : { module_or_path: input }).then(() => bind(glue));
    // A failed load (offline, wrong path) may be retried by calling init again.
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready;
}

export { MigoClient, MigoError, activationUrl, isValidCardNumber };
