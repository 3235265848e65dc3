// The node build's source, bundled by scripts/build-pkg.sh into one
// self-contained CommonJS file (node/index.cjs) with the wasm inlined as
// base64: nothing is read from disk, so it keeps working once Next.js,
// esbuild or any other tool has bundled it, and it needs no Node built-in,
// so Jest's jsdom environment and a browser bundler's `require` can load it
// too. The module is compiled synchronously on import: no init() needed.
import { instantiateSync, instantiateJs } from "../load/module.js";
import wasmBase64 from "./wasm-base64.js";
import { fromBase64 } from "../load/inline.js";
import { bind, noWebAssembly, unavailable, MigoClient, MigoError, activationUrl, isValidCardNumber } from "../api.js";

let ready; // the JavaScript build loading, where the engine has no WebAssembly

if (!noWebAssembly()) {
  instantiateSync(fromBase64(wasmBase64));
  bind();
}

/** Starts the JavaScript build (node/core.cjs) once, from what `load` returns; errors become the MigoError every entry throws. */
function startJs(load) {
  ready ??= Promise.resolve()
    .then(load)
    .then((core) => {
      instantiateJs(core.instantiate ? core : core.default);
      bind();
    })
    .catch((e) => {
      throw unavailable(e);
    });
  ready.catch(() => {}); // reported by init() and by every entry point
  return ready;
}

/**
 * Where the engine has no WebAssembly, node/index.mjs hands over the
 * JavaScript build it has required synchronously, so that an import needs
 * no init() there either; a symbol, as it is no part of the API.
 */
Object.defineProperty(init, Symbol.for("migo-cards.startJs"), {
  value(load) {
    if (ready) return;
    try {
      instantiateJs(load());
      bind();
      ready = Promise.resolve();
    } catch (e) {
      startJs(() => Promise.reject(e));
    }
  },
});

/**
 * A no-op where the module loaded on import; without WebAssembly, loads the
 * module's JavaScript build (node/core.cjs) and rejects with a MigoError
 * naming WebAssembly if it cannot.
 */
export async function init() {
  if (noWebAssembly()) return startJs(() => import("./core.cjs"));
}

export { init as default, MigoClient, MigoError, activationUrl, isValidCardNumber };
