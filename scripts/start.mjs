// `npm start`: the local subnet. The emulator suite (with emulator-data/ imported) runs
// scripts/lib/demo.mjs, which starts the nodes and sends a demo request.
// `npm start -- --once` exits after the first result (non-zero if it failed).
import { readFileSync } from "node:fs";
import { SetupError } from "./lib/emulator-binaries.mjs";
import { PROJECT_ID, spawnFirebase } from "./emulators.mjs";

const once = process.argv.includes("--once");
const emulators = JSON.parse(
  readFileSync(new URL("../firebase.json", import.meta.url), "utf8"),
).emulators;

console.log("Local subnet (Firebase emulators, project %s):", PROJECT_ID);
for (const name of ["auth", "firestore", "functions", "pubsub", "tasks", "hub"]) {
  const e = emulators[name];
  console.log(`  ${name.padEnd(10)} http://${e.host}:${e.port}`);
}
const f = emulators.functions;
console.log(`  API        http://${f.host}:${f.port}/${PROJECT_ID}/us-central1/api`);
console.log(`  console    http://${emulators.hosting.host}:${emulators.hosting.port}\n`);

try {
  const demo = `node scripts/lib/demo.mjs${once ? " --once" : ""}`;
  const child = spawnFirebase(["emulators:exec", "--import", "emulator-data", demo]);
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} catch (err) {
  if (err instanceof SetupError) {
    console.error(`start: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
