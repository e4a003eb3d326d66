// Four tiers that run alone: unit (pure logic, no emulator), package (functions/ installed and
// loaded alone, as deployed), emulator (Firestore, Auth, Functions emulators via
// `firebase emulators:exec`), rules (Firestore security rules).
const tsJest = { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }] };
const shared = {
  transform: tsJest,
  testEnvironment: "node",
  moduleNameMapper: { "^consensus-functions/core$": "<rootDir>/functions/src/core/index.ts" },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: "unit",
      testMatch: ["<rootDir>/{functions,node}/test/unit/**/*.test.ts"],
    },
    {
      ...shared,
      displayName: "emulator",
      testMatch: ["<rootDir>/{functions,node}/test/emulator/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/functions/test/support/emulator-setup.ts"],
    },
    {
      ...shared,
      displayName: "package",
      testMatch: ["<rootDir>/test/package/**/*.test.ts"],
    },
    {
      ...shared,
      displayName: "rules",
      testMatch: ["<rootDir>/test/rules/**/*.test.ts"],
    },
  ],
};
