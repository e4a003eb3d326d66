// The node SDK's public API. The package is laid out by what each folder holds:
//   keys/     hotkeys from a URI, mnemonic, key file or btcli wallet
//   runtime/  sign-in, the request feed, heartbeats, logging, the shared node loop
//   roles/    the validator and miner on that runtime
//   leads/    the reference curator and rankers;  plugins/  the operator's own, by module or HTTP
//   chain/    weights for subtensor
//   cli/      the consensus-node command (cli.ts is its entry point)
export * from "./keys/hotkey";
export * from "./keys/btwallet";
export * from "./runtime/log";
export * from "./runtime/session";
export * from "./runtime/background-work";
export * from "./runtime/wait-bound";
export * from "./runtime/node-runtime";
export * from "./runtime/open-request";
export * from "./runtime/heartbeat";
export { isAuthError } from "./runtime/retry";
export * from "./roles/miner";
export * from "./roles/validator";
export * from "./leads";
export * from "./plugins";
// The buyer-side API client (its own package, consensus-client), for code written against this one.
export * from "consensus-client";
export { parseCli, main, USAGE, SYNOPSIS, UsageError, EMULATOR_DEFAULTS } from "./cli";
export type { Command, NodeCommand, RequestCommand } from "./cli";
// The core's lead type, so a plug-in written against this package alone needs no other import.
export type { Lead } from "consensus-core";
