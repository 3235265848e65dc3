// Browser and bundler entry. The wasm is inlined (./wasm.js, see
// ../load/inline.js): no asset for a bundler to emit, no request in init().
import wasmInit, * as glue from "./migo_cards.js";
import deflatedWasm from "./wasm.js";
import { inflatedWasm } from "../load/inline.js";
import { bind, MigoClient, MigoError, activationUrl, isValidCardNumber } from "../api.js";

let ready;

/**
 * Compiles and instantiates the inlined WebAssembly module once; later calls
 * return the same promise. `input` optionally supplies this package's
 * module instead: a URL, a Response, bytes or a compiled WebAssembly.Module.
 */
export function init(input) {
  if (!ready) {
    ready = Promise.resolve()
      .then(() => wasmInit({ module_or_path: input === undefined ? inflatedWasm(deflatedWasm) : input }))
      .then(() => bind(glue));
    // A failed load may be retried by calling init again.
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready;
}

export { init as default, MigoClient, MigoError, activationUrl, isValidCardNumber };
