// Writes the demo registry and API key into the running Firestore emulator. Used by
// `npm run emulator-data` to regenerate emulator-data/ (the export `npm start` imports).
import { createRequire } from "node:module";
import { initializeApp } from "firebase-admin/app";
import { Timestamp, getFirestore } from "firebase-admin/firestore";
import { DEMO_API_KEY, DEMO_MINERS, DEMO_VALIDATORS } from "./demo-data.mjs";

// CommonJS throughout, like the built functions, so @polkadot loads one copy of its packages.
const require = createRequire(import.meta.url);
const { Keyring } = require("@polkadot/keyring");
const { cryptoWaitReady } = require("@polkadot/util-crypto");
const { hashApiKey } = require("../../functions/lib/http/apiKeys.js");
const { COLLECTIONS } = require("consensus-core");

if (!process.env.FIRESTORE_EMULATOR_HOST) {
  console.error("seed-demo: run inside the emulators (FIRESTORE_EMULATOR_HOST is not set)");
  process.exit(1);
}
await cryptoWaitReady();
initializeApp({ projectId: "demo-consensus" });
const db = getFirestore();
const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
const batch = db.batch();
const entries = [
  ...DEMO_VALIDATORS.map((v) => ({ ...v, role: "validator" })),
  ...DEMO_MINERS.map((m) => ({ ...m, role: "miner", trust: 0 })),
];
for (const e of entries) {
  const hotkey = keyring.addFromUri(e.uri).address;
  batch.set(db.collection(COLLECTIONS.registry).doc(hotkey), {
    hotkey,
    uid: e.uid,
    role: e.role,
    validator_trust: e.trust,
    stake: e.role === "validator" ? 10000 : 100,
    validator_permit: e.role === "validator",
    // Nodes report themselves serving with their first heartbeat.
    is_serving: false,
    last_seen: Timestamp.fromMillis(0),
  });
  console.log(`registry: ${e.role.padEnd(9)} ${e.uri.padEnd(9)} ${hotkey} trust ${e.trust}`);
}
// The backend's own hashing, so the stored hash always matches what the API computes.
const keyHash = hashApiKey(DEMO_API_KEY);
batch.set(db.collection(COLLECTIONS.apiKeys).doc(keyHash), {
  client_id: "demo-client",
  label: "local demo key (emulator only)",
  created_at: Timestamp.now(),
  disabled: false,
});
await batch.commit();
console.log("api key: demo-client (hash stored, key in scripts/lib/demo-data.mjs)");
