// Wiring only: global options, the Admin SDK, and the exported functions.
import { initializeApp } from "firebase-admin/app";
import { setGlobalOptions } from "firebase-functions/v2";
import { adminAppOptions, region } from "./config";

// The region is a param (REGION): Firestore triggers must run in the database's location.
setGlobalOptions({ region, maxInstances: 20 });
initializeApp(adminAppOptions());

export { api } from "./triggers/api";
export { onRankingCreated, onSubmissionCreated } from "./triggers/firestore";
export { sweepRequests } from "./triggers/schedule";
export { closeRequest } from "./triggers/tasks";
export { deliverWebhook } from "./triggers/webhooks";
export { syncMetagraph } from "./triggers/schedule";
