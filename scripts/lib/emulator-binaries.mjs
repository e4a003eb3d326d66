// Locates the Firestore and Pub/Sub emulator binaries without downloading anything.
// firebase-tools normally downloads them from a host these machines cannot reach, so we prefer
// its own cache (a developer laptop that already has it) and fall back to Google's emulators
// installed as Debian packages of the Cloud SDK. See ../../README.md, "Emulators".
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const workDir = join(root, ".emulators");
const FIRESTORE_MAIN_CLASS = "com.google.cloud.datastore.emulator.firestore.CloudFirestore";

export class SetupError extends Error {}

function firebaseToolsInfo() {
  const require = createRequire(join(root, "package.json"));
  const infoPath = require.resolve("firebase-tools/lib/emulator/downloadableEmulatorInfo.json");
  const info = JSON.parse(readFileSync(infoPath, "utf8"));
  const cacheDir =
    process.env.FIREBASE_EMULATORS_PATH || join(homedir(), ".cache", "firebase", "emulators");
  return {
    firestoreJar: join(cacheDir, info.firestore.downloadPathRelativeToCacheDir),
    pubsubBin: join(cacheDir, info.pubsub.binaryPathRelativeToCacheDir),
  };
}

function cloudSdkRoot() {
  if (process.env.CLOUDSDK_ROOT && existsSync(process.env.CLOUDSDK_ROOT)) {
    return process.env.CLOUDSDK_ROOT;
  }
  for (const candidate of ["/usr/lib/google-cloud-sdk", "/usr/share/google-cloud-sdk"]) {
    if (existsSync(join(candidate, "platform"))) return candidate;
  }
  try {
    const out = execFileSync("gcloud", ["info", "--format=value(installation.sdk_root)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

function requireJava() {
  // `java -version` writes to stderr.
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  const text = probe.error ? "" : `${probe.stderr}${probe.stdout}`;
  const match = text && text.match(/version "(\d+)(?:\.(\d+))?/);
  if (!match) {
    throw new SetupError(
      "Java was not found on PATH. The Firestore and Pub/Sub emulators need a JDK 11 or newer " +
        "(17 is tested; a JRE lacks the 'jar' tool set-up uses). On Debian: apt-get install " +
        "openjdk-17-jdk-headless.",
    );
  }
  const major = match[1] === "1" ? Number(match[2]) : Number(match[1]);
  if (major < 11) {
    throw new SetupError(`Java ${major} found; the emulators need a JDK 11 or newer (17 is tested).`);
  }
  return major;
}

/** Builds a tiny jar whose manifest launches the Cloud SDK's Firestore emulator jar. */
function buildFirestoreWrapper(realJar) {
  mkdirSync(workDir, { recursive: true });
  const wrapper = join(workDir, "cloud-firestore-emulator-wrapper.jar");
  const stamp = join(workDir, "cloud-firestore-emulator-wrapper.src");
  const classPath = pathToFileURL(realJar).href;
  if (existsSync(wrapper) && existsSync(stamp) && readFileSync(stamp, "utf8") === classPath) {
    return wrapper;
  }
  const scratch = join(tmpdir(), `fs-wrapper-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const manifest = join(scratch, "MANIFEST.MF");
  // Manifest lines must end with a newline or the last attribute is silently dropped.
  writeFileSync(manifest, `Main-Class: ${FIRESTORE_MAIN_CLASS}\nClass-Path: ${classPath}\n`);
  try {
    execFileSync("jar", ["cfm", wrapper, manifest], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (err) {
    throw new SetupError(
      `Could not build the Firestore emulator wrapper with the JDK's 'jar' tool (${err.message.trim()}). ` +
        "Install a JDK (apt-get install openjdk-17-jdk-headless).",
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  writeFileSync(stamp, classPath);
  return wrapper;
}

/**
 * Returns the environment variables that make firebase-tools use local emulator binaries.
 * Throws SetupError naming what is missing when neither source has them.
 */
export function resolveEmulatorBinaries() {
  requireJava();
  const cached = firebaseToolsInfo();
  const sdk = cloudSdkRoot();
  const env = {};
  const sources = {};

  if (existsSync(cached.firestoreJar)) {
    sources.firestore = `firebase-tools cache (${cached.firestoreJar})`;
  } else {
    const realJar = sdk && join(sdk, "platform/cloud-firestore-emulator/cloud-firestore-emulator.jar");
    if (!realJar || !existsSync(realJar)) {
      throw new SetupError(
        "The Firestore emulator was not found: neither firebase-tools' cache " +
          `(${cached.firestoreJar}) nor the Cloud SDK package google-cloud-cli-firestore-emulator ` +
          `(${realJar ?? "no Cloud SDK found"}). Install it with: apt-get install google-cloud-cli-firestore-emulator`,
      );
    }
    env.FIRESTORE_EMULATOR_BINARY_PATH = buildFirestoreWrapper(realJar);
    sources.firestore = `Cloud SDK (${realJar})`;
  }

  if (existsSync(cached.pubsubBin)) {
    sources.pubsub = `firebase-tools cache (${cached.pubsubBin})`;
  } else {
    const bin = sdk && join(sdk, "platform/pubsub-emulator/bin/cloud-pubsub-emulator");
    if (!bin || !existsSync(bin)) {
      throw new SetupError(
        "The Pub/Sub emulator was not found: neither firebase-tools' cache " +
          `(${cached.pubsubBin}) nor the Cloud SDK package google-cloud-cli-pubsub-emulator ` +
          `(${bin ?? "no Cloud SDK found"}). Install it with: apt-get install google-cloud-cli-pubsub-emulator`,
      );
    }
    env.PUBSUB_EMULATOR_BINARY_PATH = bin;
    sources.pubsub = `Cloud SDK (${bin})`;
  }
  return { env, sources };
}
