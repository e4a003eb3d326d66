// Writes functions/package-lock.json: the lockfile `firebase deploy` uploads with functions/ and
// Cloud Build installs from. The root lockfile covers the workspace, not functions/ alone, so this
// resolves functions/package.json by itself in a scratch folder (outside the workspace) and copies
// the lockfile back. Run it after changing functions/package.json: `npm run lock:functions`.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const functionsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "functions");
const scratch = mkdtempSync(join(tmpdir(), "lock-functions-"));
try {
  copyFileSync(join(functionsDir, "package.json"), join(scratch, "package.json"));
  copyFileSync(join(functionsDir, "package-lock.json"), join(scratch, "package-lock.json"));
} catch {
  // No lockfile yet: npm resolves everything afresh.
}
try {
  execFileSync(
    "npm",
    ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"],
    { cwd: scratch, stdio: "inherit", env: { ...process.env, npm_config_workspaces: "false" } },
  );
  copyFileSync(join(scratch, "package-lock.json"), join(functionsDir, "package-lock.json"));
  console.log("wrote functions/package-lock.json");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
