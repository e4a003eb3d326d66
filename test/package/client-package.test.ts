// The API client alone: the consensus-client tarball installed into an empty folder with
// --omit=dev, as a buyer's service would, runs its request command and loads its SDK without the
// node runtime: no Firebase, no node package.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import {
  describeInstall,
  packAndInstall,
  type NodeInstall,
} from "../../node/test/support/node-install";

let install: NodeInstall;

beforeAll(() => {
  install = packAndInstall("client");
  console.log(describeInstall(install));
}, 600_000);

afterAll(() => {
  if (install) rmSync(dirname(install.dir), { recursive: true, force: true });
});

/** PATH with only the directory of this Node, nothing else installed. */
const bareEnv = () => ({ PATH: dirname(process.execPath), HOME: install.dir });

it("installs neither Firebase nor the node runtime", () => {
  expect(install.packages).toEqual(
    expect.arrayContaining(["consensus-client", "consensus-core", "zod", "commander"]),
  );
  const runtime = install.packages.filter((n) => /^(@?firebase\b|consensus-node$)/.test(n));
  expect(runtime).toEqual([]);
});

it("consensus-client --help prints the request flags", () => {
  const res = spawnSync(install.bin, ["--help"], { encoding: "utf8", env: bareEnv() });
  expect(res.stderr).toBe("");
  expect(res.status).toBe(0);
  for (const flag of [
    "--key",
    "--num",
    "--desc",
    "--idempotency-key",
    "(env: CONSENSUS_API_KEY)",
  ]) {
    expect(res.stdout).toContain(flag);
  }
});

it("a request the API refuses exits 1 with the API's error, and a bad flag exits 2", async () => {
  // The API answering every call with its 401 envelope.
  const server: Server = createServer((_req, res) => {
    res.writeHead(401, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        error: { code: "unauthenticated", message: "Unknown or disabled API key", details: null },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  try {
    const refused = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        install.bin,
        ["--api", api, "--num", "1", "--desc", "Fintech startups in London"],
        { env: { ...bareEnv(), CONSENSUS_API_KEY: "lpk_wrong" } },
      );
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d));
      child.on("close", (status: number | null) => resolve({ status, stderr }));
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("request rejected: HTTP 401 unauthenticated");
  } finally {
    await new Promise((r) => server.close(r));
  }
  const usage = spawnSync(install.bin, ["--num", "five"], { encoding: "utf8", env: bareEnv() });
  expect(usage.status).toBe(2);
  expect(usage.stderr).toContain("--num must be a whole number");
});

it("the SDK loads from the install with its error classes", () => {
  const probe = [
    `const c = require("consensus-client");`,
    `const e = c.ApiError.from({ status: 429, code: "rate_limited", message: "x", kind: "http", retryable: true });`,
    `console.log([typeof c.ApiClient, e instanceof c.RateLimitError, typeof c.verifyWebhook].join(","));`,
  ].join("\n");
  const out = execFileSync(process.execPath, ["-e", probe], {
    cwd: install.dir,
    encoding: "utf8",
    env: bareEnv(),
  });
  expect(out.trim()).toBe("function,true,function");
});
