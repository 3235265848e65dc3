/**
 * Every rejection of migo-cards is a MigoError: a real Error subclass, so
 * `err instanceof MigoError` holds. Its `kind` says what failed; the other
 * fields are set when they apply. No message or field ever holds the access
 * token, a full card number or a view token.
 */
export class MigoError extends Error {
  constructor(message, details, cause) {
    super(message, cause === undefined ? undefined : { cause });
    Object.defineProperty(this, "name", { value: "MigoError", configurable: true, writable: true });
    if (typeof details === "object") Object.assign(this, details); // null copies nothing
  }

  /**
   * `{ message, ...fields }` for JSON.stringify and loggers. A `cause` is
   * kept only when it is a MigoError (the SDK's own, scrubbed): any other is
   * the app's or the platform's object (an abort reason, the token
   * provider's error), whose contents the SDK cannot vouch for.
   */
  toJSON() {
    const out = { message: this.message, ...this };
    if (this.cause instanceof MigoError) out.cause = this.cause.toJSON();
    return out;
  }
}

/** A MigoError of kind "config" about `field`, raised before anything was sent. */
export function configError(field, message, cause) {
  return new MigoError(message, { kind: "config", field, attempts: 0, retryable: false, outcome: "notSent" }, cause);
}
