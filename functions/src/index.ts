import { initializeApp } from "firebase-admin/app";
import { setGlobalOptions } from "firebase-functions/v2";
import { onRequest } from "firebase-functions/v2/https";

setGlobalOptions({ region: "us-central1" });
initializeApp();

export const api = onRequest((_req, res) => {
  res.json({ status: "ok" });
});
