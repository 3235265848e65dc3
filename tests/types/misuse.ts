// Misuses of migo-cards that the declarations must reject. Each one sits
// under a `// @ts-expect-error TSnnnn: why` line, so the file compiles only
// if every misuse is an error (an unused @ts-expect-error is itself one).
// types.test.mjs also compiles a copy without the directives and checks
// that each misuse line fails with the TSnnnn its directive names, so a
// misuse cannot pass for an unrelated reason.
import init, { MigoClient, MigoError, activationUrl, isValidCardNumber, type Card, type MigoErrorKind } from "migo-cards";
import { createTestGateway, type TestGateway } from "migo-cards/testing";

export async function misuses(client: MigoClient, e: MigoError, card: Card): Promise<void> {
  // ---- a PIN is a string: a number would lose its leading zeros
  // @ts-expect-error TS2345: pin is a string
  client.setCardPin(5000001, 420);
  // ---- the client's options
  // @ts-expect-error TS2322: environment is "production" | "sandbox"
  new MigoClient({ accessToken: "t", environment: "staging" });
  // @ts-expect-error TS2561: unknown option (a typo of accessToken)
  new MigoClient({ acessToken: "t" });
  // @ts-expect-error TS2322: maxRetries is a number
  new MigoClient({ accessToken: "t", maxRetries: "2" });
  // @ts-expect-error TS2322: getAccessToken returns a string or a promise of one
  new MigoClient({ getAccessToken: () => 42 });
  // @ts-expect-error TS2554: the options object is required
  new MigoClient();
  // @ts-expect-error TS2322: accessToken is a string
  new MigoClient({ accessToken: 123 });

  // ---- arguments of the methods
  // @ts-expect-error TS2554: missing userId
  await client.issueCard();
  // @ts-expect-error TS2345: a userId is a string or a number
  await client.issueCard(true);
  // @ts-expect-error TS2345: a userId is not an object
  await client.issueCard({ userId: "1001" });
  // @ts-expect-error TS2345: alias is a string, not a number
  await client.updateCardAlias(5000001, 42);
  // @ts-expect-error TS2554: missing alias
  await client.updateCardAlias(5000001);
  // @ts-expect-error TS2345: a cardId is a string or a number
  await client.activateCard("1001", null);
  // @ts-expect-error TS2554: missing cardId
  await client.blockCard("1001");
  // @ts-expect-error TS2345: authUserId is a string or a number
  await client.blockCardForUser(5000001, ["1002"]);
  // @ts-expect-error TS2554: missing authUserId
  await client.unblockCardForUser(5000001);
  // @ts-expect-error TS2554: unblockCard takes (userId, cardId), not one object
  await client.unblockCard({ userId: "1001", cardId: 5000001 });
  // @ts-expect-error TS2554: missing view token
  await client.getCardDetails("1001", 5000001);
  // @ts-expect-error TS2345: the view token is a string
  await client.getCardDetails("1001", 5000001, 123456);
  // @ts-expect-error TS2322: month is a number, not a string
  await client.createStatement(5000001, { month: "1", year: 2025 });
  // @ts-expect-error TS2741: year is required
  await client.createStatement(5000001, { month: 1 });
  // @ts-expect-error TS2345: the period is an object
  await client.createStatement(5000001, "2025-01");
  // @ts-expect-error TS2741: linkCard needs the card number
  await client.linkCard("1001", { alias: "Groceries" });
  // @ts-expect-error TS2322: the card number is a string
  await client.linkCard("1001", { card: 4111111111111111 });
  // @ts-expect-error TS2345: linkCard takes an object, not the bare number
  await client.linkCard("1001", "4111111111111111");
  // @ts-expect-error TS2353: unknown call option
  await client.issueCard("1001", { retries: 3 });
  // @ts-expect-error TS2322: signal is an AbortSignal
  await client.issueCard("1001", { signal: "abort" });
  // @ts-expect-error TS2322: timeoutMs is a number
  await client.issueCard("1001", { timeoutMs: "5s" });

  // ---- methods and properties that do not exist or are read-only
  // @ts-expect-error TS2339: there is no deleteCard
  await client.deleteCard("1001", 5000001);
  // @ts-expect-error TS2551: the method is issueCard
  await client.issueCards("1001");
  // @ts-expect-error TS2540: baseUrl is read-only
  client.baseUrl = "https://example.com/rest";
  // @ts-expect-error TS2540: environment is read-only
  client.environment = "sandbox";
  // @ts-expect-error TS2339: the token is never exposed
  void client.accessToken;
  // @ts-expect-error TS2339: the package has no default client
  void MigoClient.default;

  // ---- results are typed
  // @ts-expect-error TS2322: an activation may resolve to undefined (empty body, 204)
  const activated: Card = await client.activateCard("1001", 5000001);
  // @ts-expect-error TS2322: cardId may be missing, or a digit string beyond 2^53 - 1
  const id: number = card.cardId;
  // @ts-expect-error TS2322: status is a string, not a number
  const status: number | undefined = card.status;
  // @ts-expect-error TS2322: issueCard resolves to a Card, not a string
  const issued: string = await client.issueCard("1001");
  // @ts-expect-error TS2322: activationUrl returns a string
  const url: URL = activationUrl({ userId: "1001" });
  // @ts-expect-error TS2322: isValidCardNumber returns a boolean
  const valid: string = isValidCardNumber("4111111111111111");
  void [activated, id, status, issued, url, valid];

  // ---- the free functions
  // @ts-expect-error TS2741: activationUrl needs a userId
  activationUrl({ client: "migoDeveloper" });
  // @ts-expect-error TS2322: environment is "production" | "sandbox"
  activationUrl({ userId: "1001", environment: "qa" });
  // @ts-expect-error TS2345: activationUrl takes an options object
  activationUrl("1001");
  // @ts-expect-error TS2345: init takes a URL, a Response, bytes or a module, not null
  await init(null);

  // ---- errors
  // @ts-expect-error TS2322: "http" is not a kind
  const kind: MigoErrorKind = "http";
  // @ts-expect-error TS2322: e.kind is a MigoErrorKind, not any string literal
  const wrongKind: "api" = e.kind;
  // @ts-expect-error TS2367: e.kind is never "http"
  if (e.kind === "http") void e;
  // @ts-expect-error TS2367: e.outcome is never "maybe"
  if (e.outcome === "maybe") void e;
  // @ts-expect-error TS2540: kind is read-only
  e.kind = "api";
  // @ts-expect-error TS2322: code is a string (e.g. "7213"), not a number
  const code: number | undefined = e.code;
  // @ts-expect-error TS2322: status may be missing
  const httpStatus: number = e.status;
  // @ts-expect-error TS2322: attempts is a number
  const attempts: string = e.attempts;
  // @ts-expect-error TS2322: retryable is a boolean
  const retryable: "yes" | "no" = e.retryable;
  // @ts-expect-error TS2339: there is no token field
  void e.accessToken;
  // @ts-expect-error TS2673: the SDK constructs its errors; the constructor is private
  throw new MigoError("boom", {});
  void [kind, wrongKind, code, httpStatus, attempts, retryable];
}

export function testingMisuses(gateway: TestGateway): void {
  // @ts-expect-error TS2353: createTestGateway has no port (it is not a server)
  createTestGateway({ port: 3010 });
  // @ts-expect-error TS2322: users is a list of ids
  createTestGateway({ users: "1001" });
  // @ts-expect-error TS2322: seed is a number
  createTestGateway({ seed: "1" });
  // @ts-expect-error TS2561: the delay is delayMs (the admin API refuses the typo too)
  gateway.fault({ delay: 100 });
  // @ts-expect-error TS2322: retryAfter is seconds or an HTTP date
  gateway.fault({ status: 503, retryAfter: true });
  // @ts-expect-error TS2322: the envelope reading is "success" or "statusCode"
  gateway.config({ envelope: "json" });
  // @ts-expect-error TS2322: a card's state is INACTIVE, ACTIVE or BLOCKED
  gateway.addCard({ userId: "1001", status: "LOST" });
  // @ts-expect-error TS2345: viewToken needs a card id
  gateway.viewToken({ cardId: 1 });
  // @ts-expect-error TS2540: fetch is read-only
  gateway.fetch = fetch;
  // @ts-expect-error TS2339: the log is read with requests(), not a property
  void gateway.log;
}
