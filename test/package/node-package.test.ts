// The node-only install: the consensus-node tarball (scripts/pack-node.mjs) installed into an empty
// folder with --omit=dev, as an operator would, runs its CLI and loads its SDK with nothing of the
// monorepo: no Java, no emulators, no firebase-tools, no Firebase server packages, no native build.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  describeInstall,
  packAndInstall,
  type NodeInstall,
} from "../../node/test/support/node-install";

let install: NodeInstall;

beforeAll(() => {
  install = packAndInstall();
  // The figures the issue asks for, in the test output.
  console.log(describeInstall(install));
}, 600_000);

afterAll(() => {
  if (install) rmSync(dirname(install.dir), { recursive: true, force: true });
});

/** PATH with only the directory of this Node: no java, no firebase, nothing else installed. */
const bareEnv = () => ({ PATH: dirname(process.execPath), HOME: install.dir });

it("consensus-node help runs from the install, with the btcli wallet and plug-in flags", () => {
  const res = spawnSync(install.bin, ["help"], { encoding: "utf8", env: bareEnv() });
  expect(res.stderr).toBe("");
  expect(res.status).toBe(0);
  for (const flag of [
    "--wallet.name",
    "--wallet.hotkey",
    "--wallet.path",
    "--curator-url",
    "--ranker",
  ]) {
    expect(res.stdout).toContain(flag);
  }
});

it("installs no Java, emulator, firebase-tools, Firebase server package or native build", () => {
  const names = install.packages;
  expect(names).toEqual(expect.arrayContaining(["consensus-node", "firebase", "zod", "commander"]));
  const forbidden = names.filter(
    (n) =>
      /^(firebase-tools|firebase-admin|firebase-functions|express|re2|jest|typescript|esbuild)$/.test(
        n,
      ) || /^@(google-cloud|firebase\/rules-unit-testing)\b/.test(n),
  );
  expect(forbidden).toEqual([]);
  const jarsOrAddons: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(jar|node)$/.test(name)) jarsOrAddons.push(p);
    }
  };
  walk(join(install.dir, "node_modules"));
  expect(jarsOrAddons).toEqual([]);
});

it("the SDK loads with the core bundled, and ships its type declarations", () => {
  const probe = [
    `const sdk = require("consensus-node");`,
    // The core is bundled inside consensus-node, so it resolves from there, not from the top.
    `const core = require(require.resolve("consensus-core", { paths: [require.resolve("consensus-node")] }));`,
    `console.log([typeof sdk.MinerNode, typeof sdk.createCurator, typeof sdk.loadKeypair, typeof core.LeadSchema.parse].join(","));`,
  ].join("\n");
  const out = execFileSync(process.execPath, ["-e", probe], {
    cwd: install.dir,
    encoding: "utf8",
    env: bareEnv(),
  });
  expect(out.trim()).toBe("function,function,function,function");
  const pkg = join(install.dir, "node_modules", "consensus-node");
  expect(existsSync(join(pkg, "lib", "index.d.ts"))).toBe(true);
  expect(existsSync(join(pkg, "node_modules", "consensus-core", "lib", "index.d.ts"))).toBe(true);
  expect(existsSync(join(pkg, "data", "lead-pool.json"))).toBe(true);
});

it("the TypeScript examples type-check against the installed package alone", () => {
  // As an operator writes a plug-in: next to the install, importing only "consensus-node".
  const root = resolve(__dirname, "../..");
  const plugins = join(install.dir, "plugins");
  for (const file of ["ts-miner/curator.ts", "ts-ranker/ranker.ts"]) {
    cpSync(join(root, "examples", file), join(plugins, file));
  }
  writeFileSync(
    join(plugins, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: "commonjs",
        target: "ES2022",
        noEmit: true,
        // As this repository does: third-party declarations are not ours to check.
        skipLibCheck: true,
        // The one dev dependency a TypeScript plug-in brings itself; here the repository's.
        typeRoots: [join(root, "node_modules", "@types")],
        types: ["node"],
      },
      include: ["ts-miner", "ts-ranker"],
    }),
  );
  const tsc = join(root, "node_modules", ".bin", "tsc");
  const res = spawnSync(tsc, ["-p", plugins], { encoding: "utf8" });
  expect(res.stdout + res.stderr).toBe("");
  expect(res.status).toBe(0);
});

it("the tarball holds built code, data and the bundled core, not sources or tests", () => {
  const files = execFileSync("tar", ["-tzf", install.tarball], { encoding: "utf8" })
    .trim()
    .split("\n");
  expect(files).toEqual(
    expect.arrayContaining([
      "package/package.json",
      "package/README.md",
      "package/lib/cli.js",
      "package/data/lead-pool.json",
      "package/node_modules/consensus-core/lib/index.js",
      "package/node_modules/consensus-core/lib/leads/lexicon.json",
    ]),
  );
  expect(files.filter((f) => /\/(src|test)\/|\.ts$(?<!\.d\.ts)|\.map$/.test(f))).toEqual([]);
});
