/**
 * Debian's Chromium driven by playwright-core, for the HTML reports' browser tests and the docs'
 * screenshots: one launch (path from STORMLAB_CHROMIUM, default /usr/bin/chromium; the flags a
 * sandboxed headless machine needs) and one way to open a report and wait for its charts while
 * recording console errors and any request that leaves the file.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.STORMLAB_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launch Chromium; a missing binary is an error saying what to install. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium, or set STORMLAB_CHROMIUM`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 20_000 });
}

export interface ReportPage {
  page: Page;
  /** console errors and warnings, and page errors, as they happened */
  errors: string[];
  /** URLs requested outside the report file (a self-contained report makes none) */
  requests: string[];
}

/** Open a report file and wait until its charts exist (`globalThis.stormlabCharts`). */
export async function openReport(browser: Browser, file: string, viewport = { width: 1280, height: 900 }): Promise<ReportPage> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 15_000 });
  const hasCharts = () => Array.isArray((globalThis as unknown as { stormlabCharts?: unknown[] }).stormlabCharts);
  await page.waitForFunction(hasCharts, null, { timeout: 10_000 });
  return { page, errors, requests };
}
