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
