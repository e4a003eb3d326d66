// Splits the generated and hand-written descriptions ONCE into a development part and a frozen
// test part, by a hash of each description's text (so the split depends on nothing but the words),
// and writes both as JSON under bench/fit/split/. Run once before any parser change; the output is
// committed and the test part is pinned by node/test/unit/leads/eval-split.test.ts. Re-running it
// is only ever a check: it must reproduce the committed files.
//
//   node bench/fit/split.mjs          # prints the counts and the test part's SHA-256
//   node bench/fit/split.mjs --write  # writes split/dev.json and split/test.json
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generate } from "./generator.mjs";
import { HAND_WRITTEN } from "./hand-written.mjs";
import { canonical, sha256 } from "./canonical.mjs";

const here = dirname(fileURLToPath(import.meta.url));
/** Share of descriptions in the frozen test part. */
const TEST_SHARE = 0.4;

export function isTest(desc) {
  const h = sha256(`issue24-split:${desc}`);
  return parseInt(h.slice(0, 8), 16) / 2 ** 32 < TEST_SHARE;
}

export function buildSplit() {
  const pool = JSON.parse(readFileSync(join(here, "../../node/data/lead-pool.json"), "utf8"));
  const all = [
    ...generate(pool, { seed: 24, count: 260 }),
    ...HAND_WRITTEN.map((d) => ({ ...d, source: "hand-written" })),
  ];
  return {
    dev: all.filter((d) => !isTest(d.desc)),
    test: all.filter((d) => isTest(d.desc)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { dev, test } = buildSplit();
  const count = (xs, s) => xs.filter((d) => d.source === s).length;
  console.log(
    `dev ${dev.length} (${count(dev, "generated")} generated, ${count(dev, "hand-written")} hand-written); ` +
      `test ${test.length} (${count(test, "generated")} generated, ${count(test, "hand-written")} hand-written)`,
  );
  console.log(`test sha256 ${sha256(canonical(test))}`);
  if (process.argv.includes("--write")) {
    writeFileSync(join(here, "split/dev.json"), `${JSON.stringify(dev, null, 2)}\n`);
    writeFileSync(join(here, "split/test.json"), `${JSON.stringify(test, null, 2)}\n`);
  }
}
