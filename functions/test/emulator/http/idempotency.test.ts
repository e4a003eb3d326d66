// Idempotency-Key on POST /leads through the real HTTPS function: duplicates create one request
// and get one answer, another body with the key is refused, and a retry is counted once.
import { randomUUID } from "node:crypto";
import { COLLECTIONS } from "consensus-core";
import {
  API_URL,
  adminDb,
  clearFirestore,
  countDocs,
  newApiKey,
  scaled,
  seedRegistry,
} from "../../support/emulator";

let key: string;
const body = { num_leads: 3, business_desc: "Solar installers in Texas" };

beforeEach(async () => {
  await clearFirestore();
  await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.5 }]);
  key = await newApiKey("idem-client");
});

async function post(idempotencyKey: string | null, payload: unknown) {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Authorization: `Bearer ${key}`,
  };
  if (idempotencyKey !== null) headers["Idempotency-Key"] = idempotencyKey;
  const res = await fetch(`${API_URL}/leads`, {
    method: "POST",
    headers,
    body: JSON.stringify(payload),
  });
  return {
    status: res.status,
    replayed: res.headers.get("idempotent-replayed"),
    text: await res.text(),
  };
}

/** Rate-limit slots used: the sum of every shard's count. */
async function slotsUsed(): Promise<number> {
  const shards = await adminDb().collection(COLLECTIONS.rateLimits).get();
  return shards.docs.reduce((sum, d) => sum + (d.data().count as number), 0);
}

const writes = () =>
  Promise.all([
    countDocs(COLLECTIONS.requests),
    countDocs(COLLECTIONS.idempotencyKeys),
    slotsUsed(),
  ]);

test(
  "20 concurrent POSTs with one key: one api_requests document, 20 identical answers",
  async () => {
    const idem = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(idem, body)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    // One of them created the request; every other one was answered from the record.
    expect(answers.filter((a) => a.replayed === "true")).toHaveLength(19);
    expect(await writes()).toEqual([1, 1, 1]);
    const requestId = JSON.parse(answers[0].text).request_id;
    expect((await adminDb().collection(COLLECTIONS.requests).doc(requestId).get()).exists).toBe(
      true,
    );
    // Twenty concurrent invocations of the Functions emulator, each in its own worker: the slowest
    // test here by far on a loaded machine.
  },
  scaled(120_000),
);

test("the same key with another body is a 422 naming the header, and writes nothing", async () => {
  const idem = randomUUID();
  const first = await post(idem, body);
  expect(first.status).toBe(202);
  const before = await writes();
  const other = await post(idem, { ...body, num_leads: 4 });
  expect(other.status).toBe(422);
  expect(JSON.parse(other.text).error).toMatchObject({
    code: "idempotency_key_reused",
    details: { field: "Idempotency-Key", request_id: JSON.parse(first.text).request_id },
  });
  expect(await writes()).toEqual(before);
});

test("a retry after a lost answer gets the first answer and uses the rate limit once", async () => {
  const idem = randomUUID();
  // The client never reads this answer (lost on the way back), then retries with the same key.
  const lost = await post(idem, body);
  expect(await writes()).toEqual([1, 1, 1]);
  const retried = await post(idem, body);
  expect(retried.status).toBe(202);
  expect(retried.replayed).toBe("true");
  expect(retried.text).toBe(lost.text);
  expect(await writes()).toEqual([1, 1, 1]);
});

test("the same key and body in another key order is the same body", async () => {
  const idem = randomUUID();
  const a = await post(idem, body);
  const b = await post(idem, { business_desc: body.business_desc, num_leads: body.num_leads });
  expect(b.text).toBe(a.text);
});

test("without the header every POST is a new request", async () => {
  const a = await post(null, body);
  const b = await post(null, body);
  expect([a.status, b.status]).toEqual([202, 202]);
  expect(JSON.parse(a.text).request_id).not.toBe(JSON.parse(b.text).request_id);
  expect(await writes()).toEqual([2, 0, 2]);
});

test.each([
  ["empty", ""],
  ["with a space", "a b"],
  ["too long", "k".repeat(256)],
])("a malformed key (%s) is a 400 naming the header, and writes nothing", async (_n, idem) => {
  const res = await post(idem, body);
  expect(res.status).toBe(400);
  expect(JSON.parse(res.text).error.details.field).toBe("Idempotency-Key");
  expect(await writes()).toEqual([0, 0, 0]);
});
