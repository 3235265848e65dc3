// The node build's source, bundled by scripts/build-pkg.sh into one
// self-contained CommonJS file (node/index.cjs) with the wasm inlined as
// base64: nothing is read from disk, so it keeps working once Next.js,
// esbuild or any other tool has bundled it, and it needs no Node built-in,
// so Jest's jsdom environment and a browser bundler's `require` can load it
// too. The module is compiled synchronously on first use: no init() needed.
import * as wasm from "../web/migo_cards.js";
import wasmBase64 from "./wasm-base64.js";
import { fromBase64 } from "../load/inline.js";
import { MigoError, guardReceiver } from "../error.js";

guardReceiver(wasm.MigoClient, ["toJSON", "toString"]);

let loaded = false;

/** Compiles and instantiates the inlined module, once (about 3 ms for 107 KB). */
function load() {
  if (!loaded) {
    wasm.initSync({ module: fromBase64(wasmBase64) });
    wasm.__setErrorClass(MigoError);
    loaded = true;
  }
}

/** Loads the module now rather than on first use; never needed here. */
export async function init() {
  load();
}

export class MigoClient extends wasm.MigoClient {
  constructor(options) {
    load();
    super(options);
  }
}

export function activationUrl(options) {
  load();
  return wasm.activationUrl(options);
}

export function isValidCardNumber(card) {
  load();
  return wasm.isValidCardNumber(card);
}

export { MigoError, init as default };
