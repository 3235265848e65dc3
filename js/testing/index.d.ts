// migo-cards/testing: an in-process test gateway for the tests of apps that
// use the SDK. Test-only: the production entry never loads it.

/** A JSON value, as the request log holds request bodies. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A card's state on the gateway. */
export type TestCardStatus = "INACTIVE" | "ACTIVE" | "BLOCKED";

/** The two readings of the gateway's response envelope in the platform docs. */
export type EnvelopeReading = "success" | "statusCode";

export interface TestGatewayOptions {
  /**
   * The API's base path (default `"/rest"`, the path of both environments'
   * base URLs). The gateway's `fetch` answers any origin whose URL path
   * starts with it, so a client with `environment: "sandbox"`, the default
   * production URL or a `baseUrl` on that path needs no change; any other
   * URL rejects with a `TypeError`.
   */
  basePath?: string;
  /** Accepted access tokens (default `["migo-test-token"]`). */
  tokens?: string[];
  /** Tokens answered with 401 `TOKEN_EXPIRED` (default `["migo-expired-token"]`). */
  expiredTokens?: string[];
  /** Known user ids (default `["1001", "1002", "1003", "alice"]`); others get code 7100. */
  users?: string[];
  /**
   * Seeds card numbers, CVVs and view tokens (an integer 0 to 2^53 − 1):
   * the same seed and the same calls give the same values. Random by default.
   */
  seed?: number;
}

/** A card as the gateway holds it (never its PAN or CVV). */
export interface TestCard {
  cardId: number;
  userId: string;
  status: TestCardStatus;
  alias: string | null;
  /** `************` and the last four digits. */
  maskedPan: string;
  /** Whether the card's holder has set a PIN (the PIN itself is never kept). */
  pinSet: boolean;
  /** The users who have set a PIN on the card. */
  pinUsers: string[];
}

export interface TestStatement {
  statementId: string;
  cardId: number;
  month: number;
  year: number;
  status: "GENERATED";
}

/** One request the gateway received, with every secret redacted. */
export interface LoggedRequest {
  /** The `x-request-id` of its answer (`req-000001`, …), as `MigoError.requestId` shows it. */
  requestId: string;
  method: string;
  /** The URL path as sent, e.g. `/rest/users/1001/cards/virtuals` (card numbers masked). */
  path: string;
  /** Query parameters; a view token shows as `***`. */
  query: Record<string, string>;
  /** `authorization` (scheme only: `Bearer ***`), `content-type` and `x-application-id`, when sent. */
  headers: Record<string, string>;
  /** The JSON body (card numbers masked, CVVs and tokens `***`), its scrubbed text if not JSON, or `null`. */
  body: JsonValue;
  /** The status answered; `null` while held back, when the answer was dropped or the client gave up. */
  status: number | null;
  /** The status of the gateway's own answer once it processed the request (a 2xx: it acted), before a fault replaced it; `null` when it never processed it. */
  processed: number | null;
  /** The fault that met it, e.g. `"status 503, retryAfter 2"` or `"drop (after)"`. */
  fault: string | null;
}

/**
 * A fault for the next matching requests (`times` of them, default 1);
 * the first queued fault that matches is used.
 */
export interface FaultSpec {
  /** Only this method (any case); every method when absent. */
  method?: string;
  /**
   * Only this path, with or without the base path; a segment `*` matches
   * any one segment (e.g. `/cards/*`). Every path when absent.
   */
  path?: string;
  /** Answer with this status (200–599) and an error envelope whose code is the status. */
  status?: number;
  /** A `Retry-After` header: seconds, or an HTTP date. */
  retryAfter?: number | string;
  /** Hold the request back this long (milliseconds) before it is processed, or with `after`, hold its answer back. */
  delayMs?: number;
  /** Close the connection without an answer: `fetch` rejects with a TypeError. */
  drop?: boolean;
  /** Answer with a truncated JSON body. */
  malformed?: boolean;
  /** Answer with this body instead of an error envelope. */
  body?: string;
  /** The Content-Type of `body` (default `text/plain`). */
  contentType?: string;
  /**
   * Process the request first (the gateway acts: a card is issued, a state
   * changes), then fail, drop or delay the answer: the client sees an
   * error although the operation happened.
   */
  after?: boolean;
  /** How many requests it applies to (default 1). */
  times?: number;
}

/** A queued fault as `state()` lists it, with how many uses it has left. */
export interface QueuedFault {
  method: string | null;
  path: string | null;
  status: number | null;
  retryAfter: string | null;
  delayMs: number | null;
  drop: boolean;
  malformed: boolean;
  body: string | null;
  contentType: string | null;
  after: boolean;
  times: number;
}

