// The Firestore triggers are thin: each hands the created document's id, and the document as the
// event carries it (so the handler need not read it again), to its lifecycle handler.
// firebase-functions-test delivers a v2 onDocumentCreated event to the real trigger; the handlers
// (tested against the emulators elsewhere) are replaced so this stays a unit test.
import functionsTest from "firebase-functions-test";

const handled: { kind: string; docId: string; data: unknown }[] = [];
type Delivered = { data: unknown } | undefined;
jest.mock("../../../src/lifecycle/rankings", () => ({
  handleRankingCreated: async (docId: string, _now: Date, delivered: Delivered) =>
    void handled.push({ kind: "ranking", docId, data: delivered?.data }),
}));
jest.mock("../../../src/lifecycle/submissions", () => ({
  handleSubmissionCreated: async (docId: string, _now: Date, delivered: Delivered) =>
    void handled.push({ kind: "submission", docId, data: delivered?.data }),
}));

import { onRankingCreated, onSubmissionCreated } from "../../../src/triggers/firestore";

const fft = functionsTest({ projectId: "demo-consensus" });
afterAll(() => fft.cleanup());
beforeEach(() => (handled.length = 0));

test.each([
  ["ranking", onRankingCreated, "validator_rankings"],
  ["submission", onSubmissionCreated, "miner_submissions"],
] as const)("a created %s reaches its handler with the document id", async (kind, trigger, col) => {
  const docId =
    "2f1c7a4e-6a0b-4c1e-9d3f-0b8e5a7c9d11_5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
  const data = fft.firestore.makeDocumentSnapshot({ request_id: "r" }, `${col}/${docId}`);
  await fft.wrap(trigger)({ data, params: { docId } });
  expect(handled).toEqual([{ kind, docId, data: { request_id: "r" } }]);
});
