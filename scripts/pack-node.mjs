// Packs the node SDK and CLI (or, with --package client, the API client alone) as a tarball that
// installs alone (npm install consensus-node-*.tgz), without the monorepo, Java, the emulators or
// firebase-tools. The workspace packages it depends on (consensus-core, and for the node
// consensus-client), which the registry does not have, travel inside it as bundled dependencies,
// so its compiled code and type declarations import them unchanged; every other dependency is a
// plain, exactly pinned one that npm installs from the registry.
//   node scripts/pack-node.mjs [--package node|client] [--out DIR]
//   (default node, into <package>/dist; run npm run build first)
// Prints the tarball's path on the last line.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const folder = arg("--package", "node");
if (!["node", "client"].includes(folder)) {
  console.error(`pack-node: --package is node or client, got "${folder}"`);
  process.exit(1);
}
const out = resolve(arg("--out", join(root, folder, "dist")));
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const mainPkg = readJson(join(root, folder, "package.json"));
/** The workspace packages bundled inside, by folder. */
const WORKSPACES = { "consensus-core": "core", "consensus-client": "client" };
const bundled = Object.keys(mainPkg.dependencies).filter((name) => WORKSPACES[name]);

for (const built of [
  `${folder}/lib/cli.js`,
  `${folder}/lib/index.d.ts`,
  ...bundled.map((name) => `${WORKSPACES[name]}/lib/index.js`),
]) {
  if (!existsSync(join(root, built))) {
    console.error(`pack-node: ${built} is missing; run npm run build first`);
    process.exit(1);
  }
}

// The bundled packages' own dependencies become the package's: npm installs a bundled package's
// files but not what it depends on. A version clash would make one run on the other's version.
const dependencies = { ...mainPkg.dependencies };
for (const name of bundled) {
  const pkg = readJson(join(root, WORKSPACES[name], "package.json"));
  for (const [dep, version] of Object.entries(pkg.dependencies)) {
    if (WORKSPACES[dep]) continue;
    if (dependencies[dep] && dependencies[dep] !== version) {
      console.error(
        `pack-node: ${dep} is ${dependencies[dep]} in ${folder}/ but ${version} in ${name}`,
      );
      process.exit(1);
    }
    dependencies[dep] = version;
  }
}

const stage = join(mkdtempSync(join(tmpdir(), `${mainPkg.name}-pack-`)), "package");
// Compiled code and declarations; not source maps (they point at sources not shipped).
const compiled = (src) => !/\.(map|tsbuildinfo)$/.test(src);
try {
  cpSync(join(root, folder, "lib"), join(stage, "lib"), { recursive: true, filter: compiled });
  const extras = ["data", "README.md"].filter((f) => existsSync(join(root, folder, f)));
  for (const extra of extras) {
    cpSync(join(root, folder, extra), join(stage, extra), { recursive: true });
  }
  for (const name of bundled) {
    const src = join(root, WORKSPACES[name]);
    const pkg = readJson(join(src, "package.json"));
    const dest = join(stage, "node_modules", name);
    cpSync(join(src, "lib"), join(dest, "lib"), { recursive: true, filter: compiled });
    writeFileSync(
      join(dest, "package.json"),
      JSON.stringify(
        {
          name: pkg.name,
          version: pkg.version,
          description: pkg.description,
          license: "MIT",
          main: pkg.main,
          types: pkg.types,
          dependencies: pkg.dependencies,
        },
        null,
        2,
      ),
    );
  }
  const pkg = {
    name: mainPkg.name,
    version: mainPkg.version,
    description: mainPkg.description,
    license: "MIT",
    main: mainPkg.main,
    types: "lib/index.d.ts",
    bin: mainPkg.bin,
    engines: mainPkg.engines,
    files: ["lib", ...extras],
    dependencies,
    bundleDependencies: bundled,
  };
  writeFileSync(join(stage, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  mkdirSync(out, { recursive: true });
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", out], {
      cwd: stage,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
  const tarball = join(out, packed.filename);
  console.log(
    `packed ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} kB ` +
      `(${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked), ${bundled.join(" and ")} bundled`,
  );
  console.log(tarball);
} finally {
  rmSync(dirname(stage), { recursive: true, force: true });
}
