// Per-file set-up for the emulator tier: room for cold starts of the Functions emulator, every
// completed request re-verified after each test, and the Admin SDK's connections closed so Jest
// exits on its own.
import { deleteApp, getApps } from "firebase-admin/app";
import { LOAD_FACTOR } from "./emulator";
import { verifyEveryCompletedRequest } from "./verify-completed";

// 60 s on a quiet machine, scaled like the waits inside the tests (emulator.ts's LOAD_FACTOR).
jest.setTimeout(Math.round(60_000 * LOAD_FACTOR));

// Whatever a test completed must re-verify from what is stored (`npm run admin -- verify`).
afterEach(async () => {
  await verifyEveryCompletedRequest();
});

afterAll(async () => {
  await Promise.all(getApps().map((app) => deleteApp(app)));
});
