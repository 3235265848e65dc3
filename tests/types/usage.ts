// Every method, option and error field of migo-cards, used as the README
// documents them. This file must compile with `tsc --noEmit --strict`
// (types.test.mjs); the `Assert<...>` lines pin the declared types, and the
// `NoAny<...>` lines check that nothing exported is `any`.
import init, {
  MigoClient,
  MigoError,
  activationUrl,
  isValidCardNumber,
  type ActivationUrlOptions,
  type CallOptions,
  type Card,
  type CardDetails,
  type CardId,
  type CardStatus,
  type Environment,
  type InitInput,
  type LinkCardInput,
  type MigoApiErrorItem,
  type MigoClientOptions,
  type MigoClientSummary,
  type MigoErrorKind,
  type MigoOutcome,
  type Statement,
  type StatementPeriod,
  type UserId,
} from "migo-cards";
import type { OperationName } from "migo-cards/testing";

// ---- type-level helpers ----------------------------------------------------

type IsAny<T> = 0 extends 1 & T ? true : false;
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type NoAny<T> = IsAny<T> extends true ? false : true;
/** No parameter of `F` is `any`, nor what it returns or resolves to. */
type FnNoAny<F> = F extends (...args: infer A) => infer R
  ? IsAny<Awaited<R>> extends true
    ? false
    : true extends { [K in keyof A]: IsAny<A[K]> }[number]
      ? false
      : true
  : false;
/** The declared property names of `T`, without its index signatures. */
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: 0 };
/** No declared property of `T` is `any`. */
type PropsNoAny<T> = true extends { [K in KnownKeys<T>]: IsAny<T[K]> }[KnownKeys<T>] ? false : true;

// ---- the exported types ----------------------------------------------------

export type TypeChecks = [
  Assert<Equals<UserId, string | number>>,
  Assert<Equals<CardId, string | number>>,
  Assert<Equals<Environment, "production" | "sandbox">>,
  Assert<Equals<MigoErrorKind, "validation" | "config" | "api" | "network" | "decode" | "timeout" | "aborted">>,
  Assert<Equals<MigoOutcome, "notSent" | "rejected" | "unknown">>,
  Assert<NoAny<CardStatus>>,
  Assert<PropsNoAny<MigoClientOptions>>,
  Assert<PropsNoAny<CallOptions>>,
  Assert<PropsNoAny<Card>>,
  Assert<PropsNoAny<CardDetails>>,
  Assert<PropsNoAny<Statement>>,
  Assert<PropsNoAny<LinkCardInput>>,
  Assert<PropsNoAny<StatementPeriod>>,
  Assert<PropsNoAny<ActivationUrlOptions>>,
  Assert<PropsNoAny<MigoClientSummary>>,
  Assert<PropsNoAny<MigoApiErrorItem>>,
  Assert<PropsNoAny<MigoError>>,
  Assert<PropsNoAny<MigoClient>>,
  Assert<NoAny<InitInput>>,
  Assert<FnNoAny<typeof init>>,
  Assert<FnNoAny<typeof activationUrl>>,
  Assert<FnNoAny<typeof isValidCardNumber>>,
  // Every operation the package lists is a method with no `any` in it.
  Assert<false extends { [K in OperationName]: FnNoAny<MigoClient[K]> }[OperationName] ? false : true>,
  Assert<FnNoAny<MigoClient["toJSON"]>>,
  Assert<FnNoAny<MigoClient["toString"]>>,
  Assert<FnNoAny<MigoClient["free"]>>,
  Assert<FnNoAny<NonNullable<MigoClientOptions["getAccessToken"]>>>,
  // The README's contract for what each method resolves to.
  Assert<Equals<ReturnType<MigoClient["issueCard"]>, Promise<Card>>>,
  Assert<Equals<ReturnType<MigoClient["linkCard"]>, Promise<Card>>>,
  Assert<Equals<ReturnType<MigoClient["getCardDetails"]>, Promise<CardDetails>>>,
  Assert<Equals<ReturnType<MigoClient["createStatement"]>, Promise<Statement>>>,
  Assert<Equals<ReturnType<MigoClient["setCardPin"]>, Promise<void>>>,
  Assert<Equals<ReturnType<MigoClient["setCardPinForUser"]>, Promise<void>>>,
  Assert<Equals<ReturnType<typeof activationUrl>, string>>,
  Assert<Equals<ReturnType<typeof isValidCardNumber>, boolean>>,
  Assert<Equals<ReturnType<typeof init>, Promise<void>>>,
  Assert<Equals<MigoError["kind"], MigoErrorKind>>,
  Assert<Equals<MigoError["outcome"], MigoOutcome>>,
  Assert<Equals<MigoError["name"], "MigoError">>,
];

// ---- init ------------------------------------------------------------------

export async function loading(wasmUrl: URL, bytes: ArrayBuffer, module: WebAssembly.Module): Promise<void> {
  await init();
  await init(wasmUrl);
  await init("/assets/migo_cards_bg.wasm");
  await init(fetch(wasmUrl));
  await init(await fetch(wasmUrl));
  await init(bytes);
  await init(new Uint8Array(bytes));
  await init(module);
  const input: InitInput = wasmUrl;
  await init(Promise.resolve(input));
}

// ---- the client and its options ----------------------------------------------

