// Plug-ins as JavaScript modules (--curator, --ranker): a file that exports the SDK's interface,
// `curate(request)` or `rank(request, leads)`, itself or as its default export. Loaded once at
// start-up, so a wrong path or a missing function stops the node before it signs in.
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { Curator } from "../leads/curator";
import type { Ranker } from "../leads/ranker";

type Loaded = Record<string, unknown> | undefined;

function load(file: string, flag: string): Loaded {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new Error(`${flag} ${file}: no such file`);
  try {
    // require() loads CommonJS and, from Node 20.19 and 22.12, ES modules without top-level await.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known at run time
    return require(resolved) as Loaded;
  } catch (err) {
    throw new Error(`${flag} ${file}: cannot load: ${(err as Error).message.split("\n")[0]}`);
  }
}

/** The object that has `method`: the module itself or its default export. */
function implementation<T>(loaded: Loaded, method: string, flag: string, file: string): T {
  for (const candidate of [loaded, loaded?.default as Loaded]) {
    if (candidate && typeof candidate[method] === "function") return candidate as T;
  }
  throw new Error(
    `${flag} ${file}: exports no ${method}() function (export it, or a default object with it)`,
  );
}

export function loadCuratorModule(file: string): Curator {
  const impl = implementation<Curator>(load(file, "--curator"), "curate", "--curator", file);
  return { curate: (request) => impl.curate(request) };
}

export function loadRankerModule(file: string): Ranker {
  const impl = implementation<Ranker>(load(file, "--ranker"), "rank", "--ranker", file);
  return { rank: (request, leads) => impl.rank(request, leads) };
}
