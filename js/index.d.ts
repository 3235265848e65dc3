// The public TypeScript declarations of migo-cards, written by hand next to
// js/api.js (tests/types checks them against the core's endpoint table).
/** A user id: a non-empty string or a non-negative safe integer. */
export type UserId = string | number;
/** Card ids are numeric: a non-negative safe integer or a string of digits. */
export type CardId = string | number;
export type Environment = "production" | "sandbox";
/** Known card states; the gateway may add others. */
export type CardStatus = "INACTIVE" | "ACTIVE" | "BLOCKED" | (string & {});

export interface MigoClientOptions {
  /** A bearer token from your backend. Give this or `getAccessToken`. */
  accessToken?: string;
  /** Called lazily for a token, and again once when the gateway answers 401 TOKEN_EXPIRED. */
  getAccessToken?: () => string | Promise<string>;
  /** Sent as `x-application-id` when set. */
  applicationId?: string;
  /** Default `clientId` for `linkCard`. */
  clientId?: string;
  /** Default `"production"`. Selects the API base URL. */
  environment?: Environment;
  /** Overrides the environment's API base URL. https, or http on loopback only. */
  baseUrl?: string;
  /** Retries after the first attempt, where safe for the operation (default 2, at most 10). */
  maxRetries?: number;
  /** Time allowed for one attempt in ms (default 30000). */
  timeoutMs?: number;
  /** Told after every attempt, for logs and metrics. Never given a secret; what it throws is ignored. */
  onRequest?: (event: RequestEvent) => void;
  /**
   * The `fetch` to send requests with (any function of the standard
   * signature); default: the global `fetch`, looked up at each call. It is
   * called from a microtask after the method returns (the same task). Where
   * there is none (Jest's jsdom environment, old runtimes), calls reject with
   * a `config` MigoError naming `fetch` and nothing is sent.
   */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

/**
 * One attempt, as `onRequest` sees it. Secret-free: the URL's secret query
 * values are `***`, and no header or body is included.
 */
export interface RequestEvent {
  /** The method called, e.g. `"issueCard"`. */
  operation: string;
  method: "GET" | "POST" | "PATCH";
  /** The request URL, secrets redacted. */
  url: string;
  /** 1 for the first attempt of the call. */
  attempt: number;
  /** `"response"` when the gateway answered, or why it did not. */
  result: "response" | "network" | "timeout" | "aborted";
  /** The HTTP status, when the gateway answered. */
  status?: number;
  /** The `x-request-id` response header, when present. */
  requestId?: string;
  /** From sending the request to reading the whole body. */
  durationMs: number;
}

/** The last, optional argument of every method. */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
}

/**
 * A card as the gateway returns it. Known fields are typed; others pass through.
 * Any number in a result that a JS number cannot hold exactly (an integer
 * beyond ±(2^53 − 1), more than 15 significant digits, out of range) arrives
 * as its exact decimal text instead, e.g. `"9007199254740993"`.
 */
export interface Card {
  /** A number; the digit string when beyond 2^53 − 1 (every method accepts either). */
  cardId?: number | string;
  userId?: string | number;
  status?: CardStatus;
  alias?: string | null;
  maskedPan?: string;
  balance?: string | number;
  [field: string]: unknown;
}

/** Sensitive card details. Never log or store these. */
export interface CardDetails extends Card {
  pan?: string;
  cvv?: string;
  expiry?: string;
  cardholderName?: string;
}

export interface Statement {
  statementId?: string | number;
  /** A number; the digit string when beyond 2^53 − 1. */
  cardId?: number | string;
  month?: number;
  year?: number;
  status?: string;
  [field: string]: unknown;
}

// BEGIN GENERATED arguments: `make generate` writes these from engine/src/endpoints.rs
/** The object argument of `linkCard`. */
export interface LinkCardInput {
  /** The card number; spaces or dashes between groups are allowed. */
  card: string;
  alias?: string;
  /** Overrides the client's `clientId`. */
  clientId?: string;
}

/** The object argument of `createStatement`. */
export interface StatementPeriod {
  /** 1 to 12. */
  month: number;
  /** 1000 to 9999. */
  year: number;
}
// END GENERATED arguments

export interface ActivationUrlOptions {
  userId: UserId;
  /** Branding hint (your client slug); left out when absent. */
  client?: string;
  /** Default `"production"`. */
  environment?: Environment;
}

export interface MigoClientSummary {
  environment: Environment;
  baseUrl: string;
  applicationId?: string;
}

/**
 * A client for the Migo Wallet Gateway card API. Every method validates its
 * arguments before anything is sent, and rejects only with a `MigoError`.
 */
