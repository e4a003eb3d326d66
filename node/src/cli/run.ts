// Runs a validator or miner node from a parsed command until a signal stops it; returns the exit code.
import { setLogLevel } from "firebase/firestore";
import type { NodeCommand } from "./parse";
import { EXIT } from "consensus-client";
import { loadKeypairForCommand } from "../keys/hotkey";
import { createLogger } from "../runtime/log";
import { events } from "../runtime/events";
import { MinerNode } from "../roles/miner";
import type { NodeRuntime } from "../runtime/node-runtime";
import { createCurator, createRanker } from "../plugins";
import { ValidatorNode } from "../roles/validator";

/** Starts the node and resolves with the exit code once a signal has shut it down. */
export async function runNode(cmd: NodeCommand): Promise<number> {
  const pair = await loadKeypairForCommand(cmd.key);
  if (!pair) return EXIT.usage;
  const log = createLogger({ role: cmd.command, hotkey: pair.address, format: cmd.logFormat });
  // The SDK warns on every failed reconnect attempt; the node logs connection changes itself.
  setLogLevel("error");
  const common = {
    pair,
    session: cmd.session,
    logger: log,
    heartbeatMs: cmd.heartbeatMs,
  };
  const plugin = { hotkey: pair.address, log, timeoutMs: cmd.pluginTimeoutMs };
  let node: NodeRuntime;
  try {
    node =
      cmd.command === "validator"
        ? new ValidatorNode({
            ...common,
            waitBound: cmd.waitBound,
            ranker: cmd.ranker && createRanker(cmd.ranker, plugin),
          })
        : new MinerNode({
            ...common,
            leadPoolPath: cmd.leadPoolPath,
            curator: cmd.curator && createCurator(cmd.curator, plugin),
          });
  } catch (err) {
    events.nodeStartFailed(log, { error: (err as Error).message });
    return EXIT.usage;
  }
  events.nodeStarting(log, {
    hotkey: pair.address,
    key_from: cmd.keySource,
    api: cmd.session.apiBaseUrl,
    project: cmd.session.projectId,
    firestore_emulator: cmd.session.firestoreEmulatorHost,
    auth_emulator: cmd.session.authEmulatorHost,
    curator: cmd.curator && (cmd.curator.module ?? cmd.curator.url),
    ranker: cmd.ranker && (cmd.ranker.module ?? cmd.ranker.url),
  });

  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      events.signalRepeated(log, { signal });
      process.exit(EXIT.failed);
    }
    events.signalReceived(log, { signal });
    node.stop().then(
      () => resolveExit(EXIT.ok),
      (err) => {
        events.shutdownFailed(log, { error: (err as Error).message });
        resolveExit(EXIT.failed);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    await node.start();
  } catch (err) {
    if (signals > 0) return exited;
    events.nodeStartFailed(log, { error: (err as Error).message });
    return EXIT.failed;
  }
  return exited;
}
