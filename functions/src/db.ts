// Typed handles on the collections, so no module spells a collection name or casts data itself.
// Every shape is core's (core/src/documents.ts), with timestamps typed as the Admin SDK's.
import {
  getFirestore,
  type CollectionReference,
  type DocumentData,
  type Firestore,
  type FirestoreDataConverter,
  type QueryDocumentSnapshot,
  type Timestamp,
} from "firebase-admin/firestore";
import { z } from "zod";
import {
  ApiKeyDocSchema,
  COLLECTIONS,
  describeIssues,
  documentSchemas,
  type ApiKeyDocShape,
  type StoredDocs,
} from "consensus-core";

export const db = (): Firestore => getFirestore();

/** A stored timestamp: checked by shape (toMillis), typed as the Admin SDK's class. */
const TimestampSchema = z.custom<Timestamp>(
  (v) => typeof (v as { toMillis?: unknown } | null)?.toMillis === "function",
  "must be a Firestore Timestamp",
);
const SCHEMAS = documentSchemas(TimestampSchema);
type Docs = StoredDocs<Timestamp>;

export type ApiRequestDoc = Docs["request"];
export type RequestResult = Docs["result"];
export type RankingDoc = Docs["ranking"];
export type SubmissionDoc = Docs["submission"];
export type RegistryDoc = Docs["registry"];
export type MetricsDoc = Docs["metrics"];
export type Verification = Docs["verification"];
/** webhooks/{request_id}: written with the request, then by the delivery task only. */
export type WebhookDoc = Docs["webhook"];
export type WebhookState = NonNullable<ApiRequestDoc["webhook"]>["state"];
/** What ran the finalisation or failure: a ranking's trigger, a Cloud Task, the sweep, a status read. */
export type ClosedBy = NonNullable<ApiRequestDoc["closed_by"]>;
/** finalize_claims/{request_id}: which ranking's trigger finalises the request's quorum. */
export type FinalizeClaimDoc = Docs["finalizeClaim"];
/** api_keys/{sha256 of the key}: the shape is core's ApiKeyDocSchema (rotation fields optional). */
export type ApiKeyDoc = ApiKeyDocShape;

/** A stored document that is not in the shape its collection's schema declares. */
export class StoredShapeError extends Error {}

/**
 * Documents the backend writes are parsed on read, so a shape drift fails loudly at the read
 * (naming the document and field) instead of somewhere downstream. Writes pass through as given.
 */
function parsedOnRead<T extends DocumentData>(schema: z.ZodType<T>): FirestoreDataConverter<T> {
  return {
    toFirestore: (doc: object) => doc as DocumentData,
    fromFirestore(snap: QueryDocumentSnapshot): T {
      const parsed = schema.safeParse(snap.data());
      if (parsed.success) return parsed.data;
      const issues = describeIssues(parsed.error)
        .slice(0, 3)
        .map((i) => `${i.field}: ${i.message}`);
      throw new StoredShapeError(`${snap.ref.path} is not a stored document: ${issues.join("; ")}`);
    },
  };
}

/**
 * Rankings and submissions are written by nodes; rules bound their fields but not their content,
 * which the backend's verification (core's verify.ts, a zod parse) judges and records as a
 * verdict. Parsing them here would throw where verification must reject, so these are typed only.
 */
function writtenByNodes<T extends DocumentData>(): FirestoreDataConverter<T> {
  return {
    toFirestore: (doc: object) => doc as DocumentData,
    fromFirestore: (snap: QueryDocumentSnapshot) => snap.data() as T,
  };
}

const col =
  <T extends DocumentData>(name: string, converter: FirestoreDataConverter<T>) =>
  (): CollectionReference<T> =>
    db().collection(name).withConverter(converter);

export const requestsCol = col(COLLECTIONS.requests, parsedOnRead(SCHEMAS.request));
export const rankingsCol = col(COLLECTIONS.rankings, writtenByNodes<RankingDoc>());
export const submissionsCol = col(COLLECTIONS.submissions, writtenByNodes<SubmissionDoc>());
export const registryCol = col(COLLECTIONS.registry, parsedOnRead(SCHEMAS.registry));
export const apiKeysCol = col(COLLECTIONS.apiKeys, parsedOnRead<ApiKeyDoc>(ApiKeyDocSchema));
export const metricsCol = col(COLLECTIONS.metrics, parsedOnRead(SCHEMAS.metrics));
/** validator_agreement/{hotkey}: the ledger plus when it last changed. Backend-only (rules deny). */
export const agreementCol = col(COLLECTIONS.validatorAgreement, parsedOnRead(SCHEMAS.agreement));
/** miner_scores/{hotkey}: the ledger plus when it last changed. Written by the backend only. */
export const minerScoresCol = col(COLLECTIONS.minerScores, parsedOnRead(SCHEMAS.minerScores));
export const claimsCol = col(COLLECTIONS.finalizeClaims, parsedOnRead(SCHEMAS.finalizeClaim));
export const webhooksCol = col(COLLECTIONS.webhooks, parsedOnRead(SCHEMAS.webhook));

export const acceptedRankingsQuery = (requestId: string) =>
  rankingsCol().where("request_id", "==", requestId).where("verification.status", "==", "accepted");