export declare class MigoClient {
  /**
   * Throws a `MigoError` of kind `"config"` naming the option at fault. In
   * the browser build before `init()` has resolved, the client loads the
   * module itself and its calls wait for it; a bad option then rejects
   * each call instead.
   */
  constructor(options: MigoClientOptions);
  // BEGIN GENERATED methods: `make generate` writes these from engine/src/endpoints.rs
  /** Issues a Migo card for the user (a new card on every call): `POST /users/{userId}/cards/virtuals`. Acts at most once: retried on 429; 503 with Retry-After. */
  issueCard(userId: UserId, options?: CallOptions): Promise<Card>;
  /** Links an existing card: `POST /users/{userId}/cards?clientId=…` with `{card, alias?}`. Acts at most once: retried on 429; 503 with Retry-After. */
  linkCard(userId: UserId, card: LinkCardInput, options?: CallOptions): Promise<Card>;
  /** Activates a delivered card: `POST /users/{userId}/cards/{cardId}/activate`. Sets a state: retried on network, timeout, 408, 429, 502, 503, 504. */
  activateCard(userId: UserId, cardId: CardId, options?: CallOptions): Promise<Card | undefined>;
  /** Blocks a card: `POST /users/{userId}/cards/{cardId}/block`. Sets a state: retried on network, timeout, 408, 429, 502, 503, 504. */
  blockCard(userId: UserId, cardId: CardId, options?: CallOptions): Promise<Card | undefined>;
  /** Unblocks a card: `POST /users/{userId}/cards/{cardId}/unblock`. Sets a state: retried on network, timeout, 408, 429, 502, 503, 504. */
  unblockCard(userId: UserId, cardId: CardId, options?: CallOptions): Promise<Card | undefined>;
  /** Blocks a card, in operator scope: `POST /cards/{cardId}/users/{authUserId}/block`. Sets a state: retried on network, timeout, 408, 429, 502, 503, 504. */
  blockCardForUser(cardId: CardId, authUserId: UserId, options?: CallOptions): Promise<Card | undefined>;
  /** Unblocks a card, in operator scope: `POST /cards/{cardId}/users/{authUserId}/unblock`. Sets a state: retried on network, timeout, 408, 429, 502, 503, 504. */
  unblockCardForUser(cardId: CardId, authUserId: UserId, options?: CallOptions): Promise<Card | undefined>;
  /** Renames a card: `PATCH /cards/{cardId}` with `{alias}`. Sets a state: retried on network, timeout, 408, 429, 502, 503, 504. */
  updateCardAlias(cardId: CardId, alias: string, options?: CallOptions): Promise<Card | undefined>;
  /** Reads PAN and CVV with a single-use view token: `GET /users/{userId}/cards/{cardId}?token=…`. Never retried. */
  getCardDetails(userId: UserId, cardId: CardId, viewToken: string, options?: CallOptions): Promise<CardDetails>;
  /** Generates a monthly statement: `POST /cards/{cardId}/statements` with `{month, year}`. Acts at most once: retried on 429; 503 with Retry-After. */
  createStatement(cardId: CardId, period: StatementPeriod, options?: CallOptions): Promise<Statement>;
  /** Sets or changes the card's PIN, in the cardholder's session: `POST /cards/{cardId}/pin` with `{pin}`. Acts at most once: retried on 429; 503 with Retry-After. */
  setCardPin(cardId: CardId, pin: string, options?: CallOptions): Promise<void>;
  /** Sets one user's PIN on a shared card, in operator scope: `POST /cards/{cardId}/users/{authUserId}/pin` with `{pin}`. Acts at most once: retried on 429; 503 with Retry-After. */
  setCardPinForUser(cardId: CardId, authUserId: UserId, pin: string, options?: CallOptions): Promise<void>;
  // END GENERATED methods
  /** The environment this client talks to. */
  readonly environment: Environment;
  /** The API base URL in use (no trailing slash). */
  readonly baseUrl: string;
  /** A summary without secrets. */
  toJSON(): MigoClientSummary;
  toString(): string;
  /** Releases the client's wasm memory once its calls in flight end; the client is unusable afterwards. */
  free(): void;
  [Symbol.dispose](): void;
}

/** The hosted card-activation webview URL for a cardholder. Throws a `MigoError` on a bad value. */
export declare function activationUrl(options: ActivationUrlOptions): string;

/** The card-number verification `linkCard` applies: 12–19 digits, Luhn. Never throws. */
export declare function isValidCardNumber(card: unknown): boolean;

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
  /**
   * What led to the error: the caller's abort reason (`kind` `"aborted"` or
   * `"timeout"`), the fetch failure (`"network"`, or an answer cut off after
   * its status; scrubbed), the token provider's own rejection or throw
   * (`"config"`, field `getAccessToken`; as it gave it), or a retry's
   * refusal that followed an attempt whose answer was lost.
   */
  readonly cause?: unknown;
  /**
   * The message and the fields, for `JSON.stringify` and loggers; `cause`
   * only when it is a MigoError. Never a secret.
   */
  toJSON(): { message: string; kind: MigoErrorKind; cause?: object } & Record<string, unknown>;
  private constructor(message: string, details: object, cause?: unknown);
}

// A global's instance type where the consumer's lib declares it, otherwise
// nothing: a Node project (lib es20xx and @types/node, no DOM lib) has no
// WebAssembly or BufferSource types, and its compile must not fail on ours.
type InstanceOfGlobal<Name extends string> = typeof globalThis extends { [K in Name]: { prototype: infer T } } ? T : never;
type WebAssemblyModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M : never;

/**
 * Where `init` may take the module from instead of the copy inlined in the
 * package: a URL, a fetch Response, its bytes or a compiled WebAssembly.Module.
 */
export type InitInput =
  | string
  | InstanceOfGlobal<"URL">
  | InstanceOfGlobal<"Request">
  | InstanceOfGlobal<"Response">
  | ArrayBuffer
  | ArrayBufferView
  | WebAssemblyModule;

/**
 * Compiles and instantiates the WebAssembly module (browser build: call it
 * once before using the SDK; later calls return the same promise). In Node,
 * Bun, Deno, Jest, Cloudflare Workers and edge runtimes the module is ready
 * on import and init is a no-op. Where the engine has no WebAssembly it
 * loads the module's JavaScript build instead (`input` is then not read),
 * and rejects with a MigoError of kind "config" naming WebAssembly only if
 * that cannot load either. Also a named export.
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
