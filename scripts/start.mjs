// `npm start`: the local subnet. The emulator suite (with emulator-data/ imported) runs
// scripts/lib/demo.mjs, which starts the nodes and sends a demo request.
//   npm start -- --once               exit after the first result (non-zero if it failed)
//   npm start -- --log-format json    print the output as written (the functions' JSON log lines)
// One Ctrl-C stops the nodes, then the emulators; a second one kills what is left
// (scripts/lib/supervise.mjs).
import { readFileSync } from "node:fs";
import { SetupError } from "./lib/emulator-binaries.mjs";
import { createFormatter } from "./lib/log-format.mjs";
import { PortError } from "./lib/supervise.mjs";
import { execFirebase, PROJECT_ID } from "./emulators.mjs";

const argv = process.argv.slice(2);
const once = argv.includes("--once");
const formatAt = argv.indexOf("--log-format");
const logFormat = formatAt === -1 ? "human" : argv[formatAt + 1];
if (!["human", "json"].includes(logFormat)) {
  console.error(`start: --log-format is "human" (the default) or "json", not "${logFormat}"`);
  process.exit(2);
}
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

execFirebase({
  flags: ["--import", "emulator-data"],
  command: ["node", "scripts/lib/demo.mjs", ...(once ? ["--once"] : [])],
  format: createFormatter({ json: logFormat === "json" }),
  label: "start",
}).catch((err) => {
  if (!(err instanceof SetupError || err instanceof PortError)) throw err;
  console.error(err instanceof PortError ? err.message : `start: ${err.message}`);
  process.exit(1);
});
