// Loads the module into its generated bindings (./bindings.js, written by
// wasm-bindgen from src/wasm/mod.rs and staged here by
// scripts/build-pkg-js.mjs): synchronously for the node build, from what
// `init(input)` accepts for the browser build.
import initBindings, { initSync } from "./bindings.js";

/** Instantiates compiled or raw module bytes synchronously (the node build). */
export function instantiateSync(module) {
  initSync({ module });
}

/**
 * Instantiates the module from what `init(input)` accepts: a compiled
 * WebAssembly.Module, bytes (ArrayBuffer or a typed array), a Response, or
 * a URL (string, URL or Request, fetched); a promise of any of these too.
 */
export async function instantiate(input) {
  let source = await input;
  const is = (type) => typeof type === "function" && source instanceof type;
  if (typeof source === "string" || is(globalThis.URL) || is(globalThis.Request)) source = await fetch(source);
  if (is(globalThis.Response)) {
    if (!source.ok) throw new Error(`migo-cards: fetching the module failed: ${source.status} ${source.statusText}`);
    source = await source.arrayBuffer();
  }
  await initBindings({ module_or_path: source });
}
