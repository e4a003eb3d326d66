// Runs `consensus-node weights`: sign in as the validator, read the miner scores and the miners'
// uids, compute the weight vector (and with --set submit it); with --every, again each period
// until a signal stops it. Returns the exit code.
import { setLogLevel } from "firebase/firestore";
import { SubtensorClient, setWeightsCall } from "consensus-core";
import type { WeightsCommand } from "./parse";
import { EXIT } from "consensus-client";
import { loadKeypairForCommand } from "../keys/hotkey";
import { Session } from "../runtime/session";
import {
  CommitRevealError,
  computeWeights,
  formatWeights,
  maxWeightFraction,
  readChainWeightSettings,
  readMinerWeightInputs,
  submitWeights,
  type WeightsReport,
} from "../chain/weights";
import type { KeyringPair } from "@polkadot/keyring/types";

async function once(cmd: WeightsCommand, pair: KeyringPair): Promise<WeightsReport> {
  const session = await Session.open(pair, "validator", cmd.session);
  let miners;
  try {
    miners = await readMinerWeightInputs(session.db, cmd.netuid);
  } finally {
    await session.close();
  }
  let limit = cmd.maxWeightLimit ?? 1;
  let versionKey = cmd.versionKey ?? 0n;
  if (cmd.chain) {
    const client = await SubtensorClient.connect(cmd.chain);
    try {
      const chain = await readChainWeightSettings(client, cmd.netuid);
      if (cmd.set && chain.commitReveal) throw new CommitRevealError(cmd.netuid);
      limit = cmd.maxWeightLimit ?? maxWeightFraction(chain.maxWeightsLimit);
      versionKey = cmd.versionKey ?? chain.versionKey;
    } finally {
      await client.close();
    }
  }
  const report = computeWeights(cmd.netuid, miners, limit, versionKey);
  if (cmd.set && cmd.chain) {
    if (report.uids.length === 0) throw new Error("no weights to set (no registered miners)");
    report.submitted = await submitWeights(
      cmd.chain,
      pair,
      cmd.netuid,
      report,
      versionKey,
      setWeightsCall(cmd.netuid, report.uids, report.weights, versionKey),
    );
  }
  return report;
}

function print(cmd: WeightsCommand, report: WeightsReport): void {
  process.stdout.write((cmd.json ? JSON.stringify(report, null, 2) : formatWeights(report)) + "\n");
}

export async function runWeightsCommand(cmd: WeightsCommand): Promise<number> {
  const pair = await loadKeypairForCommand(cmd.key);
  if (!pair) return EXIT.usage;
  setLogLevel("error");
  if (cmd.everyMinutes === undefined) {
    try {
      print(cmd, await once(cmd, pair));
      return EXIT.ok;
    } catch (err) {
      process.stderr.write(`consensus-node weights: ${(err as Error).message}\n`);
      return EXIT.failed;
    }
  }
  // Repeating: a failed round is reported and the next one tried; a signal ends the loop.
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let stopping = false;
  const onSignal = () => {
    stopping = true;
    stop();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const periodMs = cmd.everyMinutes * 60_000;
  while (!stopping) {
    try {
      print(cmd, await once(cmd, pair));
    } catch (err) {
      process.stderr.write(`consensus-node weights: ${(err as Error).message}\n`);
      if (err instanceof CommitRevealError) return EXIT.failed;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise((r) => (timer = setTimeout(r, periodMs)))]);
    clearTimeout(timer);
  }
  return EXIT.ok;
}
