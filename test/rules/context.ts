// The rules test environment shared by the smaller rules suites: one emulator connection per file,
// contexts for a node signed in with a role claim, and a seeding helper that bypasses the rules.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  initializeTestEnvironment,
  type RulesTestContext,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import { doc, setDoc, type Firestore } from "firebase/firestore";
import { PROJECT_ID } from "./fixtures";

/** `emulators:exec` exports FIRESTORE_EMULATOR_HOST; the fixed port 8080 is the fallback. */
function emulatorHost(): { host: string; port: number } {
  const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "127.0.0.1:8080").split(":");
  return { host, port: Number(port) };
}

export function startRulesEnv(): Promise<RulesTestEnvironment> {
  return initializeTestEnvironment({
    projectId: PROJECT_ID,
    firestore: {
      rules: readFileSync(resolve(__dirname, "../../firestore.rules"), "utf8"),
      ...emulatorHost(),
    },
  });
}

/** The context's Firestore, typed for the modular API (the context hands out a compat instance). */
export function firestoreOf(context: RulesTestContext): Firestore {
  return context.firestore() as unknown as Firestore;
}

/** A node holding an ID token with this role claim (what sign-in mints). */
export function nodeDb(
  env: RulesTestEnvironment,
  hotkey: string,
  role: "validator" | "miner",
): Firestore {
  return firestoreOf(env.authenticatedContext(hotkey, { role }));
}

/** Writes documents as the backend would (Admin SDK: rules bypassed). */
export async function seedDocs(
  env: RulesTestEnvironment,
  docs: [collection: string, id: string, data: Record<string, unknown>][],
): Promise<void> {
  await env.withSecurityRulesDisabled(async (context) => {
    const admin = firestoreOf(context);
    await Promise.all(docs.map(([c, id, data]) => setDoc(doc(admin, c, id), data)));
  });
}
