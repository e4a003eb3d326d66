// Real node processes for the emulator tests: `node node/lib/cli.js ...`, their output collected
// line by line so a test can wait for what a node logs. Every process started here is killed by
// killAll(), which each test file calls in afterEach, so nothing outlives the test that started it.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";

export const CLI = path.resolve(__dirname, "../../lib/cli.js");

export interface NodeProcess {
  name: string;
  child: ChildProcessWithoutNullStreams;
  /** stdout and stderr lines, in arrival order. */
  lines: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: boolean;
  output(): string;
  /** Resolves with the first line (already seen or yet to come) matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

const running = new Set<NodeProcess>();

export function requireBuiltCli(): void {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} is missing: build first with \`npx tsc -b functions node\``);
  }
}

/** `cli`: another consensus-node entry point, e.g. the one a node-only install put in .bin. */
export function startCli(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cli: string = CLI,
): NodeProcess {
  if (cli === CLI) requireBuiltCli();
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, LLM_BASE_URL: "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end();
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    if (process.env.NODE_TEST_VERBOSE) process.stderr.write(`${name}: ${line}\n`);
    for (const w of [...waiters]) {
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) !== -1) {
        onLine(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
    stream.on("end", () => {
      if (buffer) onLine(buffer);
      buffer = "";
    });
  }
  const proc: NodeProcess = {
    name,
    child,
    lines,
    exited: false,
    exit: new Promise((resolve) => {
      child.on("close", (code, signal) => {
        proc.exited = true;
        running.delete(proc);
        resolve({ code, signal });
      });
    }),
    output: () => lines.join("\n"),
    waitFor(pattern, timeoutMs = 30_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const waiter = {
          pattern,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(
            new Error(
              `${name}: no line matching ${pattern} within ${timeoutMs} ms` +
                `${proc.exited ? " (process exited)" : ""}; output:\n${proc.output()}`,
            ),
          );
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
  };
  running.add(proc);
  return proc;
}

/** A validator or miner on the emulators, e.g. startNode("validator", "//Alice"). */
export function startNode(
  role: "validator" | "miner",
  uri: string,
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
): NodeProcess {
  return startCli(`${role} ${uri}`, [role, "--uri", uri, "--emulator", ...extraArgs], env);
}

/** The README's request command on the emulators; resolves with the request id it prints. */
export async function sendRequestCommand(
  key: string,
  desc: string,
  name = "client",
): Promise<string> {
  const client = startCli(name, [
    "request",
    "--emulator",
    "--key",
    key,
    "--num",
    "3",
    "--desc",
    desc,
  ]);
  const line = await client.waitFor(/request [0-9a-f-]{36} /);
  return /request ([0-9a-f-]{36}) /.exec(line)![1];
}

/** Starts the nodes and waits until each has subscribed to open requests. */
export async function startListening(
  ...specs: [role: "validator" | "miner", uri: string, args?: string[], env?: NodeJS.ProcessEnv][]
): Promise<NodeProcess[]> {
  const procs = specs.map(([role, uri, args, env]) => startNode(role, uri, args, env));
  // Generous: on a loaded 2-core machine a cold node (Firebase SDK, sr25519 wasm) can take long.
  await Promise.all(procs.map((p) => p.waitFor(/listening for requests/, 90_000)));
  return procs;
}

export async function kill(proc: NodeProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (proc.exited) return;
  proc.child.kill(signal);
  await proc.exit;
}

/** SIGTERM, then SIGKILL whatever has not exited within `graceMs`. */
export async function killAll(graceMs = 5_000): Promise<void> {
  const procs = [...running];
  for (const p of procs) p.child.kill("SIGTERM");
  await Promise.all(
    procs.map(async (p) => {
      const timer = setTimeout(() => p.child.kill("SIGKILL"), graceMs);
      await p.exit;
      clearTimeout(timer);
    }),
  );
}
