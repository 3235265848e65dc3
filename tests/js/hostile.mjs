// Hostile JavaScript values for the fuzz test, drawn from a seeded PRNG so a
// run can be replayed (FUZZ_SEED). Every object this module builds is
// labelled (see describe()), so a failure can be reported without touching
// the value again: reading a hostile value may throw or have side effects.

/** sfc32, seeded through splitmix32: fast, 32-bit, good enough for fuzzing. */
export function prng(seed) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  return () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const labels = new WeakMap();
/** Labels an object or function for describe(); returns it. */
export function label(obj, text) {
  labels.set(obj, text);
  return obj;
}

/** A short description that never reads a property of `v`. */
export function describe(v, depth = 0) {
  switch (typeof v) {
    case "undefined":
      return "undefined";
    case "boolean":
      return String(v);
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      return `${v}n`;
    case "symbol":
      return "Symbol()";
    case "string": {
      const shown = v.length > 60 ? `${JSON.stringify(v.slice(0, 40))}…(${v.length} chars)` : JSON.stringify(v);
      return /[\ud800-\udfff]/.test(v) ? `${shown} [has surrogates]` : shown;
    }
    default:
      if (v === null) return "null";
      return labels.get(v) ?? (typeof v === "function" ? "function" : "object");
  }
}

export const describeArgs = (args) => `(${args.map((a) => describe(a)).join(", ")})`;

/** Something thrown by hostile getters and traps: not always an Error. */
function thrown(rand) {
  const r = rand();
  if (r < 0.4) return new Error("hostile getter");
  if (r < 0.55) return new TypeError("hostile trap");
  if (r < 0.65) return undefined;
  if (r < 0.75) return Symbol("thrown");
  if (r < 0.85) return label(new Proxy({}, { get() { throw new Error("thrown proxy"); } }), "thrown proxy");
  return "a string";
}

