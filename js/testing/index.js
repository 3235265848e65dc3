// migo-cards/testing: the gateway's card lifecycle in-process, for the tests
// of apps that use the SDK. The gateway model (the same Rust code as the
// local gateway migo-mock) runs in its own small WebAssembly module,
// embedded below as base64 so that no file has to be found at run time:
// Vitest, Jest (node and jsdom), Node's test runner, bundlers and plain
// pages all load it the same way. The production entry never imports this.
//
// The module speaks in frames (a u32 length, JSON, then body bytes) through
// four exports; this wrapper turns `fetch` calls into frames and performs
// what the model decides: waits through the host's setTimeout (so fake
// timers drive them), lost answers as a rejected fetch.
import { WASM_BASE64 } from "./wasm.js";

const OP_FETCH = 1;
const OP_RESUME = 2;
const OP_ABANDON = 3;
const OP_ADMIN = 4;
/** setTimeout's largest delay; longer waits are chained. */
const MAX_TIMER_MS = 2147483647;
const NULL_BODY_STATUS = [101, 103, 204, 205, 304];
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

let compiled;

/** The compiled module, once per process (each gateway instantiates it). */
function wasmModule() {
  if (!compiled) compiled = new WebAssembly.Module(decodeBase64(WASM_BASE64));
  return compiled;
}

