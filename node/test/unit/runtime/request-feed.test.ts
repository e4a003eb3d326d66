// The request feed hands each open request to the role once, and tries its work again after a
// transient Firestore error while the request stays open, but never after a permanent one.
import type { DocumentData, QueryDocumentSnapshot } from "firebase/firestore";
import { recordingLogger } from "../../support/log-recorder";
import type { OpenRequest } from "../../../src/runtime/open-request";
import { RequestFeed, type RequestFeedHost } from "../../../src/runtime/request-feed";

const at = (ms: number) => ({ toMillis: () => ms });

function openDoc(id: string, timeoutMs = Date.now() + 60_000) {
  return {
    id,
    data: () => ({
      num_leads: 2,
      business_desc: "B2B SaaS",
      status: "pending",
      created_at: at(Date.now()),
      timeout: at(timeoutMs),
      validator_deadline: at(timeoutMs - 1_000),
      expected_validators: ["5Alice"],
    }),
  } as unknown as QueryDocumentSnapshot<DocumentData>;
}

const firestoreError = (code: string) => Object.assign(new Error(`${code} error`), { code });

function feedWith(handle: (request: OpenRequest, attempt: number) => Promise<void>) {
  const log = recordingLogger();
  const attempts = new Map<string, number>();
  const host: RequestFeedHost = {
    log: () => log,
    isStopping: () => false,
    handleRequest: (request) => {
      const n = (attempts.get(request.request_id) ?? 0) + 1;
      attempts.set(request.request_id, n);
      return handle(request, n);
    },
    onRequestClosed: () => undefined,
    authOk: async () => true,
    recover: () => undefined,
  };
  const feed = new RequestFeed(host, { initialMs: 1, maxMs: 4 });
  return { feed, attempts, logged: log.entries };
}

test("work that fails while Firestore is out of reach is tried again until it succeeds", async () => {
  const { feed, attempts, logged } = feedWith(async (_, n) => {
    if (n < 3) throw firestoreError(n === 1 ? "unavailable" : "deadline-exceeded");
  });
  feed.reconcile([openDoc("r1")]);
  await feed.idle();
  expect(attempts.get("r1")).toBe(3);
  expect(logged.filter((l) => l.event === "request_retry").map((l) => l.data)).toEqual([
    { request_id: "r1", code: "unavailable", retry_in_ms: 1 },
    { request_id: "r1", code: "deadline-exceeded", retry_in_ms: 2 },
  ]);
  expect(logged.some((l) => l.event === "request_failed")).toBe(false);
});

test("a permanent error is not retried", async () => {
  const { feed, attempts, logged } = feedWith(async () => {
    throw firestoreError("invalid-argument");
  });
  feed.reconcile([openDoc("r1")]);
  await feed.idle();
  expect(attempts.get("r1")).toBe(1);
  expect(logged.filter((l) => l.event === "request_failed")).toEqual([
    expect.objectContaining({
      level: "error",
      data: { request_id: "r1", error: "invalid-argument error" },
    }),
  ]);
});

test("retries stop once the request leaves the open set", async () => {
  let closeIt: () => void = () => undefined;
  const { feed, attempts } = feedWith(async (_, n) => {
    if (n === 2) closeIt();
    throw firestoreError("unavailable");
  });
  closeIt = () => feed.reconcile([]);
  feed.reconcile([openDoc("r1")]);
  await waitUntil(() => attempts.get("r1") === 2);
  await feed.idle();
  expect(attempts.get("r1")).toBe(2);
});

test("retries stop at the request's timeout", async () => {
  const { feed, attempts, logged } = feedWith(async () => {
    throw firestoreError("unavailable");
  });
  // Open when seen, past its timeout by the time a later retry is due.
  feed.reconcile([openDoc("r1", Date.now() + 50)]);
  // idle() resolving at all means the attempts stopped. Each was reported as a retry, except a
  // last one that failed after the timeout had already passed.
  await feed.idle();
  expect(attempts.get("r1")).toBeGreaterThanOrEqual(1);
  const retries = logged.filter(
    (l) =>
      l.event === "request_retry" && l.data.request_id === "r1" && l.data.code === "unavailable",
  );
  expect(retries.length).toBeGreaterThanOrEqual(attempts.get("r1")! - 1);
  expect(
    logged
      .filter((l) => !retries.includes(l) && l.event !== "request_seen")
      .map((l) => [l.event, l.data]),
  ).toEqual(
    retries.length === attempts.get("r1")
      ? []
      : [["request_failed", { request_id: "r1", error: "unavailable error" }]],
  );
});

async function waitUntil(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setImmediate(r));
}
