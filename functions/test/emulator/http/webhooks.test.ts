// Webhooks end to end on the emulators: a receiver on 127.0.0.1 gets the final status of a request
// that completes or fails, signed so the SDK's verifyWebhook accepts it, with the body the status
// endpoint answers; a 500 is retried by Cloud Tasks with the same delivery id; a final request whose
// enqueue never happened is delivered by the sweep; a bad callback_url is a 400 that writes nothing.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Timestamp } from "firebase-admin/firestore";
import { COLLECTIONS, webhookDeliveryId } from "consensus-core";
import { verifyWebhook } from "../../../../node/src";
import { createApiKey, hashApiKey } from "../../../src/http/apiKeys";
import { createLeadRequest } from "../../support/create-request";
import { runSweep } from "../../../src/lifecycle/sweep";
import {
  adminDb,
  clearFirestore,
  countDocs,
  getStatus,
  lead,
  postLeads,
  requestDoc,
  seedRegistry,
  submitLeads,
  submitRanking,
  testLifecycle,
  waitFor,
} from "../../support/emulator";

const CLIENT = "hooks-client";
const INPUT = { num_leads: 1, business_desc: "Founders of software companies" };

interface Delivery {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local receiver: records every delivery and answers with the next scripted status (then 200). */
class Receiver {
  readonly deliveries: Delivery[] = [];
  private server!: Server;
  constructor(private readonly script: number[] = []) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.deliveries.push({
          at: Date.now(),
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        });
        res.statusCode = this.script.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  waitForDeliveries(n: number): Promise<Delivery[]> {
    return waitFor(`${n} webhook deliveries`, async () =>
      this.deliveries.length >= n ? this.deliveries : undefined,
    );
  }
}

let receiver: Receiver | undefined;
afterEach(() => receiver?.stop());
beforeEach(() => clearFirestore());

async function setup() {
  const [alice, ferdie] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  adminDb();
  const { key, webhookSecret } = await createApiKey(CLIENT, "webhooks test");
  return { alice, ferdie, key, secret: webhookSecret };
}

function verified(d: Delivery, secret: string) {
  return verifyWebhook({ body: d.body, headers: d.headers, secret, toleranceSeconds: 60 });
}

test("a completed request is delivered once, signed, with the status endpoint's body", async () => {
  const { alice, ferdie, key, secret } = await setup();
  receiver = new Receiver();
  const callback_url = await receiver.start();
  const created = await postLeads(key, { ...INPUT, callback_url });
  expect(created.status).toBe(202);
  const id: string = created.body.request_id;
  await submitLeads(ferdie, 10, id, [lead(1)]);
  await submitRanking(alice, 0, id, [[lead(1), 0.9]]);

  const [delivery] = await receiver.waitForDeliveries(1);
  const hook = verified(delivery, secret);
  expect(hook.deliveryId).toBe(webhookDeliveryId(id));
  expect(hook.payload.status).toBe("completed");
  expect(hook.payload.leads?.map((l) => l.email)).toEqual([lead(1).email]);
  const status = await getStatus(key, id);
  expect(JSON.parse(delivery.body)).toEqual(status.body);
  expect(delivery.headers["content-type"]).toBe("application/json");

  const record = await waitFor("the delivery recorded", async () => {
    const d = (await adminDb().collection(COLLECTIONS.webhooks).doc(id).get()).data();
    return d?.outcome === "delivered" ? d : undefined;
  });
  expect(record).toMatchObject({ attempts: 1, last_status: 200, callback_url });
  expect((await requestDoc(id))!.webhook).toMatchObject({ state: "enqueued" });
  // Nothing else arrives: the finalisation enqueued one task.
  expect(receiver.deliveries).toHaveLength(1);
});

test("a receiver answering 500 gets the delivery again within seconds, same delivery id", async () => {
  const { alice, ferdie, key, secret } = await setup();
  receiver = new Receiver([500]);
  const callback_url = await receiver.start();
  const created = await postLeads(key, { ...INPUT, callback_url });
  const id: string = created.body.request_id;
  await submitLeads(ferdie, 10, id, [lead(2)]);
  await submitRanking(alice, 0, id, [[lead(2), 0.8]]);

  const [first, second] = await receiver.waitForDeliveries(2);
  expect(verified(first, secret).deliveryId).toBe(webhookDeliveryId(id));
  expect(verified(second, secret).deliveryId).toBe(webhookDeliveryId(id));
  expect(JSON.parse(second.body)).toEqual(JSON.parse(first.body));
  // The queue's first backoff is 1 s (emulator and production alike).
  expect(second.at - first.at).toBeLessThan(10_000);
  const record = await waitFor("the retry recorded as delivered", async () => {
    const d = (await adminDb().collection(COLLECTIONS.webhooks).doc(id).get()).data();
    return d?.outcome === "delivered" ? d : undefined;
  });
  expect(record).toMatchObject({ attempts: 2, last_status: 200 });
});

test("a request that fails (no ranking before its timeout) is delivered with its reason", async () => {
  const { key, secret } = await setup();
  receiver = new Receiver();
  const callback_url = await receiver.start();
  // Created in-process with a timeout already past; the status read closes it as its task would.
  const doc = await createLeadRequest(
    CLIENT,
    { ...INPUT, callback_url },
    new Date(),
    testLifecycle({ validatorDeadlineMs: 1, requestTimeoutMs: 1 }),
    hashApiKey(key),
  );
  const status = await getStatus(key, doc.request_id);
  expect(status.body).toMatchObject({ status: "failed", reason: "no_miner_submitted" });

  const [delivery] = await receiver.waitForDeliveries(1);
  const hook = verified(delivery, secret);
  expect(hook.payload).toMatchObject({ status: "failed", reason: "no_miner_submitted" });
  expect(JSON.parse(delivery.body)).toEqual((await getStatus(key, doc.request_id)).body);
});

test("a final request whose webhook was never enqueued is delivered by the sweep", async () => {
  const { key, secret } = await setup();
  receiver = new Receiver();
  const callback_url = await receiver.start();
  const doc = await createLeadRequest(
    CLIENT,
    { ...INPUT, callback_url },
    new Date(),
    testLifecycle(),
    hashApiKey(key),
  );
  // As a finalising commit leaves it when the process dies before the enqueue.
  await adminDb().collection(COLLECTIONS.requests).doc(doc.request_id).update({
    status: "failed",
    failure_reason: "no_miner_submitted",
    finalized_at: Timestamp.now(),
    "webhook.state": "due",
  });
  expect(receiver.deliveries).toHaveLength(0);

  const summary = await runSweep(new Date());
  expect(summary).toMatchObject({ webhooks_due: 1, webhooks_enqueued: 1 });
  const [delivery] = await receiver.waitForDeliveries(1);
  expect(verified(delivery, secret).payload).toMatchObject({
    request_id: doc.request_id,
    status: "failed",
  });
  expect((await requestDoc(doc.request_id))!.webhook.state).toBe("enqueued");
  // A second sweep finds nothing due.
  expect(await runSweep(new Date())).toMatchObject({ webhooks_due: 0 });
});

describe("a bad callback_url", () => {
  test.each([
    ["http to a private address", "http://10.0.0.1/hook"],
    ["https to a private address", "https://10.0.0.1/hook"],
    ["https to link-local metadata", "https://169.254.169.254/latest"],
    ["ftp", "ftp://example.com/hook"],
    ["not a URL", "hooks please"],
    ["too long", `https://example.com/${"a".repeat(2048)}`],
  ])("(%s) is a 400 naming callback_url and writes nothing", async (_name, callback_url) => {
    const { key } = await setup();
    const res = await postLeads(key, { ...INPUT, callback_url });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_argument");
    expect(res.body.error.details.issues.map((i: { field: string }) => i.field)).toContain(
      "callback_url",
    );
    expect(await countDocs(COLLECTIONS.requests)).toBe(0);
    expect(await countDocs(COLLECTIONS.webhooks)).toBe(0);
    expect(await countDocs(COLLECTIONS.rateLimits)).toBe(0);
  });

  test("with a key that has no webhook secret (made before webhooks) is a 400", async () => {
    await setup();
    const oldKey = "lpk_made_before_webhooks";
    await adminDb().collection(COLLECTIONS.apiKeys).doc(hashApiKey(oldKey)).create({
      client_id: CLIENT,
      label: "old",
      created_at: Timestamp.now(),
      disabled: false,
    });
    const res = await postLeads(oldKey, { ...INPUT, callback_url: "https://hooks.example.com/" });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].field).toBe("callback_url");
    expect(await countDocs(COLLECTIONS.requests)).toBe(0);
  });
});
