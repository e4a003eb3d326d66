// The node-only install as an operator does it: scripts/pack-node.mjs packs the tarball, which is
// installed with `npm install --omit=dev` into an empty folder outside the repository. Used by the
// package tier (what gets installed, how big, how long) and the emulator tier (a validator run
// from that folder).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../../..");

export interface NodeInstall {
  /** The folder it was installed into; its node_modules/.bin holds the package's command. */
  dir: string;
  tarball: string;
  bin: string;
  installMs: number;
  /** Installed packages, consensus-node and its bundled core included. */
  packages: string[];
  /** `du -sk node_modules`, in bytes. */
  diskBytes: number;
}

/** A node_modules above `dir` would let the install resolve packages it does not ship. */
function assertIsolated(dir: string): void {
  for (let d = dirname(dir); dirname(d) !== d; d = dirname(d)) {
    if (existsSync(join(d, "node_modules"))) throw new Error(`${d}/node_modules would leak in`);
  }
}

/**
 * Packs the built node package (or the API client alone, consensus-client) and installs it alone;
 * `npm run build` must have run.
 */
export function packAndInstall(pkg: "node" | "client" = "node"): NodeInstall {
  const work = mkdtempSync(join(tmpdir(), `consensus-${pkg}-install-`));
  const packed = execFileSync(
    process.execPath,
    [join(ROOT, "scripts/pack-node.mjs"), "--package", pkg, "--out", work],
    {
      encoding: "utf8",
    },
  );
  const tarball = packed.trim().split("\n").at(-1)!;
  const dir = join(work, "operator");
  execFileSync("mkdir", [dir]);
  assertIsolated(dir);
  const t0 = Date.now();
  // --prefer-offline: what the registry served before comes from npm's cache, so the emulator
  // tier (run without a network) installs too.
  const res = spawnSync(
    "npm",
    ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", tarball],
    { cwd: dir, encoding: "utf8", env: { ...process.env, npm_config_workspaces: "false" } },
  );
  const installMs = Date.now() - t0;
  if (res.status !== 0) throw new Error(`npm install ${tarball} failed:\n${res.stderr}`);
  const listed = execFileSync("npm", ["ls", "--all", "--parseable", "--omit=dev"], {
    cwd: dir,
    encoding: "utf8",
  });
  const packages = listed
    .trim()
    .split("\n")
    .filter((p) => p.includes("node_modules"))
    .map((p) => p.slice(p.lastIndexOf("node_modules/") + "node_modules/".length));
  const du = execFileSync("du", ["-sk", join(dir, "node_modules")], { encoding: "utf8" });
  return {
    dir,
    tarball,
    bin: join(dir, "node_modules", ".bin", `consensus-${pkg}`),
    installMs,
    packages,
    diskBytes: Number(du.split(/\s/)[0]) * 1024,
  };
}

export function describeInstall(install: NodeInstall): string {
  return (
    `alone (npm install --omit=dev ${install.tarball.split("/").at(-1)}): ` +
    `${install.packages.length} packages, ${(install.diskBytes / 1e6).toFixed(0)} MB on disk, ` +
    `${(install.installMs / 1000).toFixed(1)} s`
  );
}