const PROXY_TRAPS = ["get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "setPrototypeOf", "defineProperty", "deleteProperty", "set", "isExtensible", "preventExtensions", "apply", "construct"];

/** Every option and field name the SDK reads from an object. */
export const KEYS = ["card", "alias", "clientId", "month", "year", "maxRetries", "timeoutMs", "signal", "environment", "baseUrl", "applicationId", "accessToken", "getAccessToken", "userId", "client", "aborted", "addEventListener", "removeEventListener", "then", "toString", "valueOf", "toJSON"];

export const VALID_PAN = "4111111111111111";

const MB = 1 << 20;
/** The 1 MB strings: shared, and used only a handful of times per run. */
const BIG_STRINGS = [
  "7".repeat(MB),
  "a".repeat(MB - 1) + "\ud800",
  "4111 1111 1111 1111 ".repeat(MB / 20),
];
const MAX_BIG_USES = 9;

const primitives = [
  undefined, null, true, false, 0, -0, 1, -1, 0.5, -0.5, 1.5, NaN, Infinity, -Infinity,
  2 ** 31 - 1, 2 ** 31, 2 ** 32, -(2 ** 31), 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MAX_VALUE,
  -Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON, 1e21, 1e-7, 12, 13, 1000, 9999, 10000, 5000001,
  0n, 1n, -1n, 10n ** 30n, 2n ** 64n, Symbol(), Symbol.iterator, Symbol.for("migo"),
];
const strings = [
  "", " ", "  ", "\t", "\n", "\u0000", "\u0007", "\u007f", "\u0085", "\u2028", "\u200b", "\ufeff", "\ufffd",
  "1001", "1002", "alice", "nobody", "0", "00", "-1", "1.5", "1e3", "0x10", " 1", "1 ", "+1", "NaN", "Infinity",
  "5000001", "9".repeat(32), "9".repeat(33), "1".repeat(256), "1".repeat(257), ".", "..", "...", "./", "a/b", "/", "//",
  "?", "#", "%", "%2F", "%00", "a?b#c", "&", "=", "\\", "..%2F..", "<script>", "'\"", "${x}",
  "\ud800", "\udc00", "a\ud800b", "\udc00\ud800", "\ud83d\ude00", "\ud83d", "😀", "é", "e\u0301", "ﷺ", "𝕏", "\u202e",
  VALID_PAN, "4111 1111 1111 1111", "4111-1111-1111-1111", "4111  1111 1111 1111", "4111111111111112", "411111111111",
  "4".repeat(19), "4".repeat(20), "4111111111111111\u0000", "４１１１", " 4111111111111111 ", "-4111111111111111",
  "production", "sandbox", "PRODUCTION", "staging", "migo-test-token", "migo-expired-token", "Bearer x", "tok en",
  "http://127.0.0.1:1/rest", "https://api.example.com/rest", "http://example.com", "javascript:alert(1)",
  "https://user:pw@host", "http://[::1]:1", "ftp://x", "x".repeat(64), "x".repeat(65), "__proto__", "constructor",
  "toString", "hasOwnProperty", "then",
];
const NUMBERS = primitives.filter((p) => typeof p === "number");


/**
 * A generator of hostile values. `ctx.valid[key]()` gives a plausible valid
 * value for a field; `ctx.reenter(depth)` may call back into the SDK from a
 * getter. `ctx.bigUses` counts uses of the 1 MB strings across generators.
 */
export function makeHostile(seed, ctx) {
  const rand = prng(seed);
  const valid = (k) => (typeof k === "string" && Object.hasOwn(ctx.valid, k) ? ctx.valid[k] : undefined);
  const int = (n) => Math.floor(rand() * n);
  const chance = (p) => rand() < p;
  const pick = (arr) => arr[int(arr.length)];

  function randomString() {
    const n = chance(0.8) ? int(24) : int(400);
    let s = "";
    for (let i = 0; i < n; i++) {
      const r = rand();
      if (r < 0.4) s += String.fromCharCode(48 + int(10));
      else if (r < 0.6) s += String.fromCharCode(32 + int(95));
      else if (r < 0.7) s += String.fromCharCode(int(32));
      else if (r < 0.8) s += String.fromCharCode(0xd800 + int(0x800)); // lone or paired surrogates
      else s += String.fromCharCode(int(0x10000));
    }
    return s;
  }

  function randomNumber() {
    const r = rand();
    if (r < 0.3) return int(20) - 5;
    if (r < 0.5) return (rand() - 0.5) * 2 ** (int(80) - 10);
    if (r < 0.7) return int(2 ** 31) * (chance(0.5) ? 1 : -1);
    if (r < 0.8) return 5000000 + int(20);
    return pick(NUMBERS);
  }

  function throwingGetters() {
    const o = {};
    const keys = chance(0.3) ? KEYS : KEYS.filter(() => chance(0.4));
    for (const k of keys) {
      const err = thrown(rand);
      Object.defineProperty(o, k, { enumerable: true, get() { throw err; } });
    }
    return label(o, `object with throwing getters [${keys.join(",")}]`);
  }

  function throwingProxy() {
    const traps = PROXY_TRAPS.filter(() => chance(0.5));
    if (traps.length === 0) traps.push("get");
    const handler = {};
    for (const t of traps) {
      const err = thrown(rand);
      handler[t] = () => {
        throw err;
      };
    }
    const target = pick([() => ({}), () => [], () => function () {}, () => Object.create(null), () => new Date(0)])();
    return label(new Proxy(target, handler), `Proxy(${Array.isArray(target) ? "array" : typeof target}) throwing in [${traps.join(",")}]`);
  }

  function revokedProxy() {
    const target = pick([() => ({}), () => [], () => function () {}])();
    const { proxy, revoke } = Proxy.revocable(target, {});
    revoke();
    return label(proxy, `revoked Proxy(${Array.isArray(target) ? "array" : typeof target})`);
  }

  /** A generator of its own, for getters that may run at any time: reads
   * the SDK makes asynchronously then do not shift this generator's stream. */
  function child() {
    return makeHostile(int(2 ** 32), ctx);
  }

  /** A Proxy whose get trap answers hostile values (fresh on every read). */
  function lyingProxy(depth) {
    const { any, chance } = child();
    return label(
      new Proxy({}, {
        get: (_, key) => (chance(0.5) && valid(key) ? valid(key)() : any(depth + 1)),
        has: () => chance(0.5),
      }),
      "Proxy whose get answers random values",
    );
  }

  /** Getters that answer a different value on each read (valid first). */
  function flipFlop(depth) {
    const { any } = child();
    const o = {};
    for (const k of KEYS.filter(() => chance(0.5))) {
      let n = 0;
      Object.defineProperty(o, k, {
        enumerable: true,
        get: () => (n++ === 0 && valid(k) ? valid(k)() : any(depth + 1)),
      });
    }
    return label(o, "object whose getters change their answer");
  }

  /** A getter that calls back into the SDK before answering. */
  function reentrant(depth) {
    const gen = child();
    const { any, chance: later } = gen;
    const o = {};
    for (const k of KEYS.filter(() => chance(0.3))) {
      Object.defineProperty(o, k, {
        enumerable: true,
        get: () => {
          ctx.reenter(depth + 1, gen);
          return later(0.5) && valid(k) ? valid(k)() : any(depth + 1);
        },
      });
    }
    return label(o, "object whose getters call the SDK");
  }

  function exotic() {
    const all = [
      () => label({}, "{}"),
      () => label([], "[]"),
      () => label([1, 2, 3], "[1,2,3]"),
      () => label(["1001"], '["1001"]'),
      () => label(Object.create(null), "Object.create(null)"),
      () => label(new Date(NaN), "Invalid Date"),
      () => label(/x/g, "RegExp"),
      () => label(new Map([["card", VALID_PAN]]), "Map"),
      () => label(new Set([1]), "Set"),
      () => label(new WeakMap(), "WeakMap"),
      () => label(new ArrayBuffer(8), "ArrayBuffer"),
      () => label(new Uint8Array([52, 49]), "Uint8Array"),
      () => label(new Float64Array(2), "Float64Array"),
      () => label(new DataView(new ArrayBuffer(4)), "DataView"),
      () => label(Promise.resolve("1001"), "Promise"),
      () => label(new Error("x"), "Error"),
      () => label(function named() {}, "function"),
      () => label(() => "1001", "arrow function"),
      () => label(async () => "migo-test-token", "async function"),
      () => label(function* gen() {}, "generator function"),
      () => label(class K {}, "class"),
      () => label(new Number(5000001), "Number object"),
      () => label(new String("1001"), "String object"),
      () => label(new Boolean(false), "Boolean object"),
      () => label(Object(1n), "BigInt object"),
      () => label(Object(Symbol()), "Symbol object"),
      () => label(new AbortController().signal, "AbortSignal"),
      () => label(AbortSignal.abort(), "aborted AbortSignal"),
      () => label(globalThis, "globalThis"),
      () => label(Math, "Math"),
      () => label(JSON, "JSON"),
      () => label({ toString() { throw new Error("toString"); }, valueOf() { throw new Error("valueOf"); }, [Symbol.toPrimitive]() { throw new Error("toPrimitive"); } }, "object whose conversions throw"),
      () => label({ then(resolve) { resolve("1001"); } }, "thenable"),
      () => label({ get then() { throw new Error("then"); } }, "object with a throwing then"),
      () => label(Object.freeze({ card: VALID_PAN }), "frozen object"),
      () => {
        const o = {};
        o.self = o;
        o.card = o;
        return label(o, "cyclic object");
      },
      () => label(Object.setPrototypeOf({}, throwingProxy()), "object with a throwing Proxy as prototype"),
      () => label(new (class extends Array {})(), "Array subclass"),
      () => label(new Proxy([], {}), "transparent Proxy(array)"),
      () => label(new Proxy({}, {}), "transparent Proxy(object)"),
    ];
    return pick(all)();
  }

  /** Any value at all. */
  function any(depth = 0) {
    const r = rand();
    if (r < 0.2) return pick(primitives);
    if (r < 0.42) return pick(strings);
    if (r < 0.52) return randomString();
    if (r < 0.6) return randomNumber();
    if (r < 0.66 && ctx.bigUses < MAX_BIG_USES && chance(0.02)) {
      ctx.bigUses++;
      return BIG_STRINGS[ctx.bigUses % BIG_STRINGS.length];
    }
    if (r < 0.74) return exotic();
    if (r < 0.8) return throwingGetters();
    if (r < 0.86) return throwingProxy();
    if (r < 0.89) return revokedProxy();
    if (depth < 2) {
      if (r < 0.93) return record(KEYS.filter(() => chance(0.3)), depth + 1);
      if (r < 0.95) return lyingProxy(depth);
      if (r < 0.97) return flipFlop(depth);
      if (r < 0.98) return reentrant(depth);
    }
    return pick(primitives);
  }

  /** An object with the given keys, each valid, hostile, or a trap. */
  function record(keys, depth = 0) {
    const o = chance(0.1) ? Object.create(null) : {};
    const shown = [];
    for (const k of keys) {
      const r = rand();
      if (r < 0.45 && valid(k)) {
        o[k] = valid(k)();
        shown.push(`${k}: valid`);
      } else if (r < 0.85) {
        const v = any(depth + 1);
        o[k] = v;
        shown.push(`${k}: ${describe(v)}`);
      } else {
        const err = thrown(rand);
        Object.defineProperty(o, k, { enumerable: true, get() { throw err; } });
        shown.push(`${k}: throwing getter`);
      }
    }
    if (chance(0.1)) {
      o.extra = any(depth + 1);
      shown.push("extra");
    }
    return label(o, `{${shown.join(", ")}}`);
  }

  /** A value for a parameter: often plausible, otherwise anything. */
  function param(kind, depth = 0) {
    if (chance(0.35) && valid(kind)) return valid(kind)();
    return any(depth);
  }

  return { rand, int, chance, pick, any, record, param, randomString, child };
}
