// `npm run simulate`: how much trust a coalition needs to push a junk lead into the top N, or to
// bury the best lead, under each consensus mode. Pure (the compiled core only), seeded, no emulator.
// bench/run.mjs calls runSimulation() so its table lands in BENCHMARKS.md.
import { fileURLToPath } from "node:url";
import { fmt, frequire, rng } from "./lib.mjs";

const { calculateConsensusRanking, clampUnit, DEFAULT_KAPPA } = frequire("consensus-core");

export const SIMULATION = {
  requests: 200, // random requests per coalition share
  honestValidators: 8,
  coalitionValidators: 3,
  leads: 20, // honest leads, plus one junk lead
  topN: 5,
  noise: 0.1, // s.d. of an honest validator's score around the lead's true quality
  kappa: DEFAULT_KAPPA,
  seed: 20261127,
};

function normal(rand) {
  // Box-Muller; 1 - u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

const JUNK = "junk@spam.example";

/**
 * One random request: true lead qualities, honest validators' noisy scores and relative trusts.
 * Coalition trust is applied later so every share is tested on the same honest behaviour.
 */
function makeRequest(rand, cfg) {
  const leads = Array.from({ length: cfg.leads }, (_, i) => ({
    email: `lead${i}@acme.example`,
    quality: rand(),
  }));
  leads.push({ email: JUNK, quality: 0 });
  const best = leads.reduce((a, b) => (b.quality > a.quality ? b : a)).email;
  const honest = Array.from({ length: cfg.honestValidators }, (_, v) => ({
    hotkey: `honest-${v}`,
    weight: 0.5 + rand(),
    scores: leads.map((l) => ({
      email: l.email,
      score: clampUnit(l.quality + cfg.noise * normal(rand)),
    })),
  }));
  const coalitionWeights = Array.from({ length: cfg.coalitionValidators }, () => 0.5 + rand());
  return { leads, best, honest, coalitionWeights };
}

/** The coalition's ranking for each attack: push the junk lead, or bury the best one. */
function coalitionScores(req, attack) {
  return req.leads.map((l) => ({
    email: l.email,
    score: attack === "push" ? (l.email === JUNK ? 1 : 0) : l.email === req.best ? 0 : 1,
  }));
}

function rankOf(req, share, attack, mode, cfg) {
  const hSum = req.honest.reduce((a, h) => a + h.weight, 0);
  const cSum = req.coalitionWeights.reduce((a, b) => a + b, 0);
  const rankings = req.honest.map((h) => ({
    validator_hotkey: h.hotkey,
    trust: (h.weight / hSum) * (1 - share),
    ranked_leads: h.scores.map((s) => ({ lead: { email: s.email }, score: s.score })),
  }));
  const attackScores = coalitionScores(req, attack);
  req.coalitionWeights.forEach((w, c) =>
    rankings.push({
      validator_hotkey: `coalition-${c}`,
      trust: (w / cSum) * share,
      ranked_leads: attackScores.map((s) => ({ lead: { email: s.email }, score: s.score })),
    }),
  );
  const eligibleLeads = new Map(req.leads.map((l) => [l.email, { business: "B", email: l.email }]));
  const result = calculateConsensusRanking({
    numLeads: req.leads.length,
    rankings,
    eligibleLeads,
    mode,
    kappa: cfg.kappa,
  });
  const target = attack === "push" ? JUNK : req.best;
  return result.leads.findIndex((l) => l.email === target) + 1;
}

const MODES = ["weighted", "clipped"];
const TABLE_SHARES = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];

/**
 * The table: every share 0.0..0.7 (step 0.1) × attack × mode over the same seeded requests. Then,
 * per mode, the smallest share on a 0.01 grid at which the junk lead reaches the top N (in any
 * request, and in half of them), scanning upwards and stopping once both are found.
 */
