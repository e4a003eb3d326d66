// Run by `npm install` (postinstall): prepares the emulator binaries once, or explains what is missing.
import { resolveEmulatorBinaries, SetupError } from "./lib/emulator-binaries.mjs";

try {
  const { sources } = resolveEmulatorBinaries();
  for (const [name, source] of Object.entries(sources)) {
    console.log(`emulators: ${name} from ${source}`);
  }
} catch (err) {
  if (err instanceof SetupError) {
    console.error(`\nemulator setup failed: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
