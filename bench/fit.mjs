// Step 6: do the answers fit the request? For every description of the evaluation set
// (bench/fit/eval-set.mjs) it plays the full round in-process, no emulators needed: the reference
// miners curate from the shipped pool (each with its own seed, as real miners do), the reference
// validators rank everything submitted, and the core's calculateConsensusRanking picks the top N.
// Precision at N is measured against the best the pool allows: hits / min(N, fitting leads in the
// pool), so a request the pool cannot fill is not held against the nodes, while padding with
// misfits shows up as misfits returned.
//
// Three parts (issue 24): "kept", the hand-kept set the lexicon was shaped on (eval-set.mjs);
// "dev", the development part of the generated and hand-written descriptions plus examples added
// since (dev-extra.mjs); "test", the frozen test part (split/test.json, pinned by a hash in
// node/test/unit/leads/eval-split.test.ts), which no parser or lexicon change may be tuned to.
// Each part is reported alone and per construct, with misfits returned and requests declined while
// the pool had fits.
//
// Standalone: `npm run bench:fit` prints the summary and writes it to BENCHMARKS.md between the
// fit markers; `node bench/fit.mjs --misses dev` lists the development part's misses.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { EVAL_SET } from "./fit/eval-set.mjs";
import { DEV_EXTRA } from "./fit/dev-extra.mjs";
import { fitOf } from "./fit/gold.mjs";
import { fmt, frequire, root } from "./lib.mjs";

const readPart = (name) =>
  JSON.parse(readFileSync(join(root, "bench", "fit", "split", `${name}.json`), "utf8"));

/** Every description with its part, constructs and fit predicate. */
export function evaluationSet() {
  const fromGold = (part) => (d) => ({ ...d, part, fit: fitOf(d.gold) });
  return [
    ...EVAL_SET.map((d) => ({ ...d, part: "kept", constructs: ["kept"] })),
    ...readPart("dev").map(fromGold("dev")),
    ...DEV_EXTRA.map((d) => ({ ...d, source: "dev-extra" })).map(fromGold("dev")),
    ...readPart("test").map(fromGold("test")),
  ];
}

const { calculateConsensusRanking, eligibleLeadPool, leadKey } = frequire("consensus-core");
const nrequire = createRequire(join(root, "node", "package.json"));
const { HeuristicRanker, PoolCurator, loadLeadPool } = nrequire("./lib/leads/index.js");

/** The local subnet's shape (npm start): 2 miners, 3 validators that disagree a little. */
const MINERS = ["5MinerAlpha", "5MinerBravo"];
const VALIDATORS = [
  { hotkey: "5ValidatorA", trust: 0.5, bias: 0 },
  { hotkey: "5ValidatorB", trust: 0.3, bias: 0.05 },
  { hotkey: "5ValidatorC", trust: 0.2, bias: -0.05 },
];

async function round(pool, curators, rankers, desc, n) {
  const request = {
    request_id: "00000000-0000-4000-8000-000000000000",
    business_desc: desc,
    num_leads: n,
  };
  const submissions = [];
  for (const [i, curator] of curators.entries()) {
    const leads = await curator.curate(request);
    // An empty curation is a decline: nothing of that miner enters the round.
    if (leads.length > 0) submissions.push({ miner_hotkey: MINERS[i], leads });
  }
  if (submissions.length === 0) return [];
  const eligible = eligibleLeadPool(submissions);
  const gathered = [...eligible.values()];
  const rankings = [];
  for (const [i, ranker] of rankers.entries()) {
    const ranked = await ranker.rank(request, gathered);
    rankings.push({
      validator_hotkey: VALIDATORS[i].hotkey,
      trust: VALIDATORS[i].trust,
      ranked_leads: ranked,
    });
  }
  return calculateConsensusRanking({ numLeads: n, rankings, eligibleLeads: eligible }).leads;
}

