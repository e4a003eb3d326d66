// The Admin SDK's options: an emulated service account only where there is no metadata server.
import { EMULATED_SERVICE_ACCOUNT, adminAppOptions } from "../../src/config";

test("the Functions emulator names the emulated service account up front", () => {
  expect(adminAppOptions({ FUNCTIONS_EMULATOR: "true" })).toEqual({
    serviceAccountId: EMULATED_SERVICE_ACCOUNT,
  });
});

test("on Google's runtime the Admin SDK finds its account itself", () => {
  expect(adminAppOptions({})).toEqual({});
  expect(adminAppOptions({ FUNCTIONS_EMULATOR: "false" })).toEqual({});
});
