//! The TypeScript types of the public API. Written as a typed custom section
//! rather than derived with tsify: the SDK passes JS values straight through
//! (no serde on the boundary), so there is nothing to derive from, and the
//! module stays free of serde-wasm-bindgen.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
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

export interface LinkCardInput {
  /** The card number; spaces or dashes between groups are allowed. */
  card: string;
  alias?: string;
  /** Overrides the client's `clientId`. */
  clientId?: string;
}

export interface StatementPeriod {
  /** 1 to 12. */
  month: number;
  /** 1000 to 9999. */
  year: number;
}

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
"#;