export function clients(fetchToken: () => Promise<string>): MigoClient[] {
  const full: MigoClientOptions = {
    accessToken: "token-from-your-backend",
    applicationId: "YOUR_APP_ID",
    clientId: "YOUR_CLIENT_ID",
    environment: "sandbox",
    baseUrl: "http://127.0.0.1:8080/rest",
    maxRetries: 2,
    timeoutMs: 30_000,
  };
  const environment: Environment = "production";
  const lazy = new MigoClient({ getAccessToken: fetchToken, environment });
  const syncToken = new MigoClient({ getAccessToken: () => "token" });
  const summary: MigoClientSummary = full.environment === "sandbox" ? new MigoClient(full).toJSON() : lazy.toJSON();
  const env: Environment = summary.environment;
  const base: string = summary.baseUrl;
  const app: string | undefined = summary.applicationId;
  const text: string = `${lazy.toString()} ${lazy.baseUrl} ${lazy.environment satisfies Environment} ${env} ${base} ${app}`;
  void text;
  return [new MigoClient(full), lazy, syncToken];
}

// ---- every method, with and without the call options ---------------------------

export async function lifecycle(client: MigoClient, controller: AbortController): Promise<void> {
  const options: CallOptions = { signal: controller.signal, timeoutMs: 5_000, maxRetries: 0 };

  const card: Card = await client.issueCard("1001");
  await client.issueCard(1001, options);
  // A digit string when the id is beyond 2^53 - 1; either form is a CardId.
  const cardId: number | string | undefined = card.cardId;
  const id: CardId = cardId ?? "5000001";
  const status: CardStatus | undefined = card.status;
  if (status === "INACTIVE" || status === "ACTIVE" || status === "BLOCKED" || status === "SOME_FUTURE_STATE") void status;
  const alias: string | null | undefined = card.alias;
  const masked: string | undefined = card.maskedPan;
  const balance: string | number | undefined = card.balance;
  const owner: string | number | undefined = card.userId;
  const extra: unknown = card["createdAt"];
  void [alias, masked, balance, owner, extra];

  const input: LinkCardInput = { card: "4111 1111 1111 1111", alias: "Groceries", clientId: "acme" };
  const linked: Card = await client.linkCard("1001", input);
  await client.linkCard("alice", { card: "4111-1111-1111-1111" }, options);

  const activated: Card | undefined = await client.activateCard("1001", id);
  await client.activateCard(1001, "5000001", options);
  const blocked: Card | undefined = await client.blockCard("1001", id);
  await client.blockCard("1001", 5000001, options);
  const unblocked: Card | undefined = await client.unblockCard("1001", id);
  await client.unblockCard("1001", id, options);
  await client.blockCardForUser(id, "1002");
  await client.blockCardForUser(id, 1002, options);
  await client.unblockCardForUser(id, "1002");
  await client.unblockCardForUser("5000001", 1002, options);
  const nothing: void = await client.setCardPin(id, "0420");
  await client.setCardPinForUser(id, "1002", "0420", options);
  const renamed: Card | undefined = await client.updateCardAlias(id, "Groceries");
  await client.updateCardAlias(id, "Travel", options);
  void [linked, activated?.status, blocked?.status, unblocked?.status, renamed?.alias];

  const details: CardDetails = await client.getCardDetails("1001", id, "vt_0123");
  await client.getCardDetails("1001", id, "vt_4567", { signal: controller.signal });
  const secret: [string | undefined, string | undefined, string | undefined, string | undefined] = [
    details.pan,
    details.cvv,
    details.expiry,
    details.cardholderName,
  ];
  void secret;

  const period: StatementPeriod = { month: 1, year: 2025 };
  const statement: Statement = await client.createStatement(id, period);
  await client.createStatement(id, { month: 12, year: 2024 }, options);
  const statementFields: [string | number | undefined, number | string | undefined, number | undefined, number | undefined, string | undefined] = [
    statement.statementId,
    statement.cardId,
    statement.month,
    statement.year,
    statement.status,
  ];
  void statementFields;

  client.free();
}

export function disposal(options: MigoClientOptions): void {
  using client = new MigoClient(options);
  void client.environment;
}

// ---- the free functions --------------------------------------------------------

export function helpers(userInput: unknown): string[] {
  const sandbox: ActivationUrlOptions = { userId: "1001", client: "migoDeveloper", environment: "sandbox" };
  const valid: boolean = isValidCardNumber(userInput) && isValidCardNumber("4111111111111111");
  void valid;
  return [activationUrl(sandbox), activationUrl({ userId: 1001 }), activationUrl({ userId: "alice", environment: "production" })];
}

// ---- errors ----------------------------------------------------------------------

export function handle(e: unknown): string {
  if (!(e instanceof MigoError)) throw e;
  const asError: Error = e;
  const name: "MigoError" = e.name;
  const kind: MigoErrorKind = e.kind;
  const field: string | undefined = e.field;
  const status: number | undefined = e.status;
  const code: string | undefined = e.code;
  const errors: MigoApiErrorItem[] | undefined = e.errors;
  const first: MigoApiErrorItem | undefined = errors?.[0];
  const firstCode: string | number | undefined = first?.code;
  const firstMessage: string | undefined = first?.message;
  const other: unknown = first?.["field"];
  const requestId: string | undefined = e.requestId;
  const attempts: number = e.attempts;
  const retryable: boolean = e.retryable;
  const outcome: MigoOutcome = e.outcome;
  void [asError.message, name, field, status, requestId, attempts, retryable, firstCode, firstMessage, other];

  switch (kind) {
    case "validation":
    case "config":
      return `bad ${field ?? "argument"}`;
    case "api":
      return code === "7213" ? "INVALID_STATUS_CARD" : `api ${status ?? "?"}`;
    case "network":
    case "timeout":
      return outcome === "unknown" ? "check before retrying" : outcome === "rejected" || outcome === "notSent" ? "retry" : outcome;
    case "decode":
    case "aborted":
      return kind;
    default: {
      // Every kind is handled above.
      const never: never = kind;
      return never;
    }
  }
}
