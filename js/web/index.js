// Browser and bundler entry. The .wasm is found next to the glue with
// `new URL(..., import.meta.url)`, which Vite and webpack 5 both follow.
import wasmInit, { MigoClient, activationUrl, isValidCardNumber, __setErrorClass } from "./migo_cards.js";
import { MigoError, guardReceiver } from "../error.js";

guardReceiver(MigoClient, ["toJSON", "toString"]);

export { MigoClient, MigoError, activationUrl, isValidCardNumber };

let ready;

/**
 * Loads the WebAssembly module once; later calls return the same promise.
 * `input` optionally overrides where the .wasm comes from (URL, Response,
 * bytes or a compiled WebAssembly.Module).
 */
export default function init(input) {
  if (!ready) {
    ready = wasmInit(input === undefined ? undefined : { module_or_path: input }).then(() => {
      __setErrorClass(MigoError);
    });
    // A failed load (offline, wrong path) may be retried by calling init again.
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready;
}
