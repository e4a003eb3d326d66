// `GET /leads/status/{id}?wait=<s>`: the answer is held while the request is open and comes as soon
// as it is final, so a client learns the result without a poll interval; a bad `wait` is a 400
// naming the field.
import {
  API_URL,
  clearFirestore,
  lead,
  newApiKey,
  seedRegistry,
  submitLeads,
  submitRanking,
} from "../../support/emulator";

beforeEach(() => clearFirestore());

async function createRequest(key: string): Promise<string> {
  const res = await fetch(`${API_URL}/leads`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ num_leads: 1, business_desc: "Founders of software companies" }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { request_id: string }).request_id;
}

test("a held status read answers when the round completes, not when the wait ends", async () => {
  const [alice, ferdie] = await seedRegistry([
    { uri: "//Alice", uid: 0, trust: 0.5 },
    { uri: "//Ferdie", uid: 10, role: "miner" },
  ]);
  const key = await newApiKey("wait-client");
  const id = await createRequest(key);
  const sentAt = Date.now();
  const held = fetch(`${API_URL}/leads/status/${id}?wait=25`, {
    headers: { authorization: `Bearer ${key}` },
  });
  await submitLeads(ferdie, 10, id, [lead(1)]);
  await submitRanking(alice, 0, id, [[lead(1), 0.9]]);
  const res = await held;
  // Held until the round completed, and no longer: well inside the 25 s it asked for.
  expect(Date.now() - sentAt).toBeLessThan(25_000);
  const body = (await res.json()) as { status: string; leads?: { email: string }[] };
  expect(res.status).toBe(200);
  expect(body.status).toBe("completed");
  expect(body.leads?.map((l) => l.email)).toEqual([lead(1).email]);
});

test.each(["-1", "26", "soon"])("wait=%s is a 400 naming the field", async (wait) => {
  const key = await newApiKey("wait-client");
  const res = await fetch(
    `${API_URL}/leads/status/00000000-0000-4000-8000-000000000000?wait=${wait}`,
    { headers: { authorization: `Bearer ${key}` } },
  );
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({
    error: { code: "invalid_argument", details: { field: "wait" } },
  });
});
