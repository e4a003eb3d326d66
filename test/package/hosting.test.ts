// `firebase deploy --only hosting` uploads firebase.json's `hosting.public`: it must be the folder
// `npm run build` writes the console to (test:package builds first), with the page and every asset
// the page loads, or the deploy succeeds and serves a blank site.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT } from "./deploy-package";

const firebase = JSON.parse(readFileSync(join(ROOT, "firebase.json"), "utf8")) as {
  hosting?: { public?: string; rewrites?: { source: string; destination?: string }[] };
};
const console_ = join(ROOT, "console");

describe("Hosting deploys the built console", () => {
  test("hosting.public is where Vite writes the console (console/vite.config.ts outDir)", () => {
    const vite = readFileSync(join(console_, "vite.config.ts"), "utf8");
    const outDir = /outDir:\s*"([^"]+)"/.exec(vite)?.[1];
    expect(outDir).toBeDefined();
    expect(firebase.hosting?.public).toBeDefined();
    expect(resolve(ROOT, firebase.hosting!.public!)).toBe(resolve(console_, outDir!));
  });

  test("the build produced it: index.html and every script and stylesheet it loads", () => {
    const dist = resolve(ROOT, firebase.hosting!.public!);
    expect(statSync(dist).isDirectory()).toBe(true);
    const html = readFileSync(join(dist, "index.html"), "utf8");
    const assets = [...html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets)
      expect([asset, existsSync(join(dist, asset))]).toEqual([asset, true]);
  });

  test("every path falls back to the page (client-side views)", () => {
    expect(firebase.hosting?.rewrites).toContainEqual({ source: "**", destination: "/index.html" });
  });
});
