// The fallback when real nodes do not come up: validators and miners simulated inside the bench
// process, listening and signing with the same core helpers.
import { sleep } from "../lib.mjs";
import { core, db, FieldValue } from "./emulator.mjs";

export const simUnsubs = [];
export const simSeen = []; // { t, hotkey, requestId }
function lead(n, tag) {
  return {
    business: `Co ${tag}${n}`,
    email: `owner${n}@${tag}co${n}.io`,
    full_name: `Owner ${n}`,
    role: "Founder",
    industry: "Software",
    sub_industry: "SaaS",
    region: "US",
  };
}
export function startSim(validators, miners) {
  const handled = new Set();
  const unsub = db
    .collection(core.COLLECTIONS.requests)
    .where("status", "in", ["pending", "processing"])
    .onSnapshot((snap) => {
      const t = Date.now();
      for (const ch of snap.docChanges()) {
        if (ch.type !== "added") continue;
        const r = ch.doc.data();
        for (const n of [...validators, ...miners]) {
          const k = `${r.request_id}_${n.pair.address}`;
          if (handled.has(k)) continue;
          handled.add(k);
          simSeen.push({ t, hotkey: n.pair.address, requestId: r.request_id });
          (n.role === "miner" ? simMiner(n, r) : simValidator(n, r, miners.length)).catch((e) =>
            console.error("sim:", e.message),
          );
        }
      }
    });
  simUnsubs.push(unsub);
}
async function simMiner(m, r) {
  const leads = Array.from({ length: 5 }, (_, i) => lead(i, m.uid));
  const content = {
    request_id: r.request_id,
    miner_hotkey: m.pair.address,
    miner_uid: m.uid,
    leads,
    num_leads: leads.length,
  };
  const signature =
    "0x" + Buffer.from(m.pair.sign(core.submissionPayload(content))).toString("hex");
  await db
    .collection(core.COLLECTIONS.submissions)
    .doc(core.submissionDocId(r.request_id, m.pair.address))
    .create({ ...content, signature, submitted_at: FieldValue.serverTimestamp() });
}
async function simValidator(v, r, minerCount) {
  if (!r.expected_validators.includes(v.pair.address)) return;
  let subs = [];
  for (let i = 0; i < 50; i++) {
    subs = (
      await db
        .collection(core.COLLECTIONS.submissions)
        .where("request_id", "==", r.request_id)
        .get()
    ).docs.map((d) => d.data());
    if (subs.length >= minerCount) break;
    await sleep(100);
  }
  const leads = subs.flatMap((s) => s.leads);
  const content = {
    request_id: r.request_id,
    validator_hotkey: v.pair.address,
    validator_uid: v.uid,
    ranked_leads: leads.map((l, i) => ({
      lead_hash: core.leadHash(l),
      score: Math.round((1 - i / leads.length) * 1000) / 1000,
      rank: i + 1,
    })),
    num_leads_ranked: leads.length,
  };
  const signature = "0x" + Buffer.from(v.pair.sign(core.rankingPayload(content))).toString("hex");
  await db
    .collection(core.COLLECTIONS.rankings)
    .doc(core.rankingDocId(r.request_id, v.pair.address))
    .create({ ...content, signature, submitted_at: FieldValue.serverTimestamp() });
}
