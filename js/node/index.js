// The node build's source, bundled by scripts/build-pkg.sh into one
// self-contained CommonJS file (node/index.cjs) with the wasm inlined as
// base64: nothing is read from disk, so it keeps working once Next.js,
// esbuild or any other tool has bundled it, and it needs no Node built-in,
// so Jest's jsdom environment and a browser bundler's `require` can load it
// too. The module is compiled synchronously on import: no init() needed.
import { instantiateSync } from "../load/module.js";
import wasmBase64 from "./wasm-base64.js";
import { fromBase64 } from "../load/inline.js";
import { bind, noWebAssembly, MigoClient, MigoError, activationUrl, isValidCardNumber } from "../api.js";

// Without WebAssembly every entry point throws a MigoError saying so; importing still works.
const missing = noWebAssembly();
if (!missing) {
  instantiateSync(fromBase64(wasmBase64));
  bind();
}

/** A no-op: the module is ready once imported (rejects where the engine has no WebAssembly). */
export async function init() {
  if (missing) throw missing;
}

export { init as default, MigoClient, MigoError, activationUrl, isValidCardNumber };
