// Plug-ins behind HTTP (--curator-url, --ranker-url): one JSON POST per request, so a miner's
// existing Python (or any) code can answer from a small server. The call is aborted at the
// timeout, its answer read up to a size limit, then parsed with the contract's schemas; every
// failure is a PluginError the guard logs. docs/run-a-node.md documents the contract.
import type { Lead } from "consensus-core";
import type { ZodType } from "zod";
import type { Curator, CurateRequest } from "../leads/curator";
import type { RankedLeadResult, Ranker, RankRequest } from "../leads/ranker";
import {
  CuratorReplySchema,
  RankerReplySchema,
  type CuratorCall,
  type RankerCall,
} from "./contract";
import { MAX_PLUGIN_RESPONSE_BYTES, PluginError } from "./limits";
import { TimeoutError, type ApiError } from "consensus-client";
import { fetchWithTimeout } from "consensus-client";

export interface HttpPluginOptions {
  url: string;
  /** The node's hotkey, sent with each call. */
  hotkey: string;
  /** Aborts the call; the guard's timeout is the bound, this one frees the socket too. */
  timeoutMs: number;
  maxResponseBytes?: number;
}

async function readBounded(res: Response, max: number): Promise<string> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) {
    throw new PluginError(`answer of ${declared} bytes is over the ${max}-byte limit`);
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      throw new PluginError(`answer is over the ${max}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** POSTs `body` as JSON and returns the answer parsed by `schema`; throws PluginError. */
export async function postPlugin<T>(
  options: HttpPluginOptions,
  body: unknown,
  schema: ZodType<T>,
): Promise<T> {
  const max = options.maxResponseBytes ?? MAX_PLUGIN_RESPONSE_BYTES;
  let text: string;
  try {
    const { response, body: answer } = await fetchWithTimeout(
      options.url,
      {
        timeoutMs: options.timeoutMs,
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
        redirect: "error",
      },
      (res) => readBounded(res, max),
    );
    if (!response.ok) throw new PluginError(`HTTP ${response.status} from ${options.url}`);
    text = answer;
  } catch (err) {
    if (err instanceof PluginError) throw err;
    if (err instanceof TimeoutError) throw new PluginError(err.message);
    const cause = (err as ApiError).details as { cause?: string } | null | undefined;
    throw new PluginError(`cannot reach ${options.url}${cause?.cause ? ` (${cause.cause})` : ""}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PluginError(`answer from ${options.url} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path.length > 0 ? issue.path.join(".") : "(body)";
    throw new PluginError(`invalid answer: ${at}: ${issue.message}`);
  }
  return parsed.data;
}

/** A curator that asks an HTTP service: POST CuratorCall, answer {"leads": [...]}. */
export class HttpCurator implements Curator {
  constructor(private readonly options: HttpPluginOptions) {}

  async curate(request: CurateRequest): Promise<Lead[]> {
    const call: CuratorCall = { ...pick(request), hotkey: this.options.hotkey };
    return (await postPlugin(this.options, call, CuratorReplySchema)).leads;
  }
}

/** A ranker that asks an HTTP service: POST RankerCall, answer {"scores": [...]} in lead order. */
export class HttpRanker implements Ranker {
  constructor(private readonly options: HttpPluginOptions) {}

  async rank(request: RankRequest, leads: Lead[]): Promise<RankedLeadResult[]> {
    const call: RankerCall = { ...pick(request), hotkey: this.options.hotkey, leads };
    const { scores } = await postPlugin(this.options, call, RankerReplySchema);
    if (scores.length !== leads.length) {
      throw new PluginError(`invalid answer: scores: ${scores.length} for ${leads.length} leads`);
    }
    // The guard recomputes the ranks from the scores; these are placeholders.
    return leads.map((lead, i) => ({ lead, score: scores[i], rank: i + 1 }));
  }
}

const pick = (r: RankRequest): RankRequest => ({
  request_id: r.request_id,
  business_desc: r.business_desc,
  num_leads: r.num_leads,
});
