// UTF-8 for the generated bindings (load/bindings.js) of the node build
// where the global TextDecoder/TextEncoder are missing (Jest's jsdom
// environment): esbuild injects these in place of the globals, so such a
// test suite needs no setup of its own.
const G = globalThis;

class Utf8Decoder {
  decode(bytes) {
    if (!bytes) return "";
    let out = "";
    for (let i = 0; i < bytes.length; ) {
      let c = bytes[i++];
      if (c >= 0x80) {
        // Rust hands over valid UTF-8 only: a lead byte and 1-3 continuations.
        const more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
        c &= 0x3f >> more;
        for (let k = 0; k < more; k++) c = (c << 6) | (bytes[i++] & 0x3f);
      }
      out += String.fromCodePoint(c);
    }
    return out;
  }
}

class Utf8Encoder {
  encode(text = "") {
    const out = [];
    for (const ch of String(text)) {
      let c = ch.codePointAt(0);
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate, as TextEncoder does
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    }
    return new Uint8Array(out);
  }

  encodeInto(text, into) {
    const bytes = this.encode(text);
    const n = Math.min(bytes.length, into.length);
    into.set(bytes.subarray(0, n));
    return { read: String(text).length, written: n };
  }
}

export const TextDecoder = typeof G.TextDecoder === "function" ? G.TextDecoder : Utf8Decoder;
export const TextEncoder = typeof G.TextEncoder === "function" ? G.TextEncoder : Utf8Encoder;
