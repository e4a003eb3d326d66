// Four tiers that run alone: unit (pure logic, no emulator), package (functions/ installed and
// loaded alone, as deployed), emulator (Firestore, Auth, Functions emulators via
// `firebase emulators:exec`), rules (Firestore security rules).
const tsJest = { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }] };
const shared = {
  transform: tsJest,
  testEnvironment: "node",
  // The core package resolves to its source, as tsconfig.json's paths do, so tests need no build.
  moduleNameMapper: { "^consensus-core$": "<rootDir>/core/src/index.ts" },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: "unit",
      testMatch: ["<rootDir>/{core,functions,node}/test/unit/**/*.test.ts"],
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
