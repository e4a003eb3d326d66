// Malformed inputs across the API and sign-in (issue 11), over HTTP against the real `api` function
// in the Functions emulator: fast-check generates bodies with one field broken (or not JSON, or the
// wrong content type, or a bad key, or a business_desc holding a lone surrogate, a control
// character or a bidi override: issue 20), and every answer must be a 4xx JSON error that names a
// field where one is at fault, with no Firestore document written (all collections compared
// before/after).
import fc from "fast-check";
import { frequire, silenceBackendLogs } from "./lib.mjs";

silenceBackendLogs();
const PROJECT = "demo-consensus";
const API = `http://127.0.0.1:5001/${PROJECT}/us-central1/api`;
const { initializeApp, getApps } = frequire("firebase-admin/app");
const { getFirestore } = frequire("firebase-admin/firestore");
if (getApps().length === 0) initializeApp({ projectId: PROJECT });
const { createApiKey } = frequire("./lib/http/apiKeys.js");
const db = getFirestore();

const HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const wrongType = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);
const validLeads = fc.record({
  num_leads: fc.integer({ min: 1, max: 100 }),
  business_desc: fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s.trim() !== ""),
});
// Text the schemas refuse (issue 20: a lone surrogate was a 500): a lone UTF-16 surrogate, a C0
// control other than tab/LF/CR, DEL, a C1 control, a bidi override or isolate.
const codeUnit = (min, max) => fc.integer({ min, max }).map((c) => String.fromCharCode(c));
const unsafeChar = fc.oneof(
  codeUnit(0xd800, 0xdbff),
  codeUnit(0xdc00, 0xdfff),
  fc.constantFrom(0x00, 0x07, 0x08, 0x0b, 0x0c, 0x1b, 0x1f).map((c) => String.fromCharCode(c)),
  codeUnit(0x7f, 0x9f),
  codeUnit(0x202a, 0x202e),
  codeUnit(0x2066, 0x2069),
);
const unsafeDesc = (v) =>
  fc
    .tuple(unsafeChar, fc.nat({ max: v.business_desc.length }))
    .map(([ch, at]) => v.business_desc.slice(0, at) + ch + v.business_desc.slice(at));
/** One of each class, always sent (the sampled ones add positions and code points). */
const UNSAFE_DESCS = [
  "Fintech \ud800 in Berlin",
  "Fintech in Berlin\udfff",
  "\ude00Fintech",
  "Fintech\u0000 in Berlin",
  "\u001b[2J\u001b[31mFintech in Berlin\u001b[0m",
  "Fintech\u007f in Berlin",
  "Fintech\u0085\u009b in Berlin",
  "Fintech in \u202eniltreB",
  "Fintech \u2067in Berlin\u2069",
];
const leadsCase = validLeads.chain((v) =>
  fc.oneof(
    fc
      .oneof(
        fc.integer({ max: 0 }),
        fc.integer({ min: 101 }),
        fc.constant(2.5),
        wrongType,
        fc.string({ maxLength: 4 }),
      )
      .map((x) => ({ body: { ...v, num_leads: x }, field: "num_leads" })),
    fc
      .oneof(fc.constantFrom("", "   "), fc.constant("x".repeat(2001)), wrongType, fc.integer())
      .map((x) => ({ body: { ...v, business_desc: x }, field: "business_desc" })),
    unsafeDesc(v).map((x) => ({
      body: { ...v, business_desc: x },
      field: "business_desc",
      unsafeText: true,
    })),
    fc.constantFrom("num_leads", "business_desc").map((k) => {
      const body = { ...v };
      delete body[k];
      return { body, field: k };
    }),
    fc
      .stringMatching(/^[a-z_]{1,10}$/)
      .filter((k) => k !== "num_leads" && k !== "business_desc")
      .map((k) => ({ body: { ...v, [k]: 1 }, field: k })),
    fc
      .oneof(fc.jsonValue().filter((j) => j === null || typeof j !== "object" || Array.isArray(j)))
      .map((j) => ({ body: j, field: null })),
    fc.string({ maxLength: 30 }).map((s) => ({ raw: `{${s}`, field: null })),
    validLeads.map((b) => ({ body: b, contentType: "text/plain", field: "Content-Type" })),
  ),
);
const validSignIn = fc.record({
  hotkey: fc.constant(HOTKEY),
  role: fc.constantFrom("validator", "miner"),
  nonce: fc.stringMatching(/^[A-Za-z0-9_-]{16,40}$/),
  issued_at: fc.constant(Date.now()),
  signature: fc.stringMatching(/^[0-9a-f]{128}$/).map((h) => `0x${h}`),
});
const signInCase = validSignIn.chain((v) =>
  fc.oneof(
    fc
      .oneof(fc.string({ maxLength: 39 }), fc.constant("0OIl" + HOTKEY.slice(4)), wrongType)
      .map((x) => ({ body: { ...v, hotkey: x }, field: "hotkey" })),
    fc
      .oneof(fc.constantFrom("admin", "Validator", ""), wrongType)
      .map((x) => ({ body: { ...v, role: x }, field: "role" })),
    fc
      .oneof(fc.string({ maxLength: 15 }), fc.constant("bad nonce with spaces"), wrongType)
      .map((x) => ({ body: { ...v, nonce: x }, field: "nonce" })),
    fc
      .oneof(fc.integer({ max: 0 }), fc.constant(1.5), wrongType, fc.string({ maxLength: 5 }))
      .map((x) => ({ body: { ...v, issued_at: x }, field: "issued_at" })),
    fc
      .oneof(fc.constant("0x" + "g".repeat(128)), fc.constant("0x12"), wrongType)
      .map((x) => ({ body: { ...v, signature: x }, field: "signature" })),
    fc.constantFrom("hotkey", "role", "nonce", "issued_at", "signature").map((k) => {
      const body = { ...v };
      delete body[k];
      return { body, field: k };
    }),
    // Well-shaped but forged: the signature does not verify (401), still nothing written.
    fc.constant({ body: v, field: null }),
    fc.string({ maxLength: 30 }).map((s) => ({ raw: `[${s}`, field: null })),
  ),
);