/** A card put straight into the gateway (no request, nothing logged). */
export interface NewTestCard {
  userId: string | number;
  /** Default `"INACTIVE"`. */
  status?: TestCardStatus;
  /** 1 to 64 characters. */
  alias?: string | null;
  /** A card number (12–19 digits passing the Luhn check); random when absent. */
  pan?: string;
}

export interface TestGatewayState {
  cards: TestCard[];
  statements: TestStatement[];
  /** In arrival order. */
  requests: LoggedRequest[];
  faults: QueuedFault[];
  envelope: EnvelopeReading;
  users: string[];
}

/**
 * An in-process Migo Wallet Gateway: the card endpoints of the contract and of PIN management, with
 * its codes (7000, 7100, 7200, 7213, 401 `TOKEN_EXPIRED`), envelopes and
 * single-use view tokens, the same model as the local gateway `migo-mock`.
 * Methods throw a `TypeError` for a bad argument and a `RangeError` for an
 * unknown card or user.
 */
export interface TestGateway {
  /**
   * The gateway as a `fetch` function (the standard signature), for the
   * client's `fetch` option. Delays and lost answers go through the host's
   * `setTimeout`, so fake timers drive them; the `signal` is honoured (a
   * request abandoned while held back is never processed).
   */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  readonly basePath: string;
  /** The first accepted token (`"migo-test-token"` by default). */
  readonly accessToken: string;
  /** The first expired token (`"migo-expired-token"` by default). */
  readonly expiredToken: string;
  /** The known user ids. */
  readonly users: readonly string[];
  /** Back to the start: no cards, statements, view tokens, faults or log; request ids restart; `success` envelope. */
  reset(): void;
  /** A snapshot of everything (a copy: changing it changes nothing). */
  state(): TestGatewayState;
  cards(): TestCard[];
  card(cardId: number | string): TestCard | undefined;
  requests(): LoggedRequest[];
  /** A single-use view token (`vt_` and 32 hex digits) for `getCardDetails` of this card. */
  viewToken(cardId: number | string): string;
  /** Chooses the envelope reading of the answers; returns the one in force. */
  config(settings?: { envelope?: EnvelopeReading }): { envelope: EnvelopeReading };
  /** Queues a fault; returns how many are queued. */
  fault(spec: FaultSpec): number;
  clearFaults(): void;
  /** Adds a card in any state, as if issued (or linked) and moved there. */
  addCard(card: NewTestCard): TestCard;
}

/** A new gateway with its own state. */
export function createTestGateway(options?: TestGatewayOptions): TestGateway;

// BEGIN GENERATED operations: `make generate` writes these from engine/src/endpoints.rs
/** An operation's HTTP method. */
export type OperationMethod = "GET" | "POST" | "PATCH";
/** When a failed attempt is tried again: `setsState` sets a state; `actsAtMostOnce` acts at most once; `neverRetried` never retried. */
export type RetryClass = "setsState" | "actsAtMostOnce" | "neverRetried";
/** A method of `MigoClient` that calls the gateway. */
export type OperationName = "issueCard" | "linkCard" | "activateCard" | "blockCard" | "unblockCard" | "blockCardForUser" | "unblockCardForUser" | "updateCardAlias" | "getCardDetails" | "createStatement" | "setCardPin" | "setCardPinForUser";
/** A parameter, as the caller names it. */
export type ParamName = "userId" | "authUserId" | "cardId" | "clientId" | "card" | "alias" | "viewToken" | "month" | "year" | "pin";
// END GENERATED operations

/** One card operation of the SDK, as its endpoint table describes it. */
export interface Operation {
  /** The `MigoClient` method. */
  readonly name: OperationName;
  readonly method: OperationMethod;
  /** The path, each parameter as `{name}`: `"/users/{userId}/cards"`. */
  readonly path: string;
  readonly query: readonly ParamName[];
  readonly body: readonly ParamName[];
  /** Parameters that may be left out. */
  readonly optional: readonly ParamName[];
  readonly retry: RetryClass;
  /** The method's arguments before its options: a parameter, or an object's properties. */
  readonly args: readonly (ParamName | readonly ParamName[])[];
}

/** Every operation of `MigoClient`, in the SDK's order. */
export const operations: readonly Operation[];

/** The parameters whose name on the wire differs from the caller's. */
export const wire: Readonly<Partial<Record<ParamName, string>>>;
