// Browser entry of the package's bench builds (bench/pkg-bench,
// bench/dist/names): js/api.js and the glue (js/load/glue.js) as files, the
// .wasm fetched, nothing bundled, so that CPU profiles name every function
// and the page can reach the bench-only exports (benchCall, benchMemory).
// The release build (bench/pkg-release) is the package itself.
import { instantiate, benchExports as over } from "../load/glue.js";
import { bind, MigoClient, MigoError, activationUrl, isValidCardNumber } from "../api.js";

let ready;
let bench;

export default function init() {
  ready ??= instantiate(new URL("migo_cards_bg.wasm", import.meta.url)).then((a) => {
    bench = over(a);
    bind(a);
  });
  return ready;
}

/** The bench-only exports (benchCall, benchMemory), once loaded. */
export const benchExports = () => bench;

export { MigoClient, MigoError, activationUrl, isValidCardNumber };
