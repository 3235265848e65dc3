// Entry of Cloudflare Workers and edge runtimes (export conditions "workerd"
// and "edge-light"): they compile no WebAssembly from bytes, so the module
// is a file beside this one that their bundler (wrangler's, Next.js's)
// imports compiled. It is instantiated synchronously on import, as the node
// build's: nothing asynchronous at global scope, no init() needed.
import wasmModule from "./migo_cards.wasm?module";
import { instantiateSync } from "../load/module.js";
import { bind, MigoClient, MigoError, activationUrl, isValidCardNumber } from "../api.js";

instantiateSync(wasmModule);
bind();

/** A no-op: the module is ready once imported. */
export async function init() {}

export { init as default, MigoClient, MigoError, activationUrl, isValidCardNumber };
