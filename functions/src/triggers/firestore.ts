import { onDocumentCreated } from "firebase-functions/v2/firestore";
import { COLLECTIONS } from "consensus-core";
import type { RankingDoc, SubmissionDoc } from "../db";
import { handleRankingCreated } from "../lifecycle/rankings";
import { handleSubmissionCreated } from "../lifecycle/submissions";
import { dropStaleEvent } from "./eventAge";

// Retries on: a transient failure re-delivers the event, and both handlers are idempotent. Events
// past TRIGGER_MAX_EVENT_AGE_SECONDS are dropped (the sweep recovers what they left undone).
export const onRankingCreated = onDocumentCreated(
  { document: `${COLLECTIONS.rankings}/{docId}`, retry: true },
  async (event) => {
    const now = new Date();
    if (dropStaleEvent(event, now)) return { dropped: "stale_event" } as const;
    // The document comes with the event: the handler does not read it again.
    const snap = event.data;
    return handleRankingCreated(
      event.params.docId,
      now,
      snap
        ? { data: snap.data() as RankingDoc | undefined, updateTime: snap.updateTime }
        : undefined,
    );
  },
);

export const onSubmissionCreated = onDocumentCreated(
  { document: `${COLLECTIONS.submissions}/{docId}`, retry: true },
  async (event) => {
    const now = new Date();
    if (dropStaleEvent(event, now)) return { dropped: "stale_event" } as const;
    const snap = event.data;
    return handleSubmissionCreated(
      event.params.docId,
      now,
      snap
        ? { data: snap.data() as SubmissionDoc | undefined, updateTime: snap.updateTime }
        : undefined,
    );
  },
);
