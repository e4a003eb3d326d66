import { onDocumentCreated } from "firebase-functions/v2/firestore";
import { COLLECTIONS } from "consensus-core";
import { handleRankingCreated } from "../lifecycle/rankings";
import { handleSubmissionCreated } from "../lifecycle/submissions";

// Retries on: a transient failure re-delivers the event, and both handlers are idempotent.
export const onRankingCreated = onDocumentCreated(
  { document: `${COLLECTIONS.rankings}/{docId}`, retry: true },
  async (event) => {
    await handleRankingCreated(event.params.docId, new Date());
  },
);

export const onSubmissionCreated = onDocumentCreated(
  { document: `${COLLECTIONS.submissions}/{docId}`, retry: true },
  async (event) => {
    await handleSubmissionCreated(event.params.docId, new Date());
  },
);
