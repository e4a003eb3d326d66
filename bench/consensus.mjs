// Step 1: calculateConsensusRanking cost vs a plain score*trust summing loop over the same numbers.
import { performance } from "node:perf_hooks";
import { frequire, median } from "./lib.mjs";

const { calculateConsensusRanking } = frequire("consensus-core");

function makeInput(V, L) {
  const eligible = new Map();
  const leads = [];
  for (let i = 0; i < L; i++) {
    const lead = {
      business: `Company ${i}`,
      email: `Owner${i}@Company${i}.io `,
      full_name: `Owner ${i}`,
      role: "Founder",
      industry: "Software",
      sub_industry: "SaaS",
      region: "US",
    };
    leads.push(lead);
    eligible.set(lead.email.trim().toLowerCase(), lead);
  }
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rankings = [];
  for (let v = 0; v < V; v++) {
    rankings.push({
      validator_hotkey: `5Validator${String(v).padStart(4, "0")}`,
      trust: rnd(),
      ranked_leads: leads.map((lead) => ({ lead, score: rnd() })),
    });
  }
  return { numLeads: Math.min(L, 100), rankings, eligibleLeads: eligible };
}

function baseline(input) {
  let sum = 0;
  for (const r of input.rankings) {
    const t = r.trust;
    const rl = r.ranked_leads;
    for (let i = 0; i < rl.length; i++) sum += rl[i].score * t;
  }
  return sum;
}

let sink = 0;
/** Median time per call; each sample runs `inner` calls so a sample lasts >= ~0.5 ms (timer noise). */
function timeIt(fn, arg, budgetMs, minReps = 7, maxReps = 500) {
  const keep = (r) => (sink += typeof r === "number" ? r : r.leads.length);
  let inner = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) keep(fn(arg));
    if (performance.now() - t0 >= 0.5 || inner >= 1 << 20) break;
    inner *= 2;
  }
  const samples = [];
  const start = performance.now();
  while (
    samples.length < minReps ||
    (performance.now() - start < budgetMs && samples.length < maxReps)
  ) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) keep(fn(arg));
    samples.push((performance.now() - t0) / inner);
  }
  return { median: median(samples), n: samples.length * inner };
}

export function runConsensusBench({
  Vs = [1, 8, 64, 256],
  Ls = [10, 100, 1000],
  budgetMs = 600,
} = {}) {
  const rows = [];
  for (const V of Vs) {
    for (const L of Ls) {
      const input = makeInput(V, L);
      // Side by side: alternate the two measurements twice and keep the per-kind median of medians.
      const c1 = timeIt(calculateConsensusRanking, input, budgetMs / 2);
      const b1 = timeIt(baseline, input, budgetMs / 4);
      const c2 = timeIt(calculateConsensusRanking, input, budgetMs / 2);
      const b2 = timeIt(baseline, input, budgetMs / 4);
      const consensusMs = median([c1.median, c2.median]);
      const baselineMs = median([b1.median, b2.median]);
      rows.push({
        V,
        L,
        entries: V * L,
        consensusMs,
        baselineMs,
        ratio: consensusMs / baselineMs,
        nsPerEntry: (consensusMs * 1e6) / (V * L),
        baseNsPerEntry: (baselineMs * 1e6) / (V * L),
        reps: c1.n + c2.n,
      });
    }
  }
  return rows;
}

if (process.argv[1] && process.argv[1].endsWith("consensus.mjs")) {
  console.table(runConsensusBench({ budgetMs: Number(process.env.BUDGET ?? 600) }));
}
