// Operators' own lead sources and scoring, without forking: a module or an HTTP service behind
// the SDK's Curator and Ranker interfaces, always wrapped by the guard (guard.ts).
import type { Curator } from "../leads/curator";
import type { Ranker } from "../leads/ranker";
import type { Logger } from "../runtime/log";
import { CheckedCurator, CheckedRanker } from "./guard";
import { HttpCurator, HttpRanker } from "./http";
import { DEFAULT_PLUGIN_TIMEOUT_MS } from "./limits";
import { loadCuratorModule, loadRankerModule } from "./module";

export * from "./contract";
export * from "./guard";
export * from "./http";
export * from "./limits";
export * from "./module";

/** Where a plug-in lives: a module file or an HTTP endpoint. */
export type PluginSpec = { module: string; url?: undefined } | { url: string; module?: undefined };

export interface PluginContext {
  /** The node's SS58 hotkey, sent to HTTP plug-ins. */
  hotkey: string;
  log: Logger;
  timeoutMs?: number | undefined;
}

const nameOf = (spec: PluginSpec) => spec.module ?? spec.url;

/** The guarded curator a spec names; throws (before the node starts) when a module is unusable. */
export function createCurator(spec: PluginSpec, context: PluginContext): Curator {
  const timeoutMs = context.timeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS;
  const inner =
    spec.module !== undefined
      ? loadCuratorModule(spec.module)
      : new HttpCurator({ url: spec.url, hotkey: context.hotkey, timeoutMs });
  return new CheckedCurator(inner, { name: nameOf(spec), timeoutMs, log: context.log });
}

/** The guarded ranker a spec names; throws (before the node starts) when a module is unusable. */
export function createRanker(spec: PluginSpec, context: PluginContext): Ranker {
  const timeoutMs = context.timeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS;
  const inner =
    spec.module !== undefined
      ? loadRankerModule(spec.module)
      : new HttpRanker({ url: spec.url, hotkey: context.hotkey, timeoutMs });
  return new CheckedRanker(inner, { name: nameOf(spec), timeoutMs, log: context.log });
}
