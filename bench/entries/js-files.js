// Browser entry of the package's bench builds (bench/pkg-bench,
// bench/dist/names): js/api.js and the glue as files, the .wasm fetched by
// the glue, nothing bundled, so that CPU profiles name every function and
// the page can reach the bench-only exports (benchCall, benchMemory). The
// release build (bench/pkg-release) is the package itself.
import wasmInit, * as glue from "./migo_cards.js";
import { bind, MigoClient, MigoError, activationUrl, isValidCardNumber } from "../api.js";

let ready;

export default function init() {
  ready ??= wasmInit().then(() => bind(glue));
  return ready;
}

export { MigoClient, MigoError, activationUrl, isValidCardNumber };