export function runSimulation(overrides = {}) {
  const cfg = { ...SIMULATION, ...overrides };
  const rand = rng(cfg.seed);
  const requests = Array.from({ length: cfg.requests }, () => makeRequest(rand, cfg));
  const started = performance.now();
  let consensusRuns = 0;
  const ranks = (share, attack, mode) => {
    consensusRuns += requests.length;
    return requests.map((r) => rankOf(r, share, attack, mode, cfg));
  };
  const inTopN = (rs) => rs.filter((k) => k <= cfg.topN).length / rs.length;

  const points = TABLE_SHARES.map((share) => {
    const point = { share };
    for (const mode of MODES) {
      const push = ranks(share, "push", mode);
      const bury = ranks(share, "bury", mode);
      point[mode] = {
        junkBestRank: Math.min(...push),
        junkInTopN: inTopN(push),
        buriedWorstRank: Math.max(...bury),
        buriedOutOfTopN: bury.filter((k) => k > cfg.topN).length / bury.length,
      };
    }
    return point;
  });

  const summary = {};
  for (const mode of MODES) {
    summary[mode] = { anyRequest: null, halfOfRequests: null };
    for (let step = 0; step <= 70 && summary[mode].halfOfRequests === null; step++) {
      const share = step / 100;
      const fraction = inTopN(ranks(share, "push", mode));
      if (fraction > 0 && summary[mode].anyRequest === null) summary[mode].anyRequest = share;
      if (fraction >= 0.5) summary[mode].halfOfRequests = share;
    }
  }
  return { cfg, points, summary, ms: performance.now() - started, consensusRuns };
}

const pct = (x) => `${fmt(x * 100, 1)}%`;
const shareText = (x) => (x === null ? "> 0.70" : fmt(x, 2));

/** The table for BENCHMARKS.md and the terminal: shares 0.0..0.7 in steps of 0.1. */
export function simulationMarkdown(sim) {
  const { cfg } = sim;
  const header = [
    "coalition trust share",
    "junk best rank (weighted)",
    "junk in top N (weighted)",
    "junk best rank (clipped)",
    "junk in top N (clipped)",
    "best lead worst rank (weighted)",
    "best out of top N (weighted)",
    "best lead worst rank (clipped)",
    "best out of top N (clipped)",
  ];
  const rows = sim.points.map((p) => [
    fmt(p.share, 1),
    p.weighted.junkBestRank,
    pct(p.weighted.junkInTopN),
    p.clipped.junkBestRank,
    pct(p.clipped.junkInTopN),
    p.weighted.buriedWorstRank,
    pct(p.weighted.buriedOutOfTopN),
    p.clipped.buriedWorstRank,
    pct(p.clipped.buriedOutOfTopN),
  ]);
  const table = [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
  const s = sim.summary;
  return `${table}

**Trust share a coalition needs to put the junk lead into the top ${cfg.topN}** (0.01 steps; in at least
one request / in half of the requests): weighted (seed formula) **${shareText(s.weighted.anyRequest)}** /
${shareText(s.weighted.halfOfRequests)}; clipped (κ = ${cfg.kappa}) **${shareText(s.clipped.anyRequest)}** /
${shareText(s.clipped.halfOfRequests)}.

Set-up: ${cfg.requests} seeded random requests per share (the same requests for every share and
mode), ${cfg.leads} honest leads of true quality uniform on [0, 1] plus one junk lead of quality 0,
${cfg.honestValidators} honest validators scoring every lead at its quality + N(0, ${cfg.noise}) (clipped to
[0, 1]) with random relative trust (uniform 0.5–1.5), ${cfg.coalitionValidators} coalition validators sharing
the coalition's trust share. Push attack: the coalition scores the junk lead 1 and every other lead
0. Bury attack: it scores the best lead (highest true quality) 0 and every other lead 1. Rank 1 is
the top; "best rank" is the best over all requests, "worst rank" the worst. ${fmt(sim.consensusRuns, 0)}
consensus computations in ${fmt(sim.ms / 1000, 1)} s.`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sim = runSimulation();
  console.log(simulationMarkdown(sim));
}
