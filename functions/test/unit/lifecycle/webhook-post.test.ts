// The webhook POST's address guard, against a local server: production refuses loopback whether
// the URL names it as an IP literal or as a host name that resolves to it (checked inside the
// socket's lookup); the emulator's policy lets loopback through and reports the receiver's status.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RefusedAddressError, postWebhook } from "../../../src/lifecycle/webhookPost";

let server: Server;
let port: number;
const received: { body: string; signature: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ body, signature: req.headers["webhook-signature"] as string | undefined });
      res.statusCode = body.includes("fail") ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const prod = { allowLoopbackHttp: false };
const emulator = { allowLoopbackHttp: true };

test("production refuses a loopback IP literal and a name resolving to loopback, sending nothing", async () => {
  const before = received.length;
  await expect(postWebhook(`http://127.0.0.1:${port}/h`, "{}", {}, prod)).rejects.toBeInstanceOf(
    RefusedAddressError,
  );
  await expect(postWebhook(`http://[::1]:${port}/h`, "{}", {}, prod)).rejects.toBeInstanceOf(
    RefusedAddressError,
  );
  await expect(postWebhook(`http://localhost:${port}/h`, "{}", {}, prod)).rejects.toBeInstanceOf(
    RefusedAddressError,
  );
  expect(received.length).toBe(before);
});

test("the emulator policy delivers to loopback and returns the receiver's status", async () => {
  const headers = { "Content-Type": "application/json", "Webhook-Signature": "t=1,v1=ab" };
  expect(await postWebhook(`http://127.0.0.1:${port}/h`, '{"ok":1}', headers, emulator)).toBe(204);
  expect(await postWebhook(`http://localhost:${port}/h`, '{"fail":1}', headers, emulator)).toBe(
    500,
  );
  expect(received.slice(-2)).toEqual([
    { body: '{"ok":1}', signature: "t=1,v1=ab" },
    { body: '{"fail":1}', signature: "t=1,v1=ab" },
  ]);
});
