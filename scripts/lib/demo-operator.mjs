// The local subnet's console account: an email/password user on the Auth emulator holding the
// operator claim, made with the same admin command an operator would run. Emulator only.
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DEMO_OPERATOR = { email: "operator@demo.local", password: "demo-operator" };

export function createDemoOperator() {
  return new Promise((done, fail) => {
    const args = ["grant-operator", "--email", DEMO_OPERATOR.email, "--create", "--emulator"];
    const child = spawn(process.execPath, [join(root, "functions/lib/admin/cli.js"), ...args], {
      env: { ...process.env, OPERATOR_PASSWORD: DEMO_OPERATOR.password },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", fail);
    child.on("exit", (code) => {
      if (code !== 0) return fail(new Error(`grant-operator failed: ${stderr.trim()}`));
      console.log(
        `demo: console http://127.0.0.1:5050 — sign in as ${DEMO_OPERATOR.email} / ${DEMO_OPERATOR.password}`,
      );
      done();
    });
  });
}
