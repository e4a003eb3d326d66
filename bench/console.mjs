// The operator console under load: 500 finished requests in Firestore, the page in Debian's
// Chromium (playwright-core) served by the Hosting emulator. Measures
//   - first render: sign-in submitted → every listener delivered and the rounds table drawn;
//   - completion → row: the backend marks a request completed → its row in the open page turns
//     completed (a MutationObserver in the page stamps the moment; both clocks are this machine's).
// Runs inside `firebase emulators:exec` (the full suite, Hosting included); clears Firestore first.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { clearFirestore, frequire, quantile, root } from "./lib.mjs";

const require = createRequire(join(root, "console", "package.json"));
const { chromium } = require("playwright-core");
const { initializeApp, getApps, deleteApp } = frequire("firebase-admin/app");
const { getFirestore, Timestamp } = frequire("firebase-admin/firestore");
const { getAuth } = frequire("firebase-admin/auth");
const { COLLECTIONS, STORED } = frequire("consensus-core");

/** A seeded document as the backend writes it: parsed by core's schema for its collection. */
const stored = (kind, doc) => STORED[kind].parse(doc);

const PROJECT = "demo-consensus";
const URL = "http://127.0.0.1:5050";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const hotkey = (i) => `5Bench${String(i).padStart(42, "x")}`;

/** 500 finished requests spread over the last 50 minutes, with registry and metrics. */
async function seed(db, n) {
  const now = Date.now();
  const validators = [0, 1, 2, 3].map(hotkey);
  let batch = db.batch();
  let inBatch = 0;
  const flush = async (force) => {
    if (inBatch >= 400 || (force && inBatch > 0)) {
      await batch.commit();
      batch = db.batch();
      inBatch = 0;
    }
  };
  validators.forEach((h, uid) => {
    batch.set(
      db.collection(COLLECTIONS.registry).doc(h),
      stored("registry", {
        hotkey: h,
        uid,
        role: "validator",
        validator_trust: 0.25,
        stake: 1000,
        validator_permit: true,
        is_serving: true,
        last_seen: Timestamp.now(),
      }),
    );
    inBatch++;
  });
  const miners = [10, 11].map(hotkey);
  miners.forEach((h, i) => {
    batch.set(
      db.collection(COLLECTIONS.registry).doc(h),
      stored("registry", {
        hotkey: h,
        uid: 10 + i,
        role: "miner",
        validator_trust: 0,
        stake: 10,
        validator_permit: false,
        is_serving: true,
        last_seen: Timestamp.now(),
      }),
    );
    inBatch++;
  });
  // Failed rounds cycle through issue 9's reasons; some completed ones closed at the deadline by
  // the task with a validator timed out, the rest by the last ranking (quorum).
  const reasons = ["no_validator_responded", "no_miner_submitted", "insufficient_validators"];
  for (let i = 0; i < n; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    const created = now - 50 * 60_000 + i * 6_000;
    const ok = i % 10 !== 0;
    const byDeadline = ok && i % 10 === 5;
    batch.set(
      db.collection(COLLECTIONS.requests).doc(id),
      benchRequest(id, created, {
        status: ok ? "completed" : "failed",
        expected_validators: validators,
        expected_count: 4,
        min_validators: 1,
        expected_miners: miners,
        liveness: { window_ms: 45_000, period_ms: 15_000 },
        result: ok
          ? {
              leads: [],
              participants: byDeadline ? validators.slice(0, 3) : validators,
              timed_out: byDeadline ? validators.slice(3) : [],
              miners,
              trust_used: {},
              equal_weights: false,
              finalized_by: byDeadline ? "deadline" : "quorum",
            }
          : null,
        failure_reason: ok ? null : reasons[(i / 10) % reasons.length],
        closed_by: ok && !byDeadline ? "ranking" : "task",
        finalized_at: Timestamp.fromMillis(
          created + (ok ? (byDeadline ? 90_800 : 1_500 + (i % 7) * 100) : 120_000),
        ),
      }),
    );
    inBatch++;
    if (ok) {
      const participants = byDeadline ? validators.slice(0, 3) : validators;
      batch.set(
        db.collection(COLLECTIONS.metrics).doc(id),
        stored("metrics", {
          request_id: id,
          finalized_at: Timestamp.fromMillis(created + 1_500),
          finalized_by: byDeadline ? "deadline" : "quorum",
          validators_expected: 4,
          validators_participated: participants.length,
          validators_timed_out: 4 - participants.length,
          participants,
          timed_out: validators.slice(participants.length),
          trust_distribution: { by_validator: {}, equal_weights: false, min: 0, max: 0, total: 0 },
          avg_response_ms: null,
          miners_counted: miners.length,
          consensus_mode: "weighted",
          kappa: 0.5,
          agreement: {},
          candidate_leads: 0,
          ineligible_votes: 0,
          top_leads: [],
        }),
      );
      inBatch++;
    }
    await flush(false);
  }
  await flush(true);
}

