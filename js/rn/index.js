// React Native entry (export condition "react-native"): Hermes has no
// WebAssembly, so this build runs the module's JavaScript build (web/core.js,
// made by binaryen's wasm2js from the same wasm), started on import: no
// init() needed, as with the node build.
import * as core from "../web/core.js";
import { instantiateJs } from "../load/module.js";
import { bind, unavailable, MigoClient, MigoError, activationUrl, isValidCardNumber } from "../api.js";

let failed;
try {
  instantiateJs(core);
  bind();
} catch (e) {
  failed = unavailable(e);
}

/** A no-op: the module is ready once imported (rejects if it could not start). */
export async function init() {
  if (failed) throw failed;
}

export { init as default, MigoClient, MigoError, activationUrl, isValidCardNumber };
