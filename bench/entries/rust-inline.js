// Browser entry of the Rust-driver variant's release build (bench/rust-driver;
// bench only, never published), loading its
// wasm exactly as the package's js/web/index.js loads the package's: inlined
// (./wasm.js, deflate-raw and base64, see js/load/inline.js), compiling from
// the moment the entry is imported, instantiated by init(). bench/build.mjs
// bundles and minifies it with the glue, the loader and MigoError, as
// scripts/build-pkg-js.mjs does the package. The API is the module's own
// exports; this file only loads the wasm and hands over the MigoError class.
import wasmInit, * as glue from "./migo_cards.js";
import deflatedWasm from "./wasm.js";
import { inflatedWasm } from "../load/inline.js";
import { MigoError } from "../error.js";

function compileInlined() {
  const compiling = Promise.resolve().then(() => {
    const response = inflatedWasm(deflatedWasm);
    return typeof WebAssembly.compileStreaming === "function"
      ? WebAssembly.compileStreaming(response)
      : response.arrayBuffer().then((bytes) => WebAssembly.compile(bytes));
  });
  compiling.catch(() => {});
  return compiling;
}

let compiled = compileInlined();
let ready;

/** Instantiates the WebAssembly module once; later calls return the same promise. */
export function init(input) {
  if (!ready) {
    const module = input === undefined ? compiled : input;
    ready = Promise.resolve(module)
      .then((m) => wasmInit({ module_or_path: m }))
      .then(() => glue.setErrorClass(MigoError));
    ready.catch(() => {
      ready = undefined;
      if (input === undefined) compiled = compileInlined();
    });
  }
  return ready;
}

export { init as default, MigoError };
export { MigoClient, activationUrl, isValidCardNumber } from "./migo_cards.js";
