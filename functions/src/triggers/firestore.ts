import { onDocumentCreated } from "firebase-functions/v2/firestore";
import { COLLECTIONS } from "consensus-core";
import type { Timestamp } from "firebase-admin/firestore";
import type { RankingDoc, SubmissionDoc, Verification } from "../db";
import { handleRankingCreated, type RankingOutcome } from "../lifecycle/rankings";
import { handleSubmissionCreated } from "../lifecycle/submissions";
import { dropStaleEvent } from "./eventAge";

/** The created document as the event carries it, so the handler does not read it again. */
interface Delivered<T> {
  data: T | undefined;
  updateTime: Timestamp;
}

// Retries on: a transient failure re-delivers the event, and both handlers are idempotent. Events
// past TRIGGER_MAX_EVENT_AGE_SECONDS are dropped (the sweep recovers what they left undone).
/**
 * An onCreate trigger for `collection`: drops events past the age cutoff, otherwise hands the
 * document id and the delivered document to `handle`.
 */
function onCreated<T, R>(
  collection: string,
  handle: (docId: string, now: Date, delivered?: Delivered<T>) => Promise<R>,
) {
  return onDocumentCreated({ document: `${collection}/{docId}`, retry: true }, async (event) => {
    const now = new Date();
    if (dropStaleEvent(event, now)) return { dropped: "stale_event" } as const;
    const snap = event.data;
    return handle(
      event.params.docId,
      now,
      snap ? { data: snap.data() as T | undefined, updateTime: snap.updateTime } : undefined,
    );
  });
}

export const onRankingCreated = onCreated<RankingDoc, RankingOutcome>(
  COLLECTIONS.rankings,
  handleRankingCreated,
);

export const onSubmissionCreated = onCreated<SubmissionDoc, Verification | null>(
  COLLECTIONS.submissions,
  handleSubmissionCreated,
);
