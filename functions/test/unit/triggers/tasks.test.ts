// The close-task trigger maps its handler's outcomes onto what Cloud Tasks understands: an early
// task answers `unavailable` (503) so the queue retries it, a malformed one is logged and acked so
// it is never retried, anything else fails the delivery. firebase-functions-test delivers the task
// to the real v2 onTaskDispatched function; the handler (tested against the emulators) is replaced.
import functionsTest from "firebase-functions-test";
import { HttpsError } from "firebase-functions/v2/https";

const handleCloseTask = jest.fn<Promise<unknown>, [unknown]>();
jest.mock("../../../src/lifecycle/closeTask", () => {
  class NotDueError extends Error {}
  class BadTaskError extends Error {}
  return {
    NotDueError,
    BadTaskError,
    WAIT_IN_HANDLER_MS: 4_000,
    handleCloseTask: (data: unknown) => handleCloseTask(data),
  };
});

const logged: string[] = [];
jest.mock("../../../src/log", () => ({
  log: { info: () => {}, warn: () => {}, error: (event: string) => void logged.push(event) },
}));

import { BadTaskError, NotDueError } from "../../../src/lifecycle/closeTask";
import { EVENTS } from "../../../src/logs";
import { closeRequest } from "../../../src/triggers/tasks";

const fft = functionsTest({ projectId: "demo-consensus" });
afterAll(() => fft.cleanup());
beforeEach(() => {
  handleCloseTask.mockReset();
  logged.length = 0;
});

const task = { request_id: "2f1c7a4e-6a0b-4c1e-9d3f-0b8e5a7c9d11", at: "deadline" };
// firebase-functions-test runs a task function's handler with what it is given, but its types only
// know event functions: the casts say "a task request whose data is all this trigger reads".
const wrapped = fft.wrap(closeRequest as never) as unknown as (req: {
  data: unknown;
}) => Promise<unknown>;
const deliver = (data: unknown) => wrapped({ data });

test("a delivered task reaches the handler with its data", async () => {
  handleCloseTask.mockResolvedValue({ kind: "nothing_to_do" });
  await deliver(task);
  expect(handleCloseTask.mock.calls).toEqual([[task]]);
});

test("an early task answers unavailable so Cloud Tasks retries it", async () => {
  handleCloseTask.mockRejectedValue(new NotDueError(900));
  const delivery = deliver(task);
  await expect(delivery).rejects.toBeInstanceOf(HttpsError);
  await expect(delivery).rejects.toMatchObject({ code: "unavailable" });
});

test("a malformed task is acknowledged, never retried", async () => {
  handleCloseTask.mockRejectedValue(new BadTaskError("at: invalid option"));
  await expect(deliver({ at: "never" })).resolves.toBeUndefined();
  expect(logged).toEqual([EVENTS.taskMalformed]);
});

test("any other failure fails the delivery as it is", async () => {
  const boom = new Error("firestore unavailable");
  handleCloseTask.mockRejectedValue(boom);
  await expect(deliver(task)).rejects.toBe(boom);
});
