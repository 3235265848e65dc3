// migo-cards/testing, used as the README's "Testing your app" shows it. This
// file must compile with `tsc --noEmit --strict` (types.test.mjs); the
// `Assert<...>` lines pin the declared types and check nothing is `any`.
import { MigoClient, type MigoClientOptions } from "migo-cards";
import {
  createTestGateway,
  type EnvelopeReading,
  type FaultSpec,
  type JsonValue,
  type LoggedRequest,
  type NewTestCard,
  type QueuedFault,
  type TestCard,
  type TestCardStatus,
  type TestGateway,
  type TestGatewayOptions,
  type TestGatewayState,
  type TestStatement,
  operations,
  wire,
  type Operation,
  type OperationMethod,
  type ParamName,
  type RetryClass,
} from "migo-cards/testing";

type IsAny<T> = 0 extends 1 & T ? true : false;
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: 0 };
type PropsNoAny<T> = true extends { [K in KnownKeys<T>]: IsAny<T[K]> }[KnownKeys<T>] ? false : true;
type FnNoAny<F> = F extends (...args: infer A) => infer R
  ? IsAny<Awaited<R>> extends true
    ? false
    : true extends { [K in keyof A]: IsAny<A[K]> }[number]
      ? false
      : true
  : false;

export type TypeChecks = [
  Assert<Equals<TestCardStatus, "INACTIVE" | "ACTIVE" | "BLOCKED">>,
  Assert<Equals<EnvelopeReading, "success" | "statusCode">>,
  Assert<PropsNoAny<TestGatewayOptions>>,
  Assert<PropsNoAny<TestCard>>,
  Assert<PropsNoAny<TestStatement>>,
  Assert<PropsNoAny<LoggedRequest>>,
  Assert<PropsNoAny<FaultSpec>>,
  Assert<PropsNoAny<QueuedFault>>,
  Assert<PropsNoAny<NewTestCard>>,
  Assert<PropsNoAny<TestGatewayState>>,
  Assert<PropsNoAny<TestGateway>>,
  Assert<FnNoAny<TestGateway["fetch"]>>,
  Assert<FnNoAny<TestGateway["state"]>>,
  Assert<FnNoAny<TestGateway["fault"]>>,
  Assert<FnNoAny<TestGateway["addCard"]>>,
  Assert<FnNoAny<typeof createTestGateway>>,
  Assert<PropsNoAny<Operation>>,
  Assert<Equals<typeof operations, readonly Operation[]>>,
  Assert<Equals<LoggedRequest["processed"], number | null>>,
  Assert<"neverRetried" extends RetryClass ? true : false>,
  Assert<"POST" extends OperationMethod ? true : false>,
  Assert<"cardId" extends ParamName ? true : false>,
  Assert<Equals<ReturnType<TestGateway["viewToken"]>, string>>,
  Assert<Equals<TestGateway["fetch"], typeof fetch>>,
  // The client's fetch option takes the gateway's fetch.
  Assert<TestGateway["fetch"] extends NonNullable<MigoClientOptions["fetch"]> ? true : false>,
];

export async function flow(): Promise<JsonValue> {
  const gateway: TestGateway = createTestGateway({ seed: 1, users: ["1001", "alice"], basePath: "/rest" });
  createTestGateway();
  // The gateway's fetch is a fetch: it fits wherever one is expected.
  const f: typeof fetch = gateway.fetch;
  const client = new MigoClient({ accessToken: gateway.accessToken, environment: "sandbox", fetch: gateway.fetch });
  void client;
  const res: Response = await f(`https://ali-qa.ali.app${gateway.basePath}/users/1001/cards/virtuals`, {
    method: "POST",
    headers: { authorization: `Bearer ${gateway.accessToken}` },
  });
  const seeded: TestCard = gateway.addCard({ userId: "alice", status: "ACTIVE", alias: "Groceries" });
  const token: string = gateway.viewToken(seeded.cardId);
  const queued: number = gateway.fault({ path: "/users/*/cards/virtuals", drop: true, after: true });
  gateway.fault({ method: "POST", status: 503, retryAfter: 2, times: 2 });
  gateway.fault({ delayMs: 1000, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT" });
  const { envelope }: { envelope: EnvelopeReading } = gateway.config({ envelope: "statusCode" });
  gateway.config();
  gateway.clearFaults();
  const state: TestGatewayState = gateway.state();
  const first: LoggedRequest | undefined = gateway.requests()[0];
  const status: number | null = first?.status ?? null;
  const acted: boolean = (first?.processed ?? 0) >= 200;
  void acted;
  // Each operation names a method of the client, its arguments, its retry class.
  for (const op of operations) {
    const args: readonly (ParamName | readonly ParamName[])[] = op.args;
    const cls: RetryClass = op.retry;
    const onWire: string = wire[op.body[0] ?? "cardId"] ?? op.path;
    void [args, cls, onWire, op.name in client];
  }
  const card: TestCard | undefined = gateway.card(seeded.cardId) ?? gateway.card("5000001");
  const users: readonly string[] = gateway.users;
  gateway.reset();
  void [res.status, token, queued, envelope, state.faults.length, status, card?.status, users, gateway.expiredToken];
  return first?.body ?? null;
}
