// The buyer-side API client: typed calls to the lead consensus API, one error hierarchy, webhook
// verification, and the request command. Depends on consensus-core and zod, not on Firebase.
export * from "./errors";
export {
  backoffDelay,
  callApi,
  callJsonApi,
  DEFAULT_TIMEOUT_MS,
  fetchWithTimeout,
  parseRetryAfter,
  requestJson,
} from "./http";
export type { ApiAnswer, CallInit, ResponseSchema, RetryPolicy } from "./http";
export * from "./client";
export * from "./request";
export * from "./webhooks";
export {
  apiBaseUrlOf,
  apiOption,
  buildRequestCommand,
  CLIENT_USAGE,
  EMULATOR_API_URL,
  emulatorOption,
  httpUrl,
  isSet,
  Option,
  parseRequest,
  parseWith,
  quietCommand,
  REQUEST_SUMMARY,
  REQUEST_USAGE,
  switchOn,
  truthy,
  UsageError,
  wholeNumber,
} from "./cli";
export type { Env, RequestCommand } from "./cli";
