#!/usr/bin/env node
// The request command line: one table of flags, each with its environment variable, read by
// commander (env(), argParser(), conflicts()). The same parser serves `consensus-client` and
// `consensus-node request`. Pure apart from main(): a bad command line is a UsageError.
import { Command, CommanderError, Option } from "commander";
import { CreateLeadsRequestSchema, describeIssues } from "consensus-core";
import { EXIT, runRequestCommand } from "./request";

// The flag building blocks, so a command built on this one shares its commander.
export { Option };

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type Env = Record<string, string | undefined>;

/** The API of the local emulator suite (DESIGN.md's project id and port). */
export const EMULATOR_API_URL = "http://127.0.0.1:5001/demo-consensus/us-central1/api";

export interface RequestCommand {
  command: "request";
  apiBaseUrl: string;
  apiKey: string;
  numLeads: number;
  businessDesc: string;
  json: boolean;
  idempotencyKey?: string;
}

export const isSet = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";

/** An environment value that turns a switch on: set, and not 0/false/no/off. */
export const truthy = (value: string | undefined): boolean =>
  isSet(value) && !["0", "false", "no", "off"].includes(value.trim().toLowerCase());

/** commander argParser: a whole number. */
export const wholeNumber =
  (flag: string) =>
  (value: string): number => {
    if (!/^\d+$/.test(value.trim())) {
      throw new UsageError(`${flag} must be a whole number, got "${value}"`);
    }
    return Number(value.trim());
  };

/** commander argParser: an http(s) URL, without trailing slashes. */
export const httpUrl =
  (flag: string) =>
  (value: string): string => {
    try {
      const u = new URL(value);
      if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
    } catch {
      throw new UsageError(`${flag} must be an http(s) URL, got "${value}"`);
    }
    return value.replace(/\/+$/, "");
  };

const idempotencyKey = (value: string): string => {
  if (!/^[\x21-\x7e]{1,255}$/.test(value)) {
    throw new UsageError("--idempotency-key: 1-255 printable ASCII characters without spaces");
  }
  return value;
};

/** Connection flags, shared with the node commands' table. */
export const apiOption = (description = "HTTPS API base URL") =>
  new Option("--api <URL>", description).env("CONSENSUS_API_URL").argParser(httpUrl("--api"));
export const emulatorOption = (
  description = `the local emulator suite's API, ${EMULATOR_API_URL}`,
) => new Option("--emulator", description).env("CONSENSUS_EMULATOR");

const REQUEST = "Request options:";
const CONNECTION = "Connection:";

/** Every flag of the request command, once. */
const REQUEST_OPTIONS = (): Option[] => [
  new Option("--key <KEY>", "API key").env("CONSENSUS_API_KEY").helpGroup(REQUEST),
  new Option("--num <N>", "number of leads, 1-100")
    .argParser(wholeNumber("--num"))
    .helpGroup(REQUEST),
  new Option("--desc <TEXT>", "business description of the ideal customer").helpGroup(REQUEST),
  new Option("--json", "print the final status as JSON instead of a table").helpGroup(REQUEST),
  new Option(
    "--idempotency-key <K>",
    "sent as Idempotency-Key (default: a fresh UUID); re-running with the same key within 24 h " +
      "returns the first request instead of a new one",
  )
    .argParser(idempotencyKey)
    .helpGroup(REQUEST),
  apiOption().helpGroup(CONNECTION),
  emulatorOption().helpGroup(CONNECTION),
];

export const REQUEST_USAGE =
  "--key KEY --num N --desc TEXT [--json] [--idempotency-key K] [connection]";
export const REQUEST_SUMMARY = "submit a lead request as an API client and follow it to the end";

/**
 * A commander command that never writes or exits: errors and help come back as CommanderError
 * (commander keeps parsed values on the instance, so each parse gets a fresh one).
 */
export function quietCommand(name: string): Command {
  return (
    new Command(name)
      .allowExcessArguments(false)
      .exitOverride()
      // One width whatever the terminal, so the help reads the same everywhere.
      .configureHelp({ helpWidth: 100 })
      .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
  );
}

export function buildRequestCommand(name = "request"): Command {
  const cmd = quietCommand(name).usage(REQUEST_USAGE).description(REQUEST_SUMMARY);
  for (const option of REQUEST_OPTIONS()) cmd.addOption(option);
  return cmd;
}

