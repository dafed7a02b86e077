/**
 * A screenshot of an HTML report in Debian's Chromium (playwright-core), for the docs:
 *
 *   npx tsx scripts/tools/screenshot.ts runs/…/gameday.html docs/img/gameday-report.png [width] [height]
 *
 * Waits until the report's charts exist, then shoots the top of the page (or the whole page with
 * height 0). STORMLAB_CHROMIUM overrides /usr/bin/chromium.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, openReport } from './chromium.js';

export async function screenshot(html: string, png: string, width = 1280, height = 1800): Promise<void> {
  const browser = await launchChromium();
  try {
    const { page } = await openReport(browser, resolve(html), { width, height: height || 900 });
    await page.screenshot({ path: png, fullPage: height === 0 });
  } finally {
    await browser.close();
  }
}

const [html, png, w, h] = process.argv.slice(2);
if (html && png && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await screenshot(html, png, w ? Number(w) : undefined, h ? Number(h) : undefined);
  process.stdout.write(`${png}\n`);
}
