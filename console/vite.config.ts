// Vite builds the console into console/dist, which firebase.json's `hosting` serves.
import { defineConfig } from "vite";

export default defineConfig({
  // The bundle is the Firebase Auth + Firestore SDKs and Chart.js (~225 kB gzipped): one file is fine
  // for an operator page, so the warning threshold sits above it.
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
});
