// Instantiates the module into its generated bindings (./bindings.js,
// written by wasm-bindgen from bindings/src/exports.rs and staged here by
// scripts/build-pkg-js.mjs): synchronously for the node build, from what
// `init(input)` accepts for the browser build.
import * as bindings from "./bindings.js";

/** The import object: the bindings, under each module name the wasm imports from. */
function importsOf(module) {
  return Object.fromEntries(WebAssembly.Module.imports(module).map((i) => [i.module, bindings]));
}

/** Hands the instance's exports to the bindings and runs the module's start. */
function start(instance) {
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
}

/**
 * Starts the module's JavaScript build (web/core.js or node/core.cjs, made
 * by binaryen's wasm2js) in place of the wasm, where WebAssembly is missing.
 */
export function instantiateJs(core) {
  start({ exports: core.instantiate(bindings) });
}

/** Instantiates compiled or raw module bytes synchronously (the node, Workers and edge builds). */
export function instantiateSync(source) {
  // Not `instanceof WebAssembly.Module`: Next.js's edge sandbox hands over a module of another realm.
  const bytes = ArrayBuffer.isView(source) || source instanceof ArrayBuffer;
  const module = bytes ? new WebAssembly.Module(source) : source;
  start(new WebAssembly.Instance(module, importsOf(module)));
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
  const module = is(WebAssembly.Module) ? source : await WebAssembly.compile(source);
  start(await WebAssembly.instantiate(module, importsOf(module)));
}