// Hand-written: atob is missing from some test environments; with a lookup
// table this decodes the module's 356 KB of base64 in about 3 ms (20 ms with indexOf).
function decodeBase64(text) {
  const table = new Uint8Array(128);
  for (let i = 0; i < BASE64.length; i++) table[BASE64.charCodeAt(i)] = i;
  let end = text.length;
  while (end > 0 && text[end - 1] === "=") end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let value = 0;
  let j = 0;
  for (let i = 0; i < end; i++) {
    value = ((value << 6) | table[text.charCodeAt(i) & 127]) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

// TextEncoder and TextDecoder when the environment has them; Jest's jsdom
// environment has neither, so a UTF-8 codec of our own stands in there.
function utf8Encode(text) {
  if (typeof TextEncoder === "function") return new TextEncoder().encode(text);
  const out = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate, as TextEncoder does
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

function utf8Decode(bytes) {
  if (typeof TextDecoder === "function") return new TextDecoder().decode(bytes);
  let out = "";
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    let c = need === 0 ? b : need === 1 ? b & 31 : need === 2 ? b & 15 : b & 7;
    let ok = need >= 0 && i + need < bytes.length;
    for (let k = 1; ok && k <= need; k++) {
      const n = bytes[i + k];
      if (n === undefined || (n & 0xc0) !== 0x80) ok = false;
      else c = (c << 6) | (n & 63);
    }
    const min = [0, 0x80, 0x800, 0x10000][need];
    if (!ok || c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
      out += "\ufffd"; // as TextDecoder replaces a malformed sequence
      i += 1;
    } else {
      out += String.fromCodePoint(c);
      i += need + 1;
    }
  }
  return out;
}

function abortReason(signal) {
  if (signal.reason !== undefined) return signal.reason;
  if (typeof DOMException === "function") return new DOMException("This operation was aborted", "AbortError");
  return Object.assign(new Error("This operation was aborted"), { name: "AbortError" });
}

/** Waits `ms` with the host's setTimeout (looked up now, so fake timers installed later count). */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    let timer;
    const onAbort = () => {
      globalThis.clearTimeout(timer);
      reject(abortReason(signal));
    };
    const wait = (left) => {
      timer = globalThis.setTimeout(() => {
        if (left > MAX_TIMER_MS) return wait(left - MAX_TIMER_MS);
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.min(left, MAX_TIMER_MS));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    wait(ms);
  });
}

// ---- reading a fetch call ---------------------------------------------------

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NORMALIZED_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/** { method, url (URL), headers ([name, value] pairs), body (bytes or null), signal } of a fetch call. */
async function readRequest(input, init) {
  // As fetch: the init's signal when it names one (null: none), else the Request's.
  const signal = init?.signal !== undefined ? (init.signal ?? undefined) : isObject(input) ? (input.signal ?? undefined) : undefined;
  const RequestClass = globalThis.Request;
  if (typeof RequestClass === "function") {
    // The environment's own Request reads every form fetch accepts (and
    // rejects what fetch rejects). The signal is taken apart: one from
    // another realm (jsdom's, say) would be refused here, not by fetch.
    const request = new RequestClass(input, init === undefined ? undefined : { ...init, signal: null });
    const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
    return { method: request.method, url: new URL(request.url), headers: [...request.headers], body, signal };
  }
  return readRequestByHand(input, init ?? {}, signal);
}

function isObject(v) {
  return typeof v === "object" && v !== null;
}

/** The same, where there is no Request class (Jest's jsdom environment). */
async function readRequestByHand(input, init, signal) {
  const requestLike = isObject(input) && typeof input.url === "string" && typeof input.method === "string";
  let url;
  try {
    url = new URL(requestLike ? input.url : String(input), globalThis.location?.href);
  } catch {
    throw new TypeError(`fetch: invalid URL ${JSON.stringify(String(requestLike ? input.url : input))}`);
  }
  let method = String(init.method ?? (requestLike ? input.method : "GET"));
  if (!TOKEN.test(method)) throw new TypeError(`fetch: invalid method ${JSON.stringify(method)}`);
  if (NORMALIZED_METHODS.includes(method.toUpperCase())) method = method.toUpperCase();
  if (["CONNECT", "TRACE", "TRACK"].includes(method.toUpperCase())) throw new TypeError(`fetch: forbidden method ${method}`);

  const headers = new Map();
  const add = (name, value) => {
    const key = String(name).toLowerCase();
    const v = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
    headers.set(key, headers.has(key) ? `${headers.get(key)}, ${v}` : v);
  };
  const source = init.headers ?? (requestLike ? input.headers : undefined);
  if (source == null) {
    // no headers
  } else if (typeof source.forEach === "function" && !Array.isArray(source)) {
    source.forEach((value, name) => add(name, value));
  } else if (typeof source[Symbol.iterator] === "function") {
    for (const pair of source) {
      const [name, value, ...rest] = Array.from(pair);
      if (rest.length || value === undefined) throw new TypeError("fetch: each header must be a [name, value] pair");
      add(name, value);
    }
  } else if (isObject(source)) {
    for (const [name, value] of Object.entries(source)) add(name, value);
  } else {
    throw new TypeError("fetch: headers must be a Headers, an array of [name, value] pairs or an object");
  }

  let body = null;
  const raw = init.body;
  if (raw != null) {
    if (method === "GET" || method === "HEAD") throw new TypeError("fetch: a GET or HEAD request cannot have a body");
    let type;
    if (typeof raw === "string") {
      body = utf8Encode(raw);
      type = "text/plain;charset=UTF-8";
    } else if (typeof URLSearchParams === "function" && raw instanceof URLSearchParams) {
      body = utf8Encode(raw.toString());
      type = "application/x-www-form-urlencoded;charset=UTF-8";
    } else if (raw instanceof ArrayBuffer) {
      body = new Uint8Array(raw.slice(0));
    } else if (ArrayBuffer.isView(raw)) {
      body = new Uint8Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    } else if (isObject(raw) && typeof raw.arrayBuffer === "function") {
      body = new Uint8Array(await raw.arrayBuffer());
      if (typeof raw.type === "string" && raw.type) type = raw.type;
    } else {
      throw new TypeError("fetch: this environment has no Request class; send a string, bytes, URLSearchParams or a Blob");
    }
    if (type && !headers.has("content-type")) headers.set("content-type", type);
  }
  return { method, url, headers: [...headers], body, signal };
}

// ---- answers ---------------------------------------------------------------------

/** Headers where the environment has none: what the SDK and most apps read. */
class TestHeaders {
  #map = new Map();
  constructor(pairs) {
    for (const [k, v] of pairs) this.#map.set(k.toLowerCase(), this.#map.has(k.toLowerCase()) ? `${this.#map.get(k.toLowerCase())}, ${v}` : v);
  }
  get(name) {
    return this.#map.get(String(name).toLowerCase()) ?? null;
  }
  has(name) {
    return this.#map.has(String(name).toLowerCase());
  }
  forEach(callback, thisArg) {
    for (const [k, v] of this.entries()) callback.call(thisArg, v, k, this);
  }
  *entries() {
    yield* [...this.#map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  *keys() {
    for (const [k] of this.entries()) yield k;
  }
  *values() {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator]() {
    return this.entries();
  }
}

/** A Response where the environment has none (Jest's jsdom environment). */
class TestResponse {
  #bytes;
  #used = false;
  constructor(bytes, { status, statusText, headers }, url) {
    this.#bytes = bytes;
    this.status = status;
    this.statusText = statusText;
    this.ok = status >= 200 && status < 300;
    this.headers = typeof globalThis.Headers === "function" ? new globalThis.Headers(headers) : new TestHeaders(headers);
    this.url = url;
    this.redirected = false;
    this.type = "basic";
  }
  get bodyUsed() {
    return this.#used;
  }
  #consume() {
    if (this.#used) return Promise.reject(new TypeError("Body has already been consumed."));
    this.#used = true;
    return Promise.resolve(this.#bytes ?? new Uint8Array(0));
  }
  async arrayBuffer() {
    return (await this.#consume()).slice().buffer;
  }
  async text() {
    return utf8Decode(await this.#consume());
  }
  async json() {
    return JSON.parse(await this.text());
  }
  clone() {
    if (this.#used) throw new TypeError("Response.clone: Body has already been consumed.");
    return new TestResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: [...this.headers] }, this.url);
  }
}

function makeResponse(head, bytes, request) {
  const empty = request.method === "HEAD" || NULL_BODY_STATUS.includes(head.status);
  const init = { status: head.status, statusText: head.statusText, headers: head.headers };
  const url = request.url.href.replace(/#.*$/, "");
  const ResponseClass = globalThis.Response;
  if (typeof ResponseClass !== "function") return new TestResponse(empty ? null : bytes, init, url);
  const res = new ResponseClass(empty ? null : bytes, init);
  // What a network answer has and a constructed Response lacks.
  Object.defineProperty(res, "url", { value: url });
  Object.defineProperty(res, "type", { value: "basic" });
  return res;
}

// ---- the gateway ---------------------------------------------------------------------

/**
 * A new in-process gateway: its own cards, log and faults. See index.d.ts
 * (TestGateway) for what each method does.
 */
export function createTestGateway(options = {}) {
  if (!isObject(options)) throw new TypeError("createTestGateway: options must be an object");
  const instance = new WebAssembly.Instance(wasmModule(), {});
  const { memory, mg_alloc, mg_create, mg_call, mg_out_ptr, mg_out_len } = instance.exports;

  /** Sends a frame to `run(ptr, len)`; returns the answer frame. */
  const exchange = (run, head, body) => {
    const headBytes = utf8Encode(JSON.stringify(head));
    const length = 4 + headBytes.length + (body ? body.length : 0);
    const ptr = mg_alloc(length);
    const view = new Uint8Array(memory.buffer, ptr, length);
    new DataView(memory.buffer).setUint32(ptr, headBytes.length, true);
    view.set(headBytes, 4);
    if (body) view.set(body, 4 + headBytes.length);
    const code = run(ptr, length);
    const out = new Uint8Array(memory.buffer, mg_out_ptr(), mg_out_len()).slice();
    const headLength = new DataView(out.buffer).getUint32(0, true);
    const answer = JSON.parse(utf8Decode(out.subarray(4, 4 + headLength)));
    if (code !== 0) {
      const Err = answer.kind === "type" || answer.kind === "route" ? TypeError : Error;
      throw new Err(answer.error);
    }
    return { head: answer, body: out.subarray(4 + headLength) };
  };
  const call = (op, head, body) => exchange((ptr, len) => mg_call(op, ptr, len, Date.now()), head, body);

  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  exchange((ptr, len) => mg_create(ptr, len), { ...options, seed }, null);

  /** The admin API (the JSON of migo-mock's /__mock), as a method call. */
  const admin = (name, method, path, body) => {
    const { head, body: bytes } = call(OP_ADMIN, { method, path }, body === undefined ? null : utf8Encode(JSON.stringify(body)));
    const value = bytes.length ? JSON.parse(utf8Decode(bytes)) : undefined;
    if (head.status >= 400) {
      const message = `${name}: ${value?.error ?? `status ${head.status}`}`;
      throw head.status === 404 ? new RangeError(message) : new TypeError(message);
    }
    return value;
  };

  async function fetch(input, init) {
    const request = await readRequest(input, init);
    const { signal } = request;
    if (signal?.aborted) throw abortReason(signal);
    let answer = call(
      OP_FETCH,
      { method: request.method, url: request.url.pathname + request.url.search, headers: request.headers },
      request.body,
    );
    for (;;) {
      const { head } = answer;
      if (head.step === "respond") return makeResponse(head, answer.body.slice(), request);
      if (head.step === "drop") {
        throw new TypeError("fetch failed: the test gateway dropped the connection without an answer (a drop fault)");
      }
      try {
        await sleep(head.ms, signal);
        if (signal?.aborted) throw abortReason(signal);
      } catch (reason) {
        // The client went away: the request stays where it stood, as on a
        // server whose connection closed.
        call(OP_ABANDON, { exchange: head.exchange });
        throw reason;
      }
      answer = call(OP_RESUME, { exchange: head.exchange });
    }
  }

  const state = () => admin("state", "GET", "/state");
  const { users } = state();
  // Not frozen: tests spy on methods (vi.spyOn(gateway, "fetch")).
  return {
    fetch,
    basePath: options.basePath ?? "/rest",
    accessToken: options.tokens?.[0] ?? "migo-test-token",
    expiredToken: options.expiredTokens?.[0] ?? "migo-expired-token",
    users: Object.freeze(users),
    reset() {
      admin("reset", "POST", "/reset");
    },
    state,
    cards: () => state().cards,
    card(cardId) {
      return state().cards.find((c) => String(c.cardId) === String(cardId));
    },
    requests: () => state().requests,
    viewToken(cardId) {
      return admin("viewToken", "POST", "/view-tokens", { cardId }).token;
    },
    config(settings = {}) {
      return { envelope: admin("config", "POST", "/config", settings).envelope };
    },
    fault(spec) {
      return admin("fault", "POST", "/faults", spec).queued;
    },
    clearFaults() {
      admin("clearFaults", "DELETE", "/faults");
    },
    addCard(card) {
      return admin("addCard", "POST", "/cards", card);
    },
  };
}
