// Per-file set-up for the emulator tier: room for cold starts of the Functions emulator, and the
// Admin SDK's connections closed so Jest exits on its own.
import { deleteApp, getApps } from "firebase-admin/app";

jest.setTimeout(60_000);

afterAll(async () => {
  await Promise.all(getApps().map((app) => deleteApp(app)));
});
