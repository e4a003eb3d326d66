// `npm start` in a real pseudo-terminal (util-linux `script`): one Ctrl-C typed into the terminal
// (the terminal driver sends SIGINT to the whole foreground process group, npm included), a
// SIGTERM to the top process, and a double Ctrl-C must each leave no process of this checkout and
// no listening emulator port behind, and the next start must come up. Run it alone, in a private
// network namespace (the ports are fixed): `npm run test:terminal`. STOP_REPEAT sets how many
// single Ctrl-C stops it makes in a row (default 2).
import { ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createServer, Server } from "node:net";
import { resolve } from "node:path";

const root = resolve(__dirname, "../..");
const REPEAT = Number(process.env.STOP_REPEAT ?? 2);
const UP = /demo: all nodes online/;
const START_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 120_000;
const firebase = JSON.parse(readFileSync(resolve(root, "firebase.json"), "utf8"));
const PORTS: number[] = Object.values(firebase.emulators as Record<string, { port?: number }>)
  .map((e) => e.port)
  .filter((p): p is number => typeof p === "number");

jest.setTimeout((REPEAT + 4) * (START_TIMEOUT_MS + STOP_TIMEOUT_MS));

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function pids(): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

function parentOf(pid: number): number {
  const stat = read(`/proc/${pid}/stat`) ?? "";
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1] ?? 0);
}

// This test and the commands that started it (npm, jest) also run in this checkout.
const before = new Set(pids());

/** Processes started by a run: cwd or command line under the checkout (java, nodes, workers). */
function leftovers(): string[] {
  const found: string[] = [];
  for (const pid of pids()) {
    if (before.has(pid)) continue;
    const cmd = (read(`/proc/${pid}/cmdline`) ?? "").split("\0").join(" ").trim();
    let cwd = "";
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      /* exited, or a zombie */
    }
    if (cmd && (cwd === root || cwd.startsWith(`${root}/`) || cmd.includes(root))) {
      found.push(`${pid} (cwd ${cwd}): ${cmd.slice(0, 150)}`);
    }
  }
  return found;
}

/** Emulator ports something still listens on, from /proc/net/tcp{,6} (state 0A = LISTEN). */
function listening(): number[] {
  const ports = ["/proc/net/tcp", "/proc/net/tcp6"].flatMap((f) =>
    (read(f) ?? "")
      .split("\n")
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((c) => c[3] === "0A")
      .map((c) => parseInt(c[1].split(":")[1], 16)),
  );
  return PORTS.filter((p) => ports.includes(p));
}

class Terminal {
  readonly proc: ChildProcess;
  output = "";
  readonly exit: Promise<number | null>;
  private waiters: Array<() => void> = [];

