// Per-file set-up for the emulator tier: room for cold starts of the Functions emulator, every
// completed request re-verified after each test, and the Admin SDK's connections closed so Jest
// exits on its own.
import { deleteApp, getApps } from "firebase-admin/app";
import { verifyEveryCompletedRequest } from "./verify-completed";

jest.setTimeout(60_000);

// Whatever a test completed must re-verify from what is stored (`npm run admin -- verify`).
afterEach(async () => {
  await verifyEveryCompletedRequest();
});

afterAll(async () => {
  await Promise.all(getApps().map((app) => deleteApp(app)));
});
