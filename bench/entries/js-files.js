// Browser entry of the package's bench builds (bench/pkg-bench,
// bench/dist/names): js/api.js and the bindings (load/bindings.js) as files,
// the .wasm fetched, nothing bundled, so that CPU profiles name every
// function and the page can reach the bench-only exports (benchCall,
// benchMemory). The release build (bench/pkg-release) is the package itself.
import { instantiate } from "../load/module.js";
import { benchCall, benchMemory } from "../load/bindings.js";
import { bind, MigoClient, MigoError, activationUrl, isValidCardNumber } from "../api.js";

let ready;

export default function init() {
  ready ??= instantiate(new URL("migo_cards_bg.wasm", import.meta.url)).then(() => bind());
  return ready;
}

/** The bench-only exports (benchCall, benchMemory), once loaded. */
export const benchExports = () => ({ benchCall: (name, n) => benchCall(name, n) >>> 0, benchMemory });

export { MigoClient, MigoError, activationUrl, isValidCardNumber };
