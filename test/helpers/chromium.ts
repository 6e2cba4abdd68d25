/// <reference lib="dom" />
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { findTool } from './externalTool.ts';

/** Debian's chromium (never a downloaded browser). */
export const CHROMIUM = findTool('chromium') ?? findTool('chromium-browser');

/** Headless, offline, with a fresh profile: nothing reaches the network or a previous run's state. */
export async function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM!,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${mkdtempSync(join(tmpdir(), 'hexplan-chromium-'))}`,
    ],
  });
}

export interface PageCheck {
  /** Console errors, page errors and requests that left file:// (there must be none). */
  problems: string[];
  /** Per figure id: how many drawn marks (paths, rects, symbols) its SVG holds. */
  marks: Record<string, number>;
}

/** Opens a report page, collects every problem and counts what each figure draws. */
export async function checkReportPage(
  browser: Browser,
  file: string,
  screenshot?: string,
): Promise<PageCheck> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page: ${(e as Error).message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) problems.push(`network: ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  const marks = await page.evaluate(() => {
    const out: Record<string, number> = {};
    for (const f of Array.from(document.querySelectorAll('figure'))) {
      const drawn = Array.from(
        f.querySelectorAll(
          'svg .mark-line path, svg .mark-rect path, svg .mark-symbol path, svg .mark-rule line',
        ),
      ).filter((el) => {
        const b = (el as SVGGraphicsElement).getBBox();
        return b.width > 0 || b.height > 0;
      });
      out[f.id] = drawn.length;
    }
    return out;
  });
  if (screenshot) await page.screenshot({ path: screenshot as `${string}.png`, fullPage: true });
  await page.close();
  return { problems, marks };
}
