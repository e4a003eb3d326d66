// Browser-test support: Debian's Chromium driven by playwright-core (Playwright's own browser
// download cannot work on these machines), the console served by the Hosting emulator, and
// operator accounts made with the real admin command.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const ROOT = resolve(__dirname, "../../..");
export const CONSOLE_URL = "http://127.0.0.1:5050";
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = join(ROOT, "docs", "screenshots");

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh Chromium profile (its own --user-data-dir), closed and deleted by close(). */
export async function launch(viewport = { width: 1280, height: 900 }): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), "console-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run admin -- <args>` as an operator would run it (the compiled CLI). */
export function admin(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, "functions/lib/admin/cli.js"), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

export async function createOperator(email: string, password: string): Promise<void> {
  const run = await admin(["grant-operator", "--email", email, "--create", "--emulator"], {
    OPERATOR_PASSWORD: password,
  });
  if (run.code !== 0) throw new Error(`grant-operator failed (${run.code}): ${run.stderr}`);
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(CONSOLE_URL);
  await page.fill("#sign-in input[name=email]", email);
  await page.fill("#sign-in input[name=password]", password);
  await page.click("#sign-in button[type=submit]");
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
