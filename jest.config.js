// Six tiers that run alone: unit (pure logic, no emulator), package (functions/ installed and
// loaded alone, as deployed), emulator (Firestore, Auth, Functions emulators via
// `firebase emulators:exec`), browser (the console in Chromium), rules (Firestore security rules),
// terminal (`npm start` stopped from a pseudo-terminal).
const tsJest = { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }] };
const shared = {
  transform: tsJest,
  testEnvironment: "node",
  // The core package resolves to its source, as tsconfig.json's paths do, so tests need no build.
  moduleNameMapper: {
    "^consensus-core$": "<rootDir>/core/src/index.ts",
    "^consensus-client$": "<rootDir>/client/src/index.ts",
  },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: "unit",
      testMatch: ["<rootDir>/{core,client,functions,node,console}/test/unit/**/*.test.ts"],
    },
    {
      ...shared,
      displayName: "emulator",
      testMatch: ["<rootDir>/{functions,node}/test/emulator/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/functions/test/support/emulator-setup.ts"],
    },
    {
      // The operator console in Debian's Chromium against the full emulator suite (Hosting too).
      ...shared,
      displayName: "browser",
      testMatch: ["<rootDir>/console/test/browser/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/functions/test/support/emulator-setup.ts"],
    },
    {
      ...shared,
      displayName: "package",
      testMatch: ["<rootDir>/test/package/**/*.test.ts"],
    },
    {
      // `npm start` in a pseudo-terminal, stopped by Ctrl-C and SIGTERM (test/terminal/run.sh).
      ...shared,
      displayName: "terminal",
      testMatch: ["<rootDir>/test/terminal/**/*.test.ts"],
    },
    {
      ...shared,
      displayName: "rules",
      testMatch: ["<rootDir>/test/rules/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/rules/setup.ts"],
    },
  ],
};
