// Browser and bundler entry. The wasm is inlined (./wasm.js, see
// ../load/inline.js): no asset for a bundler to emit, no request in init().
import { instantiate } from "../load/module.js";
import deflatedWasm from "./wasm.js";
import { inflatedWasm } from "../load/inline.js";
import { bind, constructBeforeLoad, noWebAssembly, MigoClient, MigoError, activationUrl, isValidCardNumber } from "../api.js";

/**
 * The inlined module, compiling. It starts when this file is imported, so
 * that inflating and compiling (most of init's time) overlap the page's own
 * start-up; a failure surfaces in init(), which may then try again.
 */
function compileInlined() {
  // compileStreaming is in every engine with DecompressionStream's deflate-raw.
  const compiling = Promise.resolve().then(() => {
    const missing = noWebAssembly();
    if (missing) throw missing;
    return WebAssembly.compileStreaming(inflatedWasm(deflatedWasm));
  });
  compiling.catch(() => {}); // reported by init(), not as an unhandled rejection
  return compiling;
}

let compiled = compileInlined();
let ready;
// A client may be constructed before init() (a test's beforeEach, a module's
// top level): it calls init() itself. MIGO_NAMES is written in by the build.
constructBeforeLoad(init, MIGO_NAMES);

/**
 * Instantiates the WebAssembly module once; later calls return the same
 * promise. `input` optionally supplies this package's module instead: a
 * URL (string, URL or Request), a Response, bytes or a compiled
 * WebAssembly.Module.
 */
export function init(input) {
  const missing = noWebAssembly();
  if (missing) return Promise.reject(missing);
  if (!ready) {
    const module = input === undefined ? (compiled ??= compileInlined()) : input;
    ready = instantiate(module).then(() => bind());
    // A failed load may be retried by calling init again.
    ready.catch(() => {
      ready = undefined;
      // Compiled again only when init is called again (a CSP refusal is reported once).
      if (input === undefined) compiled = undefined;
    });
  }
  return ready;
}

export { init as default, MigoClient, MigoError, activationUrl, isValidCardNumber };
