// The node's event catalogue: one function per event, each writing its own event at the level the
// table gives, with every field it was given; text lines stay the prose people and benches read,
// JSON lines add the event's name.
import { EVENTS, events } from "../../../src/runtime/events";
import { createLogger } from "../../../src/runtime/log";
import { recordingLogger } from "../../support/log-recorder";

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// Every field any event takes, so each function can be called the same way.
const SAMPLE = {
  request_id: "1234abcd-0000-4000-8000-000000000000",
  error: "boom",
  code: "unavailable",
  signal: "SIGTERM",
  role: "miner",
  hotkey: "5GrwvaEF5zXb26Fz9rcQ",
  doc: "submission",
  listener: "requests",
  unregistered: false,
  ms: 1,
  retry_in_ms: 1_000,
  retry_in_s: 2,
  done: 0,
  trust: 0.5,
  num_leads: 2,
  num_leads_ranked: 2,
};

type AnyEvent = (log: unknown, f?: unknown) => void;

test("every event has one function, named like it, and every function one event", () => {
  expect(Object.keys(events).map(snake).sort()).toEqual(Object.keys(EVENTS).sort());
});

test("each function writes its own event at its level, with the fields as given", () => {
  const log = recordingLogger();
  for (const [name, write] of Object.entries(events)) {
    (write as AnyEvent)(log, SAMPLE);
    const event = snake(name) as keyof typeof EVENTS;
    const entry = log.entries.at(-1)!;
    expect([entry.event, entry.level]).toEqual([event, EVENTS[event]]);
    // Functions without fields get none to pass on.
    if (Object.keys(entry.data).length > 0) expect(entry.data).toBe(SAMPLE);
  }
  expect(log.entries).toHaveLength(Object.keys(events).length);
});

test("failures are errors or warnings; the round's progress is info", () => {
  const log = recordingLogger();
  events.submitted(log, {
    request_id: "r1",
    num_leads: 2,
    asked: 2,
    curate_ms: 1,
    total_ms: 2,
    since_created_ms: 3,
  });
  events.noSubmission(log, { request_id: "r1", waited_s: 5, stop: "deadline" });
  events.requestFailed(log, { request_id: "r1", error: "denied" });
  expect(log.entries.map((e) => [e.event, e.level])).toEqual([
    ["submitted", "info"],
    ["no_submission", "warn"],
    ["request_failed", "error"],
  ]);
});

function lines(format: "text" | "json") {
  const out: string[] = [];
  const log = createLogger({
    role: "validator",
    hotkey: "5GrwvaEF5zXb26Fz9rcQ",
    format,
    write: (l) => out.push(l),
  });
  events.ranked(log, {
    request_id: "1234abcd-0000-4000-8000-000000000000",
    num_leads_ranked: 3,
    submissions: 2,
    rejected_submissions: 0,
    declined: 1,
    stop: "all_answered",
    first_submission_after_ms: null,
    collected_ms: 40,
    rank_ms: 5,
    total_ms: 50,
    since_created_ms: 60,
  });
  events.heartbeatFailed(log, { code: "permission-denied", unregistered: true });
  events.nodeStarting(log, {
    hotkey: "5GrwvaEF5zXb26Fz9rcQ",
    key_from: "uri",
    api: "http://127.0.0.1:5001",
    project: "demo",
    firestore_emulator: undefined,
    auth_emulator: undefined,
    curator: undefined,
    ranker: undefined,
  });
  events.requestFailed(log, { request_id: "1234abcd-0000", error: "two words" });
  return out;
}

test("text lines are the prose people and the benches read, fields as k=v", () => {
  expect(lines("text")).toEqual([
    "[validator 5GrwvaEF] request 1234abcd: ranked 3 leads request_id=1234abcd-0000-4000-8000-000000000000 " +
      "submissions=2 rejected_submissions=0 declined=1 stop=all_answered first_submission_after_ms=null " +
      "collected_ms=40 rank_ms=5 total_ms=50 since_created_ms=60",
    "[validator 5GrwvaEF] WARN heartbeat failed: permission-denied (is this hotkey still in the registry?)",
    "[validator 5GrwvaEF] starting hotkey=5GrwvaEF5zXb26Fz9rcQ key_from=uri api=http://127.0.0.1:5001 project=demo",
    "[validator 5GrwvaEF] ERROR request 1234abcd: failed: two words",
  ]);
});

test("JSON lines name the event beside the same message and fields", () => {
  const [ranked, heartbeat, , failed] = lines("json").map((l) => JSON.parse(l));
  expect(ranked).toEqual({
    time: expect.any(String),
    level: "info",
    event: "ranked",
    role: "validator",
    hotkey: "5GrwvaEF5zXb26Fz9rcQ",
    msg: "request 1234abcd: ranked 3 leads",
    request_id: "1234abcd-0000-4000-8000-000000000000",
    submissions: 2,
    rejected_submissions: 0,
    declined: 1,
    stop: "all_answered",
    first_submission_after_ms: null,
    collected_ms: 40,
    rank_ms: 5,
    total_ms: 50,
    since_created_ms: 60,
  });
  expect(heartbeat).toMatchObject({ level: "warn", event: "heartbeat_failed" });
  expect(failed).toMatchObject({
    level: "error",
    event: "request_failed",
    msg: "request 1234abcd: failed: two words",
  });
});
