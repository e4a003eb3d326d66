// While Firestore is out of reach the node opens a fresh connection every few seconds instead of
// waiting out the SDK's own backoff (up to a minute), and reports the loss and the return once.
import { recordingLogger } from "../../support/log-recorder";
import { Listeners, type ListenersHost } from "../../../src/runtime/listeners";

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

function listenersWith(stopping = () => false) {
  const log = recordingLogger();
  const host: ListenersHost = {
    log: () => log,
    isStopping: stopping,
    reauthenticate: async () => undefined,
    subscribeAll: async () => undefined,
    openCount: () => 0,
    reconnect: jest.fn(async () => undefined),
  };
  return { listeners: new Listeners(host, 1_000, 8_000), host, logged: log.events };
}

test("offline for 5 s: reported once, then a fresh connection every 5 s until back", () => {
  const { listeners, host, logged } = listenersWith();
  listeners.noteConnection(true);
  jest.advanceTimersByTime(4_999);
  expect(host.reconnect).not.toHaveBeenCalled();
  expect(logged()).toEqual([]);
  jest.advanceTimersByTime(1);
  expect(host.reconnect).toHaveBeenCalledTimes(1);
  // More cache-only snapshots while offline start no second timer.
  listeners.noteConnection(true);
  jest.advanceTimersByTime(10_000);
  expect(host.reconnect).toHaveBeenCalledTimes(3);
  listeners.noteConnection(false);
  jest.advanceTimersByTime(60_000);
  expect(host.reconnect).toHaveBeenCalledTimes(3);
  expect(logged()).toEqual(["connection_lost", "connection_restored"]);
});

test("a cache-only moment shorter than 5 s is neither reported nor reconnected", () => {
  const { listeners, host, logged } = listenersWith();
  listeners.noteConnection(true);
  jest.advanceTimersByTime(3_000);
  listeners.noteConnection(false);
  jest.advanceTimersByTime(30_000);
  expect(host.reconnect).not.toHaveBeenCalled();
  expect(logged()).toEqual([]);
});

test("a stopping node does not reconnect", () => {
  const { listeners, host } = listenersWith(() => true);
  listeners.noteConnection(true);
  jest.advanceTimersByTime(20_000);
  expect(host.reconnect).not.toHaveBeenCalled();
  listeners.unsubscribeAll();
});
