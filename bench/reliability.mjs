// `npm run reliability` (also called by `npm run bench`): malformed inputs over HTTP, rules
// attacks and the randomized exactly-once harness, each in a child process (they use different emulator projects),
// printed as one table and written to BENCHMARKS.md between the reliability markers.
// Exit code 1 if any 5xx, written document, allowed attack, double or missing finalisation is found.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./lib.mjs";

const child = (file, env = {}) =>
  JSON.parse(
    execFileSync(process.execPath, [join(root, "bench", file)], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    })
      .toString()
      .split("\n")
      .filter((l) => !l.startsWith('{"event"'))
      .join("\n"),
  );

export function runReliability() {
  const malformed = child("malformed.mjs");
  const attacks = child("rules-attacks.mjs");
  const once = child("exactly-once.mjs", {
    RUNS: process.env.RELIABILITY_RUNS ?? "200",
    FAULT_RUNS: process.env.RELIABILITY_FAULT_RUNS ?? "100",
  });
  const rows = [
    [
      "malformed inputs (API + sign-in)",
      malformed.tried,
      `5xx ${malformed.s5xx}`,
      `docs written ${malformed.docsWritten}`,
      `2xx ${malformed.s2xx}; no envelope ${malformed.badEnvelope}; field not named ${malformed.fieldNotNamed}; ${Object.entries(
        malformed.byRoute,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    ],
    [
      "malformed text in business_desc (lone surrogates, control characters, bidi overrides)",
      malformed.unsafeText.tried,
      `5xx ${malformed.unsafeText.s5xx}`,
      `not 400 ${malformed.unsafeText.not400}`,
      "each class sent at least once, plus sampled code points at random positions; part of the row above",
    ],
    [
      `rules attacks (${attacks.callers} kinds of caller, plus the issue-20 probes)`,
      attacks.tried,
      `allowed ${attacks.allowed}`,
      "",
      attacks.allowed > 0 ? `allowed: ${attacks.examples.join("; ")}` : "every attempt refused",
    ],
    [
      "randomized exactly-once runs",
      once.runs,
      `double ${once.double}`,
      `missing ${once.missing}`,
      `${once.completed} completed, ${once.failed} failed; other oracle violations ${once.other}; handler errors ${once.handlerErrors}; ${(once.ms / 1000).toFixed(0)} s`,
    ],
    [
      "faults: finalisation instance killed before its commit",
      once.faults.injected,
      `lost ${once.faults.lost}`,
      `double ${once.faults.double}`,
      `${once.faults.runs} randomized runs with a kill armed; recovered by redelivery, task or sweep`,
    ],
  ];
  const md = [
    "| check | tried | must be 0 | must be 0 | note |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`),
  ].join("\n");
  const bad =
    malformed.s5xx +
    malformed.docsWritten +
    malformed.unsafeText.not400 +
    attacks.allowed +
    once.double +
    once.missing +
    once.other +
    once.faults.lost +
    once.faults.double;
  return { md, bad, malformed, attacks, once };
}

const START = "<!-- reliability:start -->";
const END = "<!-- reliability:end -->";
export function reliabilitySection(md) {
  return `${START}\n## Reliability (\`npm run reliability\`)\n\n${md}\n\nMalformed inputs: fast-check bodies with one broken field, non-JSON, wrong content type, bad keys, junk status ids, sent to the real \`api\` function; every collection compared before and after. Malformed text: business_desc with a lone UTF-16 surrogate, a C0 control other than tab/LF/CR, DEL, a C1 control or a bidi override/isolate must be a 400 naming the field. Rules attacks (\`bench/rules-attacks.mjs\`): a validator, a miner, a removed and a re-roled hotkey with still-valid tokens, a user without a role, a node claiming the operator flag, a granted operator (its forbidden reads and writes), a revoked operator whose old token still carries the claim (every console read) and a signed-out visitor each try every forbidden read (finished results, other nodes' documents, keys, limits, nonces, agreement) and write (status flips, trust, roles, forged or extra-field submissions and rankings, declines carrying leads) against the real rules. Exactly-once: random schedules of ranking creation (on time, after the deadline, after the timeout), 1-3 concurrent duplicate deliveries, sweeps and close-task runs (closeIfDue) at random simulated times, fault runs that kill a finalisation before its commit, then a drain sweep; checked: finalize_count, metrics records, never left open, completed whenever an in-time ranking came first, quorum when all validators were delivered before any deadline pass, result recomputable.\n${END}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = runReliability();
  console.log(r.md);
  const file = join(root, "BENCHMARKS.md");
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const section = reliabilitySection(r.md);
  const next = text.includes(START)
    ? text.replace(new RegExp(`${START}[\\s\\S]*?${END}`), section)
    : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
  if (r.bad > 0) {
    console.error(`reliability: FAIL ${JSON.stringify(r.once.examples)}`);
    process.exit(1);
  }
}
