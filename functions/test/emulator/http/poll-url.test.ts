// The poll_url of a 202 works exactly as returned: a GET on it (with the client's key) answers
// the request's status.
import { clearFirestore, newApiKey, postLeads, seedRegistry } from "../../support/emulator";

beforeEach(async () => {
  await clearFirestore();
  await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.5 }]);
});

test("GET on poll_url as returned answers the request's status", async () => {
  const key = await newApiKey("poll-client");
  const created = await postLeads(key, { num_leads: 2, business_desc: "Dentists in Lyon" });
  expect(created.status).toBe(202);
  const pollUrl: string = created.body.poll_url;
  expect(pollUrl).toBe(
    `http://127.0.0.1:5001/demo-consensus/us-central1/api/leads/status/${created.body.request_id}`,
  );

  const res = await fetch(pollUrl, { headers: { Authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as any;
  expect(body).toMatchObject({
    request_id: created.body.request_id,
    status: "pending",
    validators: { answered: 0, expected: 1 },
  });
});