  constructor(command: string) {
    // `exec` makes the command the terminal's session leader, as a shell's foreground job is.
    this.proc = spawn("script", ["-qfec", `exec ${command}`, "/dev/null"], {
      cwd: root,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    for (const s of [this.proc.stdout!, this.proc.stderr!]) {
      s.on("data", (d: Buffer) => {
        this.output += d.toString();
        this.waiters.forEach((w) => w());
      });
    }
    // A key pressed after the run ended is lost, as at a real terminal.
    this.proc.stdin!.on("error", () => {});
    this.exit = new Promise((r) => this.proc.on("exit", (code) => r(code)));
  }

  /** Resolves once the output matches `re`; rejects after `ms` (or at exit) with the output. */
  waitFor(re: RegExp, ms = START_TIMEOUT_MS): Promise<void> {
    return new Promise((ok, fail) => {
      const check = () => {
        if (re.test(this.output)) {
          clearTimeout(timer);
          ok();
        }
      };
      const timer = setTimeout(
        () => fail(new Error(`no ${re} within ${ms} ms:\n${this.tail()}`)),
        ms,
      );
      this.waiters.push(check);
      this.exit.then(() =>
        setImmediate(() => fail(new Error(`exited before ${re}:\n${this.tail()}`))),
      );
      check();
    });
  }

  /** Ctrl-C typed at the terminal: the line discipline turns it into SIGINT for the foreground group. */
  ctrlC(): void {
    this.proc.stdin!.write("\x03");
  }

  /** The process `script` runs in the terminal (npm). */
  top(): number {
    const pid = pids().find((p) => parentOf(p) === this.proc.pid);
    if (!pid) throw new Error("no process under script");
    return pid;
  }

  async exited(ms = STOP_TIMEOUT_MS): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(
        () => fail(new Error(`did not exit within ${ms} ms:\n${this.tail()}`)),
        ms,
      );
    });
    try {
      return await Promise.race([this.exit, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  tail(): string {
    return this.output.split("\n").slice(-40).join("\n");
  }
}

// npm itself is in the chain (it forwards the terminal's SIGINT once more); its prestart build is
// skipped, the test runs on a built checkout.
const START = "npm start --ignore-scripts";

async function up(): Promise<Terminal> {
  const t = new Terminal(START);
  await t.waitFor(UP);
  return t;
}

function expectClean(t: Terminal): void {
  const left = leftovers();
  const ports = listening();
  if (left.length > 0 || ports.length > 0) {
    throw new Error(`left behind: ${JSON.stringify({ processes: left, ports })}\n${t.tail()}`);
  }
}

describe("npm start in a terminal stops cleanly", () => {
  afterAll(() => {
    // A failed case must not leave a run behind for the next test run.
    for (const line of leftovers()) {
      try {
        process.kill(Number(line.split(" ")[0]), "SIGKILL");
      } catch {
        /* gone */
      }
    }
  });

  test("a fixed port taken: it names the process holding it and how to stop it", async () => {
    const server: Server = createServer();
    await new Promise<void>((r) =>
      server.listen(firebase.emulators.firestore.port, "127.0.0.1", r),
    );
    try {
      const t = new Terminal(START);
      expect(await t.exited()).not.toBe(0);
      expect(t.output).toContain(
        `port ${firebase.emulators.firestore.port} (firestore) is held by pid ${process.pid}`,
      );
      expect(t.output).toContain(`kill ${process.pid}`);
      expect(t.output).not.toMatch(/Starting emulators/);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(listening()).toEqual([]);
  });

  for (let i = 1; i <= REPEAT; i++) {
    test(`one Ctrl-C (${i} of ${REPEAT})`, async () => {
      const t = await up();
      t.ctrlC();
      expect(await t.exited()).toBe(0);
      expect(t.output).not.toMatch(/forced the Emulator Suite to exit/);
      expectClean(t);
    });
  }

  test("SIGTERM to the top process (npm)", async () => {
    const t = await up();
    process.kill(t.top(), "SIGTERM");
    await t.exited();
    expect(t.output).not.toMatch(/forced the Emulator Suite to exit/);
    expectClean(t);
  });

  test("a second Ctrl-C while stopping kills what is left", async () => {
    const t = await up();
    t.ctrlC();
    // The second press once the stop is under way (the nodes are shutting down).
    await t.waitFor(/SIGTERM received|Script exited/, STOP_TIMEOUT_MS);
    await t.waitFor(/Ctrl-C again to force/, 1000);
    await new Promise((r) => setTimeout(r, 1100)); // past the window that merges npm's forwarded copy
    t.ctrlC();
    await t.exited();
    expect(t.output).toMatch(/SIGINT again: killing what is left/);
    expectClean(t);
  });

  test("one Ctrl-C while the emulators are still starting", async () => {
    const t = new Terminal(START);
    await t.waitFor(/Starting emulators/);
    t.ctrlC();
    expect(await t.exited()).toBe(0);
    expectClean(t);
  });

  test("after a forced stop the next start comes up", async () => {
    const t = await up();
    t.ctrlC();
    expect(await t.exited()).toBe(0);
    expectClean(t);
  });
});