/** A request document as the backend writes it, created at `created` (ms), with `fields` on top. */
function benchRequest(id, created, fields) {
  return stored("request", {
    request_id: id,
    num_leads: 3,
    business_desc: "bench",
    client_id: "bench",
    created_at: Timestamp.fromMillis(created),
    timeout: Timestamp.fromMillis(created + 120_000),
    validator_deadline: Timestamp.fromMillis(created + 90_000),
    ...fields,
  });
}

export async function runConsoleBench({ requests = 500, completions = 10 } = {}) {
  if (getApps().length === 0) initializeApp({ projectId: PROJECT });
  const db = getFirestore();
  await clearFirestore(db, PROJECT);
  await seed(db, requests);
  const email = "bench-operator@example.com";
  const password = "bench-operator-1";
  const auth = getAuth();
  const user = await auth.getUserByEmail(email).catch(() => auth.createUser({ email, password }));
  // What grant-operator sets: the claim and the operators/{uid} record the rules also require.
  await auth.setCustomUserClaims(user.uid, { operator: true });
  await db.collection("operators").doc(user.uid).set({ uid: user.uid, email });

  const dir = mkdtempSync(join(tmpdir(), "console-bench-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await context.newPage();
    await page.goto(URL);
    await page.fill("#sign-in input[name=email]", email);
    await page.fill("#sign-in input[name=password]", password);
    const t0 = Date.now();
    await page.click("#sign-in button[type=submit]");
    await page.waitForSelector("#app[data-first-load=done] tr[data-request-id]", {
      timeout: 60_000,
    });
    const firstRender = Date.now() - t0;

    const lags = [];
    for (let i = 0; i < completions; i++) {
      const id = `11111111-0000-4000-8000-${String(i).padStart(12, "0")}`;
      const created = Date.now();
      const ref = db.collection(COLLECTIONS.requests).doc(id);
      await ref.set(
        benchRequest(id, created, {
          status: "pending",
          expected_validators: [hotkey(0)],
          expected_count: 1,
          min_validators: 1,
          result: null,
          failure_reason: null,
          finalized_at: null,
        }),
      );
      await page.waitForSelector(`tr[data-request-id="${id}"][data-status=pending]`);
      await page.evaluate((rid) => {
        window.benchDone = new Promise((resolve) => {
          const check = () => {
            if (document.querySelector(`tr[data-request-id="${rid}"][data-status=completed]`)) {
              observer.disconnect();
              resolve(performance.timeOrigin + performance.now());
            }
          };
          const observer = new MutationObserver(check);
          observer.observe(document.body, { childList: true, subtree: true, attributes: true });
        });
      }, id);
      const completedAt = Date.now();
      await ref.update({
        status: "completed",
        finalized_at: Timestamp.fromMillis(completedAt),
        result: {
          leads: [],
          participants: [hotkey(0)],
          timed_out: [],
          miners: [],
          trust_used: {},
          equal_weights: false,
          finalized_by: "quorum",
        },
        closed_by: "ranking",
      });
      const seenAt = await page.evaluate(() => window.benchDone);
      lags.push(seenAt - completedAt);
    }
    return {
      requests,
      firstRenderMs: firstRender,
      completionToRow: {
        n: lags.length,
        p50: quantile(lags, 0.5),
        p95: quantile(lags, 0.95),
        max: Math.max(...lags),
      },
    };
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Alone (`npm run bench:console`, inside emulators:exec): prints the figures as JSON.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runConsoleBench();
  console.log(JSON.stringify(result, null, 2));
  // Close the Admin SDK's connections so the process (and emulators:exec) ends on its own.
  await Promise.all(getApps().map((app) => deleteApp(app)));
}