async function snapshotAll() {
  const out = new Map();
  for (const col of await db.listCollections()) {
    for (const d of (await col.get()).docs) out.set(`${col.id}/${d.id}`, d.updateTime.toMillis());
  }
  return out;
}

async function send(path, c, key) {
  const headers = { "Content-Type": c.contentType ?? "application/json" };
  if (key !== undefined) headers.Authorization = key;
  const res = await fetch(`${API}${path}`, {
    method: c.method ?? "POST",
    headers,
    body: c.method === "GET" ? undefined : (c.raw ?? JSON.stringify(c.body)),
  });
  const json = await res.json().catch(() => null);
  return { status: res.status, json };
}

export async function runMalformed({ perKind = 400, seed = 11 } = {}) {
  const { key } = await createApiKey("bench-malformed", "reliability bench");
  const before = await snapshotAll();
  const cases = [
    ...fc
      .sample(leadsCase, { numRuns: perKind, seed })
      .map((c) => ({ ...c, path: "/leads", key: `Bearer ${key}` })),
    ...fc
      .sample(signInCase, { numRuns: perKind, seed })
      .map((c) => ({ ...c, path: "/auth/sign-in" })),
    ...UNSAFE_DESCS.map((business_desc) => ({
      body: { num_leads: 3, business_desc },
      field: "business_desc",
      unsafeText: true,
      path: "/leads",
      key: `Bearer ${key}`,
    })),
    ...fc.sample(validLeads, { numRuns: Math.ceil(perKind / 3), seed }).map((body, i) => ({
      body,
      path: "/leads",
      key: [undefined, "Bearer nope", "Basic x", `Bearer ${key}x`][i % 4],
      field: null,
    })),
    ...fc
      .sample(fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent), {
        numRuns: Math.ceil(perKind / 3),
        seed,
      })
      .map((id) => ({
        method: "GET",
        path: `/leads/status/${id}`,
        key: `Bearer ${key}`,
        field: null,
      })),
  ];
  const tally = {
    tried: cases.length,
    s5xx: 0,
    s2xx: 0,
    badEnvelope: 0,
    fieldNotNamed: 0,
    byRoute: {},
    // Lone surrogates, control characters, bidi overrides: each must be a 400 naming the field.
    unsafeText: { tried: 0, s5xx: 0, not400: 0 },
  };
  let next = 0;
  async function worker() {
    while (next < cases.length) {
      const c = cases[next++];
      const r = await send(c.path, c, c.key);
      const route = c.path.startsWith("/leads/status") ? "GET /leads/status" : `POST ${c.path}`;
      tally.byRoute[route] = (tally.byRoute[route] ?? 0) + 1;
      if (c.unsafeText) {
        tally.unsafeText.tried++;
        if (r.status >= 500) tally.unsafeText.s5xx++;
        if (r.status !== 400) tally.unsafeText.not400++;
      }
      if (r.status >= 500) tally.s5xx++;
      else if (r.status < 400) tally.s2xx++;
      if (r.status >= 400 && !(r.json?.error?.code && r.json?.error?.message)) tally.badEnvelope++;
      if (c.field && r.status === 400) {
        const named = JSON.stringify(r.json?.error?.details ?? {}) + (r.json?.error?.message ?? "");
        if (!named.includes(c.field)) tally.fieldNotNamed++;
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  const after = await snapshotAll();
  let written = 0;
  for (const [k, t] of after) if (before.get(k) !== t) written++;
  for (const k of before.keys()) if (!after.has(k)) written++;
  tally.docsWritten = written;
  return tally;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runMalformed(), null, 1));
  process.exit(0);
}
