// Per-file set-up for the rules tier: each test re-seeds the emulator, and on a loaded 2-core
// machine a hook or test exceeds jest's 5 s default (a project-level testTimeout does not reach
// hooks), so the bound is raised for both here.
jest.setTimeout(30_000);
