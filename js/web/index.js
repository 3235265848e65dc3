// Browser and bundler entry. The wasm is inlined (./wasm.js, see
// ../load/inline.js): no asset for a bundler to emit, no request in init().
import { instantiate, instantiateJs } from "../load/module.js";
import deflatedWasm from "./wasm.js";
import { inflatedWasm } from "../load/inline.js";
import { bind, constructBeforeLoad, noWebAssembly, unavailable, MigoClient, MigoError, activationUrl, isValidCardNumber } from "../api.js";

/**
 * The inlined module, compiling. It starts when this file is imported, so
 * that inflating and compiling (most of init's time) overlap the page's own
 * start-up; a failure surfaces in init(), which may then try again.
 */
function compileInlined() {
  // compileStreaming is in every engine with DecompressionStream's deflate-raw.
  const compiling = Promise.resolve().then(() => WebAssembly.compileStreaming(inflatedWasm(deflatedWasm)));
  compiling.catch(() => {}); // reported by init(), not as an unhandled rejection
  return compiling;
}

// Without WebAssembly nothing compiles: init() loads the JavaScript build.
let compiled = noWebAssembly() ? undefined : compileInlined();
let ready;
// A client may be constructed before init() (a test's beforeEach, a module's
// top level): it calls init() itself. MIGO_NAMES is written in by the build.
constructBeforeLoad(init, MIGO_NAMES);

/**
 * The module's JavaScript build (./core.js, made by wasm2js), for engines
 * without WebAssembly: a file of its own, so that it is fetched only there.
 */
function loadJs() {
  return import("./core.js")
    .then(instantiateJs)
    .catch((e) => {
      throw unavailable(e);
    });
}

/**
 * Instantiates the WebAssembly module once; later calls return the same
 * promise. `input` optionally supplies this package's module instead: a
 * URL (string, URL or Request), a Response, bytes or a compiled
 * WebAssembly.Module. Where the engine has no WebAssembly, it loads the
 * module's JavaScript build instead (and `input` is not read).
 */
export function init(input) {
  if (!ready && noWebAssembly()) {
    ready = loadJs().then(() => bind());
    ready.catch(() => (ready = undefined));
  } else if (!ready) {
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
