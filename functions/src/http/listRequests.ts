// GET /leads: the calling client's own requests, newest first, a page at a time. The cursor is
// opaque to clients but only names a position (created_at and request id of the last row sent):
// the query always filters on the caller's client_id, so a cursor, forged or another client's,
// can never reach another client's requests.
import { FieldPath, Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import { type LeadRequestList } from "consensus-core";
import { requestsCol } from "../db";

export interface ListPosition {
  /** created_at of the last row sent, as Firestore stores it (seconds and nanoseconds). */
  seconds: number;
  nanos: number;
  requestId: string;
}

const CursorSchema = z.tuple([
  z.literal(1),
  z.number().int().min(0),
  z.number().int().min(0).max(999_999_999),
  z.uuid(),
]);

export function encodeCursor(pos: ListPosition): string {
  return Buffer.from(JSON.stringify([1, pos.seconds, pos.nanos, pos.requestId])).toString(
    "base64url",
  );
}

/** The position a cursor names, or null when it is not one this API issued. */
export function decodeCursor(cursor: string): ListPosition | null {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = CursorSchema.safeParse(raw);
  if (!parsed.success) return null;
  const [, seconds, nanos, requestId] = parsed.data;
  return { seconds, nanos, requestId };
}

/**
 * One page of `clientId`'s requests after `after`. Needs the composite index api_requests
 * (client_id ASC, created_at DESC) in firestore.indexes.json; reads limit + 1 documents to know
 * whether another page follows.
 */
export async function listClientRequests(
  clientId: string,
  limit: number,
  after: ListPosition | null,
  pollUrl: (requestId: string) => string,
): Promise<LeadRequestList> {
  let query = requestsCol()
    .where("client_id", "==", clientId)
    .orderBy("created_at", "desc")
    // Ties in created_at (a burst in one millisecond) are ordered by id, so no row is skipped.
    .orderBy(FieldPath.documentId(), "desc");
  if (after) query = query.startAfter(new Timestamp(after.seconds, after.nanos), after.requestId);
  const docs = (await query.limit(limit + 1).get()).docs;
  const page = docs.slice(0, limit).map((d) => d.data());
  const last = page[page.length - 1];
  return {
    requests: page.map((r) => ({
      request_id: r.request_id,
      status: r.status,
      num_leads: r.num_leads,
      business_desc: r.business_desc,
      created_at: r.created_at.toDate().toISOString(),
      timeout: r.timeout.toDate().toISOString(),
      poll_url: pollUrl(r.request_id),
    })),
    next_cursor:
      docs.length > limit && last
        ? encodeCursor({
            seconds: last.created_at.seconds,
            nanos: last.created_at.nanoseconds,
            requestId: last.request_id,
          })
        : null,
  };
}
