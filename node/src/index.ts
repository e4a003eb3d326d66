// The node SDK: hotkey loading, sign-in, the validator and miner runtimes, and the API client.
export * from "./keys";
export * from "./log";
export * from "./session";
export * from "./errors";
export { fetchWithTimeout, DEFAULT_TIMEOUT_MS } from "./http";
export type { RetryPolicy } from "./http";
export * from "./background-work";
export * from "./wait-bound";
export * from "./node-runtime";
export * from "./open-request";
export * from "./heartbeat";
export { isAuthError } from "./retry";
export * from "./miner";
export * from "./validator";
export * from "./client";
export { parseCli, main, USAGE, SYNOPSIS, UsageError, EMULATOR_DEFAULTS } from "./cli";
export type { Command, NodeCommand, RequestCommand } from "./cli";
export * from "./leads";
export * from "./plugins";
export * from "./btwallet";
// The core's lead type, so a plug-in written against this package alone needs no other import.
export type { Lead } from "consensus-core";
