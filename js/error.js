/**
 * Every rejection of migo-cards is a MigoError: a real Error subclass, so
 * `err instanceof MigoError` holds. Its `kind` says what failed; the other
 * fields are set when they apply. No message or field ever holds the access
 * token, a full card number or a view token.
 */
export class MigoError extends Error {
  constructor(message, details) {
    super(message);
    Object.defineProperty(this, "name", { value: "MigoError", configurable: true, writable: true });
    if (details && typeof details === "object") {
      for (const key of Object.keys(details)) this[key] = details[key];
    }
  }
}

/**
 * Makes the exported class's methods check their receiver. wasm-bindgen's
 * glue reads `this.__wbg_ptr` unchecked, so a detached method
 * (`const { issueCard } = client`) or a call after `free()` would throw a
 * TypeError or "null pointer passed to rust" instead of a MigoError.
 */
export function guardReceiver(Class, syncNames) {
  const proto = Class.prototype;
  const live = (self) => {
    try {
      return self instanceof Class && self.__wbg_ptr !== 0;
    } catch {
      return false;
    }
  };
  const misuse = () =>
    new MigoError("MigoClient methods need the client they belong to: this one was detached from it or called after free()", {
      kind: "config",
      field: "this",
      attempts: 0,
      retryable: false,
      outcome: "notSent",
    });
  for (const key of Object.getOwnPropertyNames(proto)) {
    if (key === "constructor" || key === "free") continue;
    const d = Object.getOwnPropertyDescriptor(proto, key);
    // Getters and the listed methods answer synchronously; the rest return promises.
    const sync = typeof d.get === "function" || syncNames.includes(key);
    const guard = (f) =>
      function (...args) {
        if (live(this)) return f.apply(this, args);
        if (sync) throw misuse();
        return Promise.reject(misuse());
      };
    if (typeof d.value === "function") d.value = guard(d.value);
    if (typeof d.get === "function") d.get = guard(d.get);
    Object.defineProperty(proto, key, d);
  }
}
