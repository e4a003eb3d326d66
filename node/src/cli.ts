#!/usr/bin/env node
// consensus-node's entry point: parse the command line, then run a node, a request or the help.
import { EXIT, runRequestCommand } from "consensus-client";
import { parseCli, UsageError, type Command } from "./cli/parse";
import { SYNOPSIS, USAGE } from "./cli/program";
import { runNode } from "./cli/run";
import { runWeightsCommand } from "./cli/weights";

export { parseCli, UsageError } from "./cli/parse";
export type { Command, NodeCommand, RequestCommand, WeightsCommand } from "./cli/parse";
export { EMULATOR_DEFAULTS, SYNOPSIS, USAGE } from "./cli/program";

type Env = Record<string, string | undefined>;

export async function main(
  argv: readonly string[] = process.argv.slice(2),
  env: Env = process.env,
): Promise<number> {
  let cmd: Command;
  try {
    cmd = parseCli(argv, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(
      `consensus-node: ${err.message}\n\n${SYNOPSIS}\nRun 'consensus-node help' for all options.\n`,
    );
    return EXIT.usage;
  }
  switch (cmd.command) {
    case "help":
      process.stdout.write(USAGE + "\n");
      return EXIT.ok;
    case "request":
      return runRequestCommand(cmd);
    case "weights":
      return runWeightsCommand(cmd);
    default:
      return runNode(cmd);
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`consensus-node: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(EXIT.failed);
    },
  );
}
