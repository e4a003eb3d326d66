// The node SDK installs without any Firebase server package: its production dependency tree, as
// the committed lockfile resolves it, holds neither firebase-admin, firebase-functions nor express.
import { readFileSync } from "node:fs";
import path from "node:path";

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  resolved?: string;
  link?: boolean;
}

const root = path.resolve(__dirname, "../..");
const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, LockEntry>;
};
const packages = lock.packages;

/** Where npm finds `name` for the package installed at `from`: the nearest node_modules up. */
function resolve(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf("/node_modules/")))) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
  }
}

/** Every package the workspace at `workspace` pulls in at run time, by lockfile path. */
function productionTree(workspace: string): Set<string> {
  const seen = new Set<string>();
  const queue = [workspace];
  while (queue.length > 0) {
    const at = queue.pop()!;
    let entry = packages[at];
    // A workspace package is a link to its folder, which holds its dependencies.
    const real = entry.link && entry.resolved ? entry.resolved : at;
    entry = packages[real];
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const names = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers[n]?.optional),
    ];
    for (const name of names) {
      const found = resolve(real, name);
      if (found && !seen.has(found)) {
        seen.add(found);
        queue.push(found);
      }
    }
  }
  return seen;
}

test("node/ pulls in no Firebase server package", () => {
  const names = [...productionTree("node")].map((p) =>
    p.slice(p.lastIndexOf("node_modules/") + 13),
  );
  // The walk really followed the tree: the client SDK and the core are in it.
  expect(names).toEqual(expect.arrayContaining(["firebase", "consensus-core", "commander"]));
  for (const server of ["firebase-admin", "firebase-functions", "express"]) {
    expect(names).not.toContain(server);
  }
});

test("functions/ does pull them in, so the walk would see them", () => {
  const names = [...productionTree("functions")].map((p) =>
    p.slice(p.lastIndexOf("node_modules/") + 13),
  );
  expect(names).toEqual(
    expect.arrayContaining(["firebase-admin", "firebase-functions", "express"]),
  );
});

test("client/ pulls in neither Firebase nor the node runtime", () => {
  const names = [...productionTree("client")].map((p) =>
    p.slice(p.lastIndexOf("node_modules/") + 13),
  );
  expect(names).toEqual(expect.arrayContaining(["consensus-core", "commander", "zod"]));
  expect(names.filter((n) => /^(@?firebase\b|consensus-node$)/.test(n))).toEqual([]);
});
