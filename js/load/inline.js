// The wasm travels inside the JavaScript: no file for a bundler to copy or a
// server to find. Deflated, then base64: its gzip is smaller than the bare
// module's, where base64 alone would cost about a third more (make size).
import { configError } from "../error.js";

/** The bytes of a base64 string (`Uint8Array.fromBase64` where there is one, else `atob`). */
export function fromBase64(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A Response streaming the inflated module, for `instantiateStreaming` to
 * compile as it inflates. Throws a MigoError (config, field "init") where
 * there is no DecompressionStream.
 */
export function inflatedWasm(deflatedBase64) {
  if (typeof DecompressionStream !== "function") {
    throw configError(
      "init",
      "migo-cards: no DecompressionStream here to unpack the browser build's WebAssembly; " +
        'the node build (export condition "node") needs none',
    );
  }
  // A stream of the bytes in memory (a Blob's stream is read through the
  // browser process: slower); a Response's body compiled as fast as a
  // ReadableStream of our own in Chromium 156 (2.1 against 2.2 ms, median of 60).
  const deflated = new Response(fromBase64(deflatedBase64)).body;
  return new Response(deflated.pipeThrough(new DecompressionStream("deflate-raw")), { headers: { "content-type": "application/wasm" } });
}
