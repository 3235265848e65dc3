// The declarations for `import` (ES-module format, as the code it describes);
// they live once in index.d.cts, which `require` reads directly.
export {
  init as default,
  MigoClient,
  MigoError,
  activationUrl,
  isValidCardNumber,
} from "./index.cjs";
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
  MigoErrorKind,
  MigoOutcome,
  MigoApiErrorItem,
  InitInput,
} from "./index.cjs";
