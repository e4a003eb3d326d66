// Stored documents for the console's unit tests, built the only way these tests may build them:
// through core's schemas (core/src/documents.ts), the same ones the backend's collections and the
// nodes parse with. Each builder starts from the fields the backend writes (a request as
// prepareLeadRequest creates it, a result as finalisation writes it, ...), applies the test's
// changes and parses the whole: a fixture with a field no schema declares, or without one the
// backend always writes, fails here. What comes back is wrapped so that reading a field-like key
// the schema does not declare throws: the console cannot read a field nothing writes.
import { z } from "zod";
import { CONSENSUS_HOTKEY } from "../../../core/src/consensus";
import { STORED, type Stored } from "../../../core/src/documents";
import { LIVENESS } from "../../src/model";

/** A stored timestamp as the Web SDK hands it over (core reads anything with toMillis()). */
export const ts = (ms: number) => ({ toMillis: () => ms, toDate: () => new Date(ms) });

export const REQUEST_ID = "8a1e6a52-3c1f-4f43-9d55-2d61f0a8b7c3";

/** Field-like names (snake_case, as every stored field is) are checked; jest's own probes are not. */
const FIELD_LIKE = /^[a-z][a-z0-9_]*$/;
const NOT_FIELDS = new Set(["then", "constructor", "length"]);

export class UndeclaredFieldRead extends Error {}

/**
 * `value` (already parsed by `schema`) with every object the schema declares as a z.object wrapped
 * in a Proxy that throws on a read of a key the object's schema does not declare.
 */
export function guarded<T>(schema: z.ZodType, value: T, at: string): T {
  if (value === null || value === undefined) return value;
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    return guarded(schema.unwrap() as z.ZodType, value, at);
  }
  if (schema instanceof z.ZodArray && Array.isArray(value)) {
    return value.map((v, i) => guarded(schema.element as z.ZodType, v, `${at}[${i}]`)) as T;
  }
  if (schema instanceof z.ZodRecord && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        guarded(schema.valueType as z.ZodType, v, `${at}.${k}`),
      ]),
    ) as T;
  }
  if (schema instanceof z.ZodObject && typeof value === "object") {
    const shape = schema.shape as Record<string, z.ZodType>;
    const inner = Object.fromEntries(
      Object.entries(value as object).map(([k, v]) => [k, guarded(shape[k], v, `${at}.${k}`)]),
    );
    return new Proxy(inner, {
      get(target, key, receiver) {
        if (typeof key === "string" && FIELD_LIKE.test(key) && !NOT_FIELDS.has(key)) {
          if (!Object.hasOwn(shape, key)) {
            throw new UndeclaredFieldRead(
              `the console read ${at}.${key}, which no schema in core/src/documents.ts declares`,
            );
          }
        }
        return Reflect.get(target, key, receiver);
      },
    }) as T;
  }
  return value;
}

/** Keys of `value` (at any depth) that `schema` does not declare: the parse would drop them. */
function extraKeys(schema: z.ZodType, value: unknown, at: string): string[] {
  if (value === null || typeof value !== "object") return [];
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    return extraKeys(schema.unwrap() as z.ZodType, value, at);
  }
  if (schema instanceof z.ZodArray && Array.isArray(value)) {
    return value.flatMap((v, i) => extraKeys(schema.element as z.ZodType, v, `${at}[${i}]`));
  }
  if (schema instanceof z.ZodRecord) {
    return Object.entries(value).flatMap(([k, v]) =>
      extraKeys(schema.valueType as z.ZodType, v, `${at}.${k}`),
    );
  }
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodType>;
    return Object.entries(value).flatMap(([k, v]) =>
      Object.hasOwn(shape, k) ? extraKeys(shape[k], v, `${at}.${k}`) : [`${at}.${k}`],
    );
  }
  return [];
}

/** Parses `doc` as a stored `kind` (refusing keys no schema declares) and guards it (see above). */
export function stored<K extends keyof typeof STORED>(kind: K, doc: unknown): Stored[K] {
  const extra = extraKeys(STORED[kind], doc, kind);
  if (extra.length) throw new Error(`fixture fields no schema declares: ${extra.join(", ")}`);
  return guarded(STORED[kind], STORED[kind].parse(doc), kind) as Stored[K];
}

type Result = NonNullable<Stored["request"]["result"]>;

/** A request as the backend creates it (prepareLeadRequest), then changed by `over`. */
export function requestDoc(over: Partial<Stored["request"]> = {}): Stored["request"] {
  const validators = over.expected_validators ?? ["A"];
  const created = over.created_at ?? ts(0);
  const at = created.toMillis();
  return stored("request", {
    request_id: REQUEST_ID,
    num_leads: 3,
    business_desc: "B2B SaaS companies in Berlin",
    client_id: "test-client",
    created_at: created,
    status: "pending",
    timeout: ts(at + 300_000),
    validator_deadline: ts(at + 90_000),
    expected_validators: validators,
    expected_count: validators.length,
    min_validators: validators.length,
    consensus: { mode: "weighted", kappa: 0.5 },
    result: null,
    failure_reason: null,
    finalized_at: null,
    expected_miners: [],
    expected_trust: Object.fromEntries(validators.map((v) => [v, 0.5])),
    expected_uids: Object.fromEntries(validators.map((v, i) => [v, i])),
    early_close: { share: 1, grace_ms: 0 },
    close_at: null,
    liveness: { window_ms: LIVENESS.deadAfterMs, period_ms: 15_000 },
    ...over,
  });
}

/** A result as finalisation writes it, changed by `over`. */
export function resultOf(over: Partial<Result> = {}): Result {
  return {
    leads: [],
    participants: [],
    timed_out: [],
    miners: [],
    consensus_mode: "weighted",
    kappa: 0.5,
    trust_used: {},
    equal_weights: false,
    finalized_by: "quorum",
    registry_block: null,
    ...over,
  };
}

/** One lead of a result (consensus fields as core's consensus computes them). */
export function consensusLead(email: string, rank: number): Result["leads"][number] {
  return {
    business: "Acme GmbH",
    email,
    c_validator_hotkey: CONSENSUS_HOTKEY,
    consensus_score: 0.9,
    normalized_score: 1 / rank,
    num_validators: 1,
    rank,
  };
}

/** A registry entry as a sync writes it and the node's heartbeat keeps fresh. */
export function registryDoc(over: Partial<Stored["registry"]> = {}): Stored["registry"] {
  return stored("registry", {
    hotkey: "HK",
    uid: 0,
    role: "validator",
    validator_trust: 0,
    stake: 1000,
    validator_permit: true,
    is_serving: true,
    last_seen: ts(0),
    block: 1,
    ...over,
  });
}

/** consensus_metrics as finalisation writes it (functions/src/lifecycle/metrics.ts). */
export function metricsDoc(over: Partial<Stored["metrics"]> = {}): Stored["metrics"] {
  return stored("metrics", {
    request_id: REQUEST_ID,
    finalized_at: ts(0),
    finalized_by: "quorum",
    validators_expected: 1,
    validators_participated: 1,
    validators_timed_out: 0,
    participants: [],
    timed_out: [],
    trust_distribution: { by_validator: {}, equal_weights: false, min: 0, max: 0, total: 0 },
    avg_response_ms: null,
    miners_counted: 1,
    consensus_mode: "weighted",
    kappa: 0.5,
    agreement: {},
    candidate_leads: 1,
    ineligible_votes: 0,
    top_leads: [],
    ...over,
  });
}
