// Debian's Chromium driven by playwright-core: Playwright's own browser
// download cannot be reached from CI machines, so no browser comes with npm.
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const chromiumPath = process.env.NNET_CHROMIUM ?? "/usr/bin/chromium";

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export async function launchBrowser(profileDir) {
  const home = mkdtempSync(join(profileDir, "chromium-"));
  mkdirSync(join(home, "config"), { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    env: { ...process.env, XDG_CONFIG_HOME: join(home, "config"), XDG_CACHE_HOME: join(home, "cache") },
  });
}

/**
 * Noise every code-server page produces here: no marketplace, no vsda signing
 * files, and reads cancelled when the page closes.
 */
export const harmless = [/vsda/, /open-vsx\.org/, /ERR_NAME_NOT_RESOLVED/, /ENOTFOUND/, /\(Canceled: Canceled\)/, /Long running operations during shutdown/];

/** A page at 1280×800 whose console errors and crashes are collected, not lost. */
export async function openPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    const where = `${message.text()} ${message.location().url ?? ""}`;
    if (message.type() === "error" && !harmless.some((pattern) => pattern.test(where))) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  return { context, page, problems };
}