/**
 * Runs commander over `args` with `env` as the environment its env() options read. Blank variables
 * count as unset. commander reads process.env itself, so it is swapped for `env` for the
 * (synchronous) parse: the caller's env is the only one consulted. null: help was asked for.
 */
export function parseWith(
  cmd: Command,
  args: readonly string[],
  env: Env,
  /** A message of the caller's for one of commander's errors (e.g. a conflict), by its code. */
  explain: (code: string, message: string) => string | undefined = () => undefined,
): Command | null {
  const saved = process.env;
  process.env = Object.fromEntries(Object.entries(env).filter(([, v]) => isSet(v)));
  try {
    cmd.parse(args, { from: "user" });
    return cmd;
  } catch (err) {
    // An argParser's UsageError comes through as it was thrown.
    if (!(err instanceof CommanderError)) throw err;
    if (err.code === "commander.helpDisplayed") return null;
    const message = err.message.replace(/^error: /, "");
    throw new UsageError(explain(err.code, message) ?? message);
  } finally {
    process.env = saved;
  }
}

/** A switch given as a flag, or by its variable when that is truthy (CONSENSUS_EMULATOR=0 is off). */
export function switchOn(cmd: Command, key: string, variable: string, env: Env): boolean {
  const value = cmd.getOptionValue(key) === true;
  return cmd.getOptionValueSource(key) === "env" ? value && truthy(env[variable]) : value;
}

/** --api (or CONSENSUS_API_URL), else the emulator's URL with --emulator; required. */
export function apiBaseUrlOf(cmd: Command, env: Env): string {
  const api = cmd.getOptionValue("api") as string | undefined;
  if (api !== undefined) return api;
  if (switchOn(cmd, "emulator", "CONSENSUS_EMULATOR", env)) return EMULATOR_API_URL;
  throw new UsageError("no API URL: give --api URL (or --emulator)");
}

/** The request command's flags (the environment as fallback), checked; null: help was asked. */
export function parseRequest(args: readonly string[], env: Env): RequestCommand | null {
  const cmd = parseWith(buildRequestCommand(), args, env);
  if (!cmd) return null;
  const values = cmd.opts<{
    key?: string;
    num?: number;
    desc?: string;
    json?: boolean;
    idempotencyKey?: string;
  }>();
  if (!isSet(values.key)) {
    throw new UsageError("no API key: give --key KEY (or set CONSENSUS_API_KEY)");
  }
  if (values.num === undefined) throw new UsageError("--num N is required");
  if (values.desc === undefined) throw new UsageError('--desc "..." is required');
  const apiBaseUrl = apiBaseUrlOf(cmd, env);
  // The same schema the API validates with, so a bad value is caught before any network call.
  const parsed = CreateLeadsRequestSchema.safeParse({
    num_leads: values.num,
    business_desc: values.desc,
  });
  if (!parsed.success) {
    const first = describeIssues(parsed.error)[0];
    const flag = { num_leads: "--num", business_desc: "--desc" }[first.field] ?? first.field;
    throw new UsageError(`${flag}: ${first.message}`);
  }
  return {
    command: "request",
    apiBaseUrl,
    apiKey: values.key.trim(),
    numLeads: parsed.data.num_leads,
    businessDesc: parsed.data.business_desc,
    json: values.json === true,
    ...(values.idempotencyKey !== undefined ? { idempotencyKey: values.idempotencyKey } : {}),
  };
}

export const CLIENT_USAGE = [
  "consensus-client: the lead consensus API client",
  buildRequestCommand("consensus-client").helpInformation().trimEnd(),
  "Exit codes: 0 request completed, 1 request failed, timed out or refused, 2 usage error.",
].join("\n\n");

/** `consensus-client [request] <flags>`: returns the exit code. */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  env: Env = process.env,
): Promise<number> {
  const args = argv[0] === "request" ? argv.slice(1) : argv;
  if (args.length === 0 || ["help", "--help", "-h"].includes(args[0])) {
    process.stdout.write(CLIENT_USAGE + "\n");
    return EXIT.ok;
  }
  let cmd: RequestCommand | null;
  try {
    cmd = parseRequest(args, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(
      `consensus-client: ${err.message}\n\nUsage: consensus-client ${REQUEST_USAGE}\n`,
    );
    return EXIT.usage;
  }
  if (!cmd) {
    process.stdout.write(CLIENT_USAGE + "\n");
    return EXIT.ok;
  }
  return runRequestCommand(cmd);
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`consensus-client: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(EXIT.failed);
    },
  );
}
