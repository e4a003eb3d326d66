// Packs the node SDK and CLI as a tarball that installs alone (npm install consensus-node-*.tgz),
// without the monorepo, Java, the emulators or firebase-tools. The core (consensus-core, a
// workspace package the registry does not have) travels inside it as a bundled dependency, so
// node's compiled code and its type declarations import it unchanged; every other dependency is
// a plain, exactly pinned one that npm installs from the registry.
//   node scripts/pack-node.mjs [--out DIR]   (default node/dist; run npm run build first)
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
const outArg = process.argv.indexOf("--out");
const out = resolve(outArg > 0 ? process.argv[outArg + 1] : join(root, "node", "dist"));
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const nodePkg = readJson(join(root, "node", "package.json"));
const corePkg = readJson(join(root, "core", "package.json"));

for (const built of ["node/lib/cli.js", "node/lib/index.d.ts", "core/lib/index.js"]) {
  if (!existsSync(join(root, built))) {
    console.error(`pack-node: ${built} is missing; run npm run build first`);
    process.exit(1);
  }
}

// The core's own dependencies become the package's: npm installs a bundled package's files but
// not what it depends on. A version clash would make one of the two run on the other's version.
const dependencies = { ...nodePkg.dependencies };
for (const [name, version] of Object.entries(corePkg.dependencies)) {
  if (dependencies[name] && dependencies[name] !== version) {
    console.error(`pack-node: ${name} is ${dependencies[name]} in node/ but ${version} in core/`);
    process.exit(1);
  }
  dependencies[name] = version;
}

const stage = join(mkdtempSync(join(tmpdir(), "consensus-node-pack-")), "package");
// Compiled code and declarations; not source maps (they point at sources not shipped).
const compiled = (src) => !/\.(map|tsbuildinfo)$/.test(src);
try {
  cpSync(join(root, "node", "lib"), join(stage, "lib"), { recursive: true, filter: compiled });
  cpSync(join(root, "node", "data"), join(stage, "data"), { recursive: true });
  cpSync(join(root, "node", "README.md"), join(stage, "README.md"));
  const core = join(stage, "node_modules", "consensus-core");
  cpSync(join(root, "core", "lib"), join(core, "lib"), { recursive: true, filter: compiled });
  writeFileSync(
    join(core, "package.json"),
    JSON.stringify(
      {
        name: corePkg.name,
        version: corePkg.version,
        description: corePkg.description,
        license: "MIT",
        main: corePkg.main,
        types: corePkg.types,
        dependencies: corePkg.dependencies,
      },
      null,
      2,
    ),
  );
  const pkg = {
    name: nodePkg.name,
    version: nodePkg.version,
    description: nodePkg.description,
    license: "MIT",
    main: nodePkg.main,
    types: "lib/index.d.ts",
    bin: nodePkg.bin,
    engines: nodePkg.engines,
    files: ["lib", "data", "README.md"],
    dependencies,
    bundleDependencies: [corePkg.name],
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
      `(${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked), core bundled`,
  );
  console.log(tarball);
} finally {
  rmSync(dirname(stage), { recursive: true, force: true });
}
