// The browser build's wasm arrives inside its JavaScript (web/wasm.js) as
// base64 of its deflate-raw compression: no file for a bundler to copy or a
// server to find, and no request in init(). Deflated first because gzip -9
// of the result is 1.006 x the gzip of the bare .wasm, where plain base64
// costs 1.28 x (measured on a 106.6 KB module).
import { MigoError } from "../error.js";

/**
 * The bytes of a base64 string: `Uint8Array.fromBase64` where the engine
 * has it, otherwise `atob` (every browser, Node >= 16, Bun, Deno, jsdom).
 */
export function fromBase64(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A Response that streams the inflated module, so that
 * `WebAssembly.instantiateStreaming` compiles while it inflates. Throws a
 * MigoError (config, field "init") where the engine lacks
 * DecompressionStream.
 */
export function inflatedWasm(deflatedBase64) {
  if (typeof DecompressionStream !== "function") {
    throw new MigoError(
      "this environment has no DecompressionStream, which the browser build of migo-cards needs to unpack its WebAssembly " +
        "(browsers have it since 2023; the package's node build, chosen by the \"node\" export condition, needs none)",
      { kind: "config", field: "init", attempts: 0, retryable: false, outcome: "notSent" },
    );
  }
  const body = new Blob([fromBase64(deflatedBase64)]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Response(body, { headers: { "content-type": "application/wasm" } });
}
