// The event catalogue: one function per event, each writing its own event name at its severity with
// the fields it is given, unchanged (the console's formatter and the benches read them).
const written: { severity: string; event: string; fields: unknown }[] = [];
jest.mock("../../src/log", () => {
  const at = (severity: string) => (event: string, fields: unknown) =>
    void written.push({ severity, event, fields });
  return { log: { info: at("info"), warn: at("warn"), error: at("error") } };
});
import { EVENTS, logs } from "../../src/logs";

beforeEach(() => {
  written.length = 0;
});

test("every event has one function, named like it, and every name is distinct", () => {
  expect(Object.keys(logs).sort()).toEqual(Object.keys(EVENTS).sort());
  expect(new Set(Object.values(EVENTS)).size).toBe(Object.keys(EVENTS).length);
});

test("each function writes its event with the fields as given", () => {
  for (const [name, write] of Object.entries(logs)) {
    const fields = { request_id: "r1", marker: name };
    (write as (f: unknown) => void)(fields);
    expect(written.at(-1)).toMatchObject({ event: EVENTS[name as keyof typeof EVENTS], fields });
  }
  expect(written).toHaveLength(Object.keys(logs).length);
});

test("failures are errors or warnings; the round's progress is info", () => {
  logs.rankingAccepted({ request_id: "r", validator_hotkey: "v", rankings: 1, expected: 2 });
  logs.rankingRejected({ request_id: "r", validator_hotkey: "v", reason: "bad_signature" });
  logs.sweepRequestFailed({ request_id: "r", error: "boom" });
  expect(written.map((w) => [w.event, w.severity])).toEqual([
    ["ranking_accepted", "info"],
    ["ranking_rejected", "warn"],
    ["sweep_request_failed", "error"],
  ]);
});
