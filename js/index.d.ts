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
} from "./web/migo_cards.js";
export { MigoClient, activationUrl, isValidCardNumber } from "./web/migo_cards.js";

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

/** Where the .wasm comes from, for `init`. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the WebAssembly module (browsers and bundlers). Call it once before
 * using the SDK; later calls return the same promise. In Node it is a no-op.
 */
export default function init(input?: InitInput | Promise<InitInput>): Promise<void>;

// MigoClient is disposable (`using`); declared here, as @types/node does, so
// that consumers whose lib predates esnext.disposable still type-check.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}
