// The page's Firebase app. Its config comes from Hosting's reserved /__/firebase/init.json (the
// Hosting emulator serves it too); on a local address the Auth and Firestore emulators are used.
// The page never holds a service account, and no API client key: the web config is public by design.
import { initializeApp, type FirebaseApp, type FirebaseOptions } from "firebase/app";
import { connectAuthEmulator, getAuth, type Auth } from "firebase/auth";
import { connectFirestoreEmulator, getFirestore, type Firestore } from "firebase/firestore";

export const EMULATOR = { projectId: "demo-consensus", auth: 9099, firestore: 8080 } as const;

export interface Services {
  app: FirebaseApp;
  auth: Auth;
  db: Firestore;
  emulated: boolean;
}

export function isLocal(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]";
}

async function loadConfig(emulated: boolean): Promise<FirebaseOptions> {
  try {
    const res = await fetch("/__/firebase/init.json");
    if (res.ok) {
      const config = (await res.json()) as FirebaseOptions;
      // The Auth SDK wants some apiKey; against the emulators any string is accepted.
      if (emulated && !config.apiKey) config.apiKey = "emulator-only";
      if (config.projectId) return config;
    }
  } catch {
    // fall through: served by something other than Hosting (vite dev server)
  }
  if (!emulated) throw new Error("no Firebase config at /__/firebase/init.json");
  return { projectId: EMULATOR.projectId, apiKey: "emulator-only" };
}

export async function connect(location: Location = window.location): Promise<Services> {
  const emulated = isLocal(location.hostname);
  const app = initializeApp(await loadConfig(emulated));
  const auth = getAuth(app);
  const db = getFirestore(app);
  if (emulated) {
    const host = location.hostname === "localhost" ? "127.0.0.1" : location.hostname;
    connectAuthEmulator(auth, `http://${host}:${EMULATOR.auth}`, { disableWarnings: true });
    connectFirestoreEmulator(db, host, EMULATOR.firestore);
  }
  return { app, auth, db, emulated };
}
