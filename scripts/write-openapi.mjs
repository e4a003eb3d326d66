// Writes docs/openapi.json from the built backend (`npm run openapi` builds first). The unit test
// functions/test/unit/http/openapi.test.ts fails while the committed copy differs.
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { openApiDocument } = createRequire(import.meta.url)(
  join(root, "functions", "lib", "http", "openapi.js"),
);
writeFileSync(
  join(root, "docs", "openapi.json"),
  `${JSON.stringify(openApiDocument(), null, 2)}\n`,
);
console.log("wrote docs/openapi.json");
