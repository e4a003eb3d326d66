// The bench's handle on the emulators: admin Firestore, the core, test hotkeys and their registry
// entries, and a full wipe between runs.
import { clearFirestore, frequire } from "../lib.mjs";

export const PROJECT = "demo-consensus";
export const API = `http://127.0.0.1:5001/${PROJECT}/us-central1/api`;
const { initializeApp, getApps } = frequire("firebase-admin/app");
const { getFirestore, Timestamp, FieldValue } = frequire("firebase-admin/firestore");
export { FieldValue };
if (getApps().length === 0) initializeApp({ projectId: PROJECT });
export const core = frequire("consensus-core");
export const { createApiKey } = frequire("./lib/http/apiKeys.js");
const { Keyring } = frequire("@polkadot/keyring");
export const db = getFirestore();
export const clear = () => clearFirestore(db, PROJECT);

let keyring;
export async function pair(uri) {
  await core.cryptoReady();
  keyring ??= new Keyring({ type: "sr25519", ss58Format: core.SS58_FORMAT });
  return keyring.addFromUri(uri);
}
export async function register(specs) {
  const batch = db.batch();
  for (const s of specs) {
    batch.set(db.collection(core.COLLECTIONS.registry).doc(s.pair.address), {
      hotkey: s.pair.address,
      uid: s.uid,
      role: s.role,
      validator_trust: s.trust ?? 0,
      stake: 1000,
      validator_permit: s.role === "validator",
      is_serving: true,
      last_seen: Timestamp.now(),
    });
  }
  await batch.commit();
}
