/**
 * Debian's Chromium driven by playwright-core for the console's browser tests: a fresh user-data
 * folder per browser, headless, no sandbox (CI runs as root). The tests skip, saying why, only when
 * /usr/bin/chromium is absent (`.ci/run` installs it). Screenshots go to test-output/ (not committed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing: string | false = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium) to run the browser tests`;

const SCREENSHOTS = resolve('test-output');

/** Builds console/dist when it is missing, as `npm install` would have. */
export function ensureConsoleBuilt(): void {
  if (existsSync(resolve('console/dist/index.html'))) return;
  execFileSync(process.execPath, [resolve('scripts/build-console.mjs')], { stdio: 'inherit' });
}

export interface Browser {
  readonly page: Page;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'll-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  return {
    page,
    screenshot: async (name) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Logs in through the login form with an API token and waits for the signed-in frame. */
export async function logIn(page: Page, hubUrl: string, token: string): Promise<void> {
  await page.goto(`${hubUrl}/`);
  await page.fill('#login-token', token);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=signed-in-as]');
}
