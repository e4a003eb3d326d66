// Every Firestore query the console makes, declared once. Each is bounded (a limit, and a time
// window or a key) so no listener covers a whole collection; test/unit/queries.test.ts checks that
// firestore.indexes.json declares an index for each one.
import {
  collection,
  limit,
  orderBy,
  query,
  where,
  type Firestore,
  type Query,
  type WhereFilterOp,
} from "firebase/firestore";
import { COLLECTIONS } from "../../core/src/ids";

export interface QuerySpec {
  collection: string;
  where?: [field: string, op: WhereFilterOp, value: unknown][];
  orderBy?: [field: string, dir: "asc" | "desc"];
  limit: number;
}

export const PAGE_SIZE = 25;
export const MAX_PAGES = 20;
export const WINDOW_MS = 60 * 60 * 1000;

export const SPECS = {
  /** Rounds table: the newest requests, one more page per "older" click. */
  recentRequests: (pages: number): QuerySpec => ({
    collection: COLLECTIONS.requests,
    orderBy: ["created_at", "desc"],
    limit: PAGE_SIZE * Math.min(Math.max(1, pages), MAX_PAGES),
  }),
  /** Plots: requests created in the last hour. */
  windowRequests: (since: Date): QuerySpec => ({
    collection: COLLECTIONS.requests,
    where: [["created_at", ">=", since]],
    orderBy: ["created_at", "desc"],
    limit: 1000,
  }),
  /** Progress of open rounds and each validator's response time. */
  recentRankings: (): QuerySpec => ({
    collection: COLLECTIONS.rankings,
    orderBy: ["submitted_at", "desc"],
    limit: 300,
  }),
  recentSubmissions: (): QuerySpec => ({
    collection: COLLECTIONS.submissions,
    orderBy: ["submitted_at", "desc"],
    limit: 300,
  }),
  /** Miners' signed declines (nothing that fits), for open rounds' progress. */
  recentDeclines: (): QuerySpec => ({
    collection: COLLECTIONS.declines,
    orderBy: ["submitted_at", "desc"],
    limit: 300,
  }),
  /** The metagraph mirror: bounded by the subnet's uid count. */
  registry: (): QuerySpec => ({
    collection: COLLECTIONS.registry,
    orderBy: ["uid", "asc"],
    limit: 1024,
  }),
  /** Agreement plot: metrics of requests finalised in the last hour. */
  windowMetrics: (since: Date): QuerySpec => ({
    collection: COLLECTIONS.metrics,
    where: [["finalized_at", ">=", since]],
    orderBy: ["finalized_at", "desc"],
    limit: 1000,
  }),
  /** Rolling agreement per validator (one document per validator hotkey). */
  agreement: (): QuerySpec => ({ collection: COLLECTIONS.validatorAgreement, limit: 1024 }),
  /** Rolling credit per miner from consensus (one document per miner hotkey). */
  minerScores: (): QuerySpec => ({ collection: COLLECTIONS.minerScores, limit: 1024 }),
  /** One request's timeline. */
  rankingsOf: (requestId: string): QuerySpec => ({
    collection: COLLECTIONS.rankings,
    where: [["request_id", "==", requestId]],
    limit: 256,
  }),
  declinesOf: (requestId: string): QuerySpec => ({
    collection: COLLECTIONS.declines,
    where: [["request_id", "==", requestId]],
    limit: 256,
  }),
  submissionsOf: (requestId: string): QuerySpec => ({
    collection: COLLECTIONS.submissions,
    where: [["request_id", "==", requestId]],
    limit: 256,
  }),
} as const;

export function build(db: Firestore, spec: QuerySpec): Query {
  const parts = [
    ...(spec.where ?? []).map(([f, op, v]) => where(f, op, v)),
    ...(spec.orderBy ? [orderBy(spec.orderBy[0], spec.orderBy[1])] : []),
    limit(spec.limit),
  ];
  return query(collection(db, spec.collection), ...parts);
}
