// The poll_url of a 202 works exactly as returned: a GET on it (with the client's key) answers
// the request's status. It is the configured address, whatever headers the caller sends.
import { randomUUID } from "node:crypto";
import { COLLECTIONS } from "consensus-core";
import {
  adminDb,
  clearFirestore,
  newApiKey,
  postLeads,
  seedRegistry,
} from "../../support/emulator";

const CONFIGURED = "http://127.0.0.1:5001/demo-consensus/us-central1/api";

beforeEach(async () => {
  await clearFirestore();
  await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.5 }]);
});

test("GET on poll_url as returned answers the request's status", async () => {
  const key = await newApiKey("poll-client");
  const created = await postLeads(key, { num_leads: 2, business_desc: "Dentists in Lyon" });
  expect(created.status).toBe(202);
  const pollUrl: string = created.body.poll_url;
  expect(pollUrl).toBe(`${CONFIGURED}/leads/status/${created.body.request_id}`);

  const res = await fetch(pollUrl, { headers: { Authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as any;
  expect(body).toMatchObject({
    request_id: created.body.request_id,
    status: "pending",
    validators: { answered: 0, expected: 1 },
  });
});

// Issue 20: X-Forwarded-Host: evil.example + X-Forwarded-Proto: javascript answered
// poll_url: javascript://evil.example/..., and an idempotent replay returned it again.
const HOSTILE = {
  "X-Forwarded-Host": "evil.example",
  "X-Forwarded-Proto": "javascript",
  "X-Forwarded-Prefix": "/phish",
  Forwarded: "host=evil.example;proto=javascript",
};

test("hostile forwarding headers do not reach poll_url, first answer or replay", async () => {
  const key = await newApiKey("poll-client");
  const headers = {
    "Content-Type": "application/json",
    Authorization: `Bearer ${key}`,
    "Idempotency-Key": randomUUID(),
    ...HOSTILE,
  };
  const body = { num_leads: 2, business_desc: "Dentists in Lyon" };
  const first = await postLeads(null, body, { headers });
  expect(first.status).toBe(202);
  expect(first.body.poll_url).toBe(`${CONFIGURED}/leads/status/${first.body.request_id}`);

  const replay = await postLeads(null, body, { headers });
  expect(replay.status).toBe(202);
  expect(replay.headers.get("idempotent-replayed")).toBe("true");
  expect(replay.body).toEqual(first.body);

  // It works as returned.
  const res = await fetch(first.body.poll_url, { headers: { Authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  expect(((await res.json()) as any).request_id).toBe(first.body.request_id);
});

test("a replay rebuilds poll_url from configuration, even if the stored answer holds another", async () => {
  const key = await newApiKey("poll-client");
  const headers = {
    "Content-Type": "application/json",
    Authorization: `Bearer ${key}`,
    "Idempotency-Key": randomUUID(),
  };
  const body = { num_leads: 2, business_desc: "Dentists in Lyon" };
  const first = await postLeads(null, body, { headers });
  expect(first.status).toBe(202);
  // An answer recorded while poll_url still followed request headers.
  const records = await adminDb()
    .collection(COLLECTIONS.idempotencyKeys)
    .where("request_id", "==", first.body.request_id)
    .get();
  expect(records.size).toBe(1);
  await records.docs[0].ref.update({
    "response.poll_url": `javascript://evil.example/leads/status/${first.body.request_id}`,
  });

  const replay = await postLeads(null, body, { headers });
  expect(replay.status).toBe(202);
  expect(replay.headers.get("idempotent-replayed")).toBe("true");
  expect(replay.body.poll_url).toBe(`${CONFIGURED}/leads/status/${first.body.request_id}`);
});
