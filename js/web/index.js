// Browser and bundler entry. The wasm is inlined (./wasm.js, see
// ../load/inline.js): no asset for a bundler to emit, no request in init().
import wasmInit, * as wasm from "./migo_cards.js";
import deflatedWasm from "./wasm.js";
import { inflatedWasm } from "../load/inline.js";
import { MigoError, guardReceiver } from "../error.js";

guardReceiver(wasm.MigoClient, ["toJSON", "toString"]);

let ready;
let loaded = false;

/**
 * Compiles and instantiates the inlined WebAssembly module once; later calls
 * return the same promise. `input` optionally supplies this package's
 * module instead: a URL, a Response, bytes or a compiled WebAssembly.Module.
 */
export default function init(input) {
  if (!ready) {
    ready = Promise.resolve()
      .then(() => wasmInit({ module_or_path: input === undefined ? inflatedWasm(deflatedWasm) : input }))
      .then(() => {
        wasm.__setErrorClass(MigoError);
        loaded = true;
      });
    // A failed load (offline, wrong path) may be retried by calling init again.
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready;
}

// Before `init()` has finished, the glue would fail with a TypeError from
// inside wasm-bindgen; say what to do instead.
function requireLoaded() {
  if (!loaded) {
    throw new MigoError("migo-cards is not loaded yet: call `await init()` first", {
      kind: "config",
      field: "init",
      attempts: 0,
      retryable: false,
      outcome: "notSent",
    });
  }
}

export class MigoClient extends wasm.MigoClient {
  constructor(options) {
    requireLoaded();
    super(options);
  }
}

export function activationUrl(options) {
  requireLoaded();
  return wasm.activationUrl(options);
}

export function isValidCardNumber(card) {
  requireLoaded();
  return wasm.isValidCardNumber(card);
}

export { MigoError };
