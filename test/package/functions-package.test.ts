// The deploy packaging check: functions/ copied alone, as `firebase deploy` uploads it, installs
// from its own package.json and lockfile, loads on the deploy runtime's Node, and its function
// manifest lists every function with the intended region, runtime and options.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  DEPLOY_NODE_PACKAGE,
  ROOT,
  copyForDeploy,
  deployNodeBinary,
  findOutsideImports,
  functionsConfig,
  ignoreMatcher,
  installAlone,
  listFiles,
  readFunctionManifest,
  type WireManifest,
} from "./deploy-package";
import {
  DEFAULT_REGION,
  ENGINES_NODE,
  EXPECTED_COMMON,
  EXPECTED_FUNCTIONS,
  RUNTIME,
} from "./expected-functions";

const config = functionsConfig();
const functionsPkg = JSON.parse(readFileSync(join(ROOT, "functions", "package.json"), "utf8"));

describe("declared runtime", () => {
  it(`firebase.json deploys ${RUNTIME} and functions/package.json asks for Node ${ENGINES_NODE}`, () => {
    expect(config.runtime).toBe(RUNTIME);
    expect(functionsPkg.engines?.node).toBe(ENGINES_NODE);
  });

  it("every package states the Node versions it runs on", () => {
    for (const dir of [".", "functions", "node"]) {
      const pkg = JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8"));
      expect({ dir, node: typeof pkg.engines?.node }).toEqual({ dir, node: "string" });
    }
  });
});

describe("the import scan", () => {
  it("reports imports of packages that are not dependencies, and files outside the folder", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "scan-fixture-")), "functions");
    mkdirSync(join(dir, "lib", "http"), { recursive: true });
    writeFileSync(join(dir, "lib", "ok.js"), `module.exports = 1;`);
    writeFileSync(
      join(dir, "lib", "http", "app.js"),
      [
        `const a = require("node:crypto"); const b = require("path");`,
        `const c = require("zod"); const d = require("@polkadot/util/cjs/x");`,
        `const e = require("../ok"); const f = require("../../../node/lib/keys");`,
        `const g = require("firebase"); const h = require("./missing");`,
      ].join("\n"),
    );
    const problems = findOutsideImports(dir, ["zod", "@polkadot/util"]);
    rmSync(dirname(dir), { recursive: true, force: true });
    expect(problems).toEqual([
      { file: "lib/http/app.js", specifier: "../../../node/lib/keys", why: expect.any(String) },
      { file: "lib/http/app.js", specifier: "firebase", why: expect.any(String) },
      { file: "lib/http/app.js", specifier: "./missing", why: expect.any(String) },
    ]);
  });

  it("matches ignore globs on base names, as firebase-tools does", () => {
    const ignored = ignoreMatcher(["node_modules", "*.log", "tsconfig*.json"]);
    expect(
      ["node_modules", "npm-debug.log", "tsconfig.json", "firebase-debug.log"].map(ignored),
    ).toEqual([true, true, true, true]);
    expect(["lib", "package.json", ".env", "index.js"].map(ignored)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("functions/ deployed alone", () => {
  let copy: string;
  let node: { path: string; version: string };
  let manifest: WireManifest;

  beforeAll(() => {
    copy = copyForDeploy(join(ROOT, config.source), config.ignore);
    try {
      installAlone(copy);
    } catch (err) {
      throw new Error(
        `${(err as Error).message}\nIf functions/package.json changed, run \`npm run lock:functions\`.`,
      );
    }
    node = deployNodeBinary();
    manifest = readFunctionManifest(copy, node.path);
  }, 300_000);

  afterAll(() => {
    if (copy) rmSync(dirname(copy), { recursive: true, force: true });
  });

  it("uploads the built code, the manifest, its lockfile and the params, not sources or tests", () => {
    const files = listFiles(copy);
    expect(files).toEqual(
      expect.arrayContaining(["package.json", "package-lock.json", ".env", functionsPkg.main]),
    );
    // lib/ is the unbundled tsc output: it imports the core package, which only dist/ carries.
    expect(files.filter((f) => /^(src|test|lib)\//.test(f) || f.startsWith("tsconfig"))).toEqual(
      [],
    );
  });

  it(`loads on Node ${ENGINES_NODE} (${DEPLOY_NODE_PACKAGE} on linux-x64)`, () => {
    if (process.platform === "linux" && process.arch === "x64") {
      expect(node.version.startsWith(`v${ENGINES_NODE}.`)).toBe(true);
    }
    expect(manifest.specVersion).toBe("v1alpha1");
  });

  it("imports nothing from outside functions/ and no package it does not depend on", () => {
    expect(findOutsideImports(copy, Object.keys(functionsPkg.dependencies ?? {}))).toEqual([]);
  });

  it("lists exactly the declared functions (test/package/expected-functions.ts)", () => {
    expect(Object.keys(manifest.endpoints).sort()).toEqual(Object.keys(EXPECTED_FUNCTIONS).sort());
  });

  it.each(Object.keys(EXPECTED_FUNCTIONS))("%s has the region param and its options", (name) => {
    const endpoint = manifest.endpoints[name];
    expect(endpoint).toMatchObject({ ...EXPECTED_COMMON, ...EXPECTED_FUNCTIONS[name] });
    // Only the functions that declare a secret are given one.
    expect(endpoint.secretEnvironmentVariables ?? []).toEqual(
      EXPECTED_FUNCTIONS[name].secretEnvironmentVariables ?? [],
    );
  });

  it(`the REGION param defaults to ${DEFAULT_REGION}`, () => {
    expect(manifest.params?.find((p) => p.name === "REGION")).toMatchObject({
      type: "string",
      default: DEFAULT_REGION,
    });
  });

  it("the README's deploy section documents every param and secret, and names no other", () => {
    const documented = readmeParams();
    const declared = (manifest.params ?? []).map((p) => p.name).sort();
    expect(documented).toEqual(declared);
  });
});

/** Names in the first column of the params table in the README's "Deploy to a real project". */
function readmeParams(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## Deploy to a real project");
  if (start < 0) throw new Error('README.md has no "## Deploy to a real project" section');
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const names = [...section.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm)].map((m) => m[1]);
  return [...new Set(names)].sort();
}
