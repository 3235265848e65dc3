// The package's declarations, once: CommonJS-format, so that both a
// `require` (index.d.cts directly) and an `import` (index.d.ts re-exports
// this) see one MigoClient and one MigoError, as at run time.
export type {
  UserId,
  CardId,
  Environment,
  CardStatus,
  MigoClientOptions,
  CallOptions,
  Card,
  CardDetails,
  Statement,
  LinkCardInput,
  StatementPeriod,
  ActivationUrlOptions,
  MigoClientSummary,
  RequestEvent,
} from "./web/migo_cards.cjs";
export { MigoClient, activationUrl, isValidCardNumber } from "./web/migo_cards.cjs";

/** What failed. */
export type MigoErrorKind = "validation" | "config" | "api" | "network" | "decode" | "timeout" | "aborted";

/** What the caller can assume the gateway did. `unknown`: check before trying again. */
export type MigoOutcome = "notSent" | "rejected" | "unknown";

/** One entry of the gateway's `errors` array. */
export interface MigoApiErrorItem {
  code?: string | number;
  message?: string;
  [field: string]: unknown;
}

/** Every rejection of the SDK. Never carries a token, a card number or a view token. */
export declare class MigoError extends Error {
  readonly name: "MigoError";
  readonly kind: MigoErrorKind;
  /** The argument or option at fault (`validation`, `config`). */
  readonly field?: string;
  /** HTTP status (`api`, `decode`). */
  readonly status?: number;
  /** The first `errors[].code` of the gateway, e.g. `"7213"`. */
  readonly code?: string;
  readonly errors?: MigoApiErrorItem[];
  /** The `x-request-id` response header, when present. */
  readonly requestId?: string;
  /** Requests sent for this call (0 when none was). */
  readonly attempts: number;
  /** Whether the same call could succeed if tried again later. */
  readonly retryable: boolean;
  readonly outcome: MigoOutcome;
  private constructor(message: string, details: object);
}

// A global's instance type where the consumer's lib declares it, otherwise
// nothing: a Node project (lib es20xx and @types/node, no DOM lib) has no
// WebAssembly or Request types, and its compile must not fail on ours.
type InstanceOfGlobal<Name extends string> = typeof globalThis extends { [K in Name]: { prototype: infer T } } ? T : never;

/**
 * Where `init` may take the module from instead of the inlined copy: a URL,
 * a fetch Response, its bytes or a compiled WebAssembly.Module.
 */
export type InitInput =
  | string
  | InstanceOfGlobal<"URL">
  | InstanceOfGlobal<"Request">
  | InstanceOfGlobal<"Response">
  | ArrayBuffer
  | ArrayBufferView
  | WebAssemblyModule;

/** `WebAssembly.Module` where the lib declares it. */
type WebAssemblyModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M : never;

/**
 * Loads the WebAssembly module (browsers and bundlers). Call it once before
 * using the SDK; later calls return the same promise. In Node it is a no-op.
 */
export declare function init(input?: InitInput | Promise<InitInput>): Promise<void>;
export default init;

// MigoClient is disposable (`using`); declared here, as @types/node does, so
// that consumers whose lib predates esnext.disposable still type-check.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}
