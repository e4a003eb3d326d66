import { onDocumentCreated } from "firebase-functions/v2/firestore";
import { COLLECTIONS } from "consensus-core";
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
    return handleRankingCreated(event.params.docId, now);
  },
);

export const onSubmissionCreated = onDocumentCreated(
  { document: `${COLLECTIONS.submissions}/{docId}`, retry: true },
  async (event) => {
    const now = new Date();
    if (dropStaleEvent(event, now)) return { dropped: "stale_event" } as const;
    return handleSubmissionCreated(event.params.docId, now);
  },
);