export async function runFitBench() {
  const pool = loadLeadPool();
  const curators = MINERS.map((seed) => new PoolCurator(pool, { seed }));
  const rankers = VALIDATORS.map((v) => new HeuristicRanker({ bias: v.bias }));
  const rows = [];
  for (const { desc, n, fit, heldOut = false, part, constructs } of evaluationSet()) {
    const available = pool.filter(fit).length;
    const best = Math.min(n, available);
    const returned = await round(pool, curators, rankers, desc, n);
    const hits = returned.filter(fit).length;
    rows.push({
      desc,
      heldOut,
      part,
      constructs,
      n,
      available,
      best,
      returned: returned.length,
      hits,
      misfits: returned.length - hits,
      // Nothing fits and nothing came back: that is the best answer.
      precision: best === 0 ? (returned.length === 0 ? 1 : 0) : hits / best,
      keys: returned.map(leadKey),
    });
  }
  const summarise = (subset) => {
    const sum = (f) => subset.reduce((a, r) => a + f(r), 0);
    return {
      descriptions: subset.length,
      micro:
        sum((r) => r.hits) /
        Math.max(
          1,
          sum((r) => r.best),
        ),
      macro: sum((r) => r.precision) / Math.max(1, subset.length),
      hits: sum((r) => r.hits),
      best: sum((r) => r.best),
      returned: sum((r) => r.returned),
      misfits: sum((r) => r.misfits),
      declined: subset.filter((r) => r.returned === 0 && r.available > 0).length,
    };
  };
  const sum = (f) => rows.reduce((a, r) => a + f(r), 0);
  const overall = {
    descriptions: rows.length,
    micro:
      sum((r) => r.hits) /
      Math.max(
        1,
        sum((r) => r.best),
      ),
    macro: sum((r) => r.precision) / rows.length,
    hits: sum((r) => r.hits),
    best: sum((r) => r.best),
    returned: sum((r) => r.returned),
    misfits: sum((r) => r.misfits),
    unfillable: rows.filter((r) => r.available < r.n).length,
    heldOut: summarise(rows.filter((r) => r.heldOut)),
  };
  const parts = {};
  for (const part of ["kept", "dev", "test"]) {
    const subset = rows.filter((r) => r.part === part);
    const constructs = [...new Set(subset.flatMap((r) => r.constructs))].sort();
    parts[part] = {
      ...summarise(subset),
      constructs: Object.fromEntries(
        constructs.map((c) => [c, summarise(subset.filter((r) => r.constructs.includes(c)))]),
      ),
    };
  }
  overall.parts = parts;
  return { rows, overall };
}

/** Markdown table, one line per description. */
export function fitTable({ rows, overall }) {
  const lines = [
    "| description | N | fits in pool | best | returned | fitting | misfits | precision@N vs best |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.part === "kept" ? "" : `(${r.part}) `}${r.heldOut ? "(held out) " : ""}${r.desc.replace(/\|/g, "\\|")} | ${r.n} | ${r.available} | ${r.best} | ${r.returned} | ${r.hits} | ${r.misfits} | ${fmt(r.precision, 2)} |`,
    ),
    `| **overall (${overall.descriptions} descriptions)** | | | ${overall.best} | ${overall.returned} | ${overall.hits} | ${overall.misfits} | **${fmt(overall.micro, 3)}** (mean per description ${fmt(overall.macro, 3)}) |`,
    `| **held out only (${overall.heldOut.descriptions})** | | | ${overall.heldOut.best} | ${overall.heldOut.returned} | ${overall.heldOut.hits} | ${overall.heldOut.misfits} | **${fmt(overall.heldOut.micro, 3)}** |`,
  ];
  return lines.join("\n");
}

const PART_NAMES = {
  kept: "kept: the 70 hand-kept descriptions the lexicon was shaped on",
  dev: "development: generated + hand-written, and examples added since",
  test: "frozen test: never tuned to",
};

const line = (label, s) =>
  `| ${label} | ${s.descriptions} | ${s.best} | ${s.returned} | ${s.hits} | ${s.misfits} | ${s.declined} | **${fmt(s.micro, 3)}** | ${fmt(s.macro, 3)} |`;
const HEAD = [
  "| | descriptions | best the pool allows | returned | fitting | misfits returned | declined while the pool had fits | precision@N vs best | mean per description |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
];

/** Markdown: each part, then each part per construct. */
export function fitSummary({ overall }) {
  const out = [...HEAD];
  for (const [part, s] of Object.entries(overall.parts)) out.push(line(PART_NAMES[part], s));
  for (const part of ["test", "dev"]) {
    out.push(
      "",
      `Per construct, ${PART_NAMES[part]} (a description counts under each of its constructs):`,
      "",
      ...HEAD,
    );
    for (const [c, s] of Object.entries(overall.parts[part].constructs)) out.push(line(c, s));
  }
  return out.join("\n");
}

const START = "<!-- fit:start -->";
const END = "<!-- fit:end -->";

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runFitBench();
  const missesOf = process.argv[process.argv.indexOf("--misses") + 1];
  if (process.argv.includes("--misses")) {
    for (const r of result.rows.filter((r) => r.part === missesOf && r.precision < 1)) {
      console.log(
        `${fmt(r.precision, 2)} best ${r.best} returned ${r.returned} fitting ${r.hits} [${r.constructs.join(",")}] ${r.desc}`,
      );
    }
    process.exit(0);
  }
  const md = fitSummary(result);
  console.log(md);
  const section = `${START}\n## Leads that fit, by part and construct (\`npm run bench:fit\`)\n\n${md}\n${END}`;
  const file = join(root, "BENCHMARKS.md");
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  writeFileSync(
    file,
    text.includes(START)
      ? text.replace(new RegExp(`${START}[\\s\\S]*?${END}`), () => section)
      : `${text.trimEnd()}\n\n${section}\n`,
  );
}
