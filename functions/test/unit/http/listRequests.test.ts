// The GET /leads cursor: opaque to clients, exact for us, and anything we did not issue is refused.
import { decodeCursor, encodeCursor } from "../../../src/http/listRequests";

const pos = {
  seconds: 1_795_834_800,
  nanos: 123_000_000,
  requestId: "0b6b3c1e-6f3a-4c7e-9a53-2f8f3f1d7c42",
};

test("a cursor decodes to the position it encodes, and is URL-safe", () => {
  const cursor = encodeCursor(pos);
  expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(decodeCursor(cursor)).toEqual(pos);
});

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

test.each([
  ["not base64 JSON", "abc"],
  ["empty", ""],
  ["another version", b64([2, pos.seconds, pos.nanos, pos.requestId])],
  ["negative seconds", b64([1, -1, 0, pos.requestId])],
  ["nanos out of range", b64([1, pos.seconds, 1e9, pos.requestId])],
  ["a non-UUID id", b64([1, pos.seconds, 0, "../other"])],
  ["an object", b64({ seconds: pos.seconds })],
  ["extra elements", b64([1, pos.seconds, 0, pos.requestId, "x"])],
])("%s is not a cursor", (_name, cursor) => {
  expect(decodeCursor(cursor)).toBeNull();
});
