// Makes functions/ deployable alone: bundles the tsc output (functions/lib) and the pure core it
// imports (consensus-core, a workspace package the registry does not have) into
// functions/dist/index.js, leaving every dependency functions/package.json declares as a plain
// require that Cloud Build installs. Fails if anything else would be bundled or left unresolved.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const functionsDir = join(root, "functions");
const pkg = JSON.parse(readFileSync(join(functionsDir, "package.json"), "utf8"));
const outfile = join(functionsDir, pkg.main);

const result = await build({
  entryPoints: [join(functionsDir, "lib", "index.js")],
  outfile,
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  sourcemap: true,
  external: Object.keys(pkg.dependencies),
  metafile: true,
  absWorkingDir: root,
  logLevel: "warning",
});

// Only the backend's own code and the core may be inlined; any other package must be declared.
const allowed = [join(functionsDir, "lib") + sep, join(root, "core", "lib") + sep];
const strays = Object.keys(result.metafile.inputs)
  .map((input) => resolve(root, input))
  .filter((input) => !allowed.some((dir) => input.startsWith(dir)));
if (strays.length > 0) {
  console.error(
    `bundle-functions: these would be inlined but are neither functions/ nor the core; declare ` +
      `their packages in functions/package.json:\n  ${strays.map((s) => relative(root, s)).join("\n  ")}`,
  );
  process.exit(1);
}
console.log(
  `bundled ${relative(root, outfile)} (${Object.keys(result.metafile.inputs).length} modules)`,
);
