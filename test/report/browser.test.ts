/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweep } from '../../src/analysis/sweep/sweep.ts';
import { writeReport } from '../../src/report/report.ts';
import { scheduleFromTrace } from '../../src/report/schedule.ts';
import { loadScenario } from '../../src/scenario/scenario.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { writeTrace } from '../../src/sim/traceFile.ts';
import { CHROMIUM, checkReportPage, launchChromium } from '../helpers/chromium.ts';
import { inCi } from '../helpers/externalTool.ts';

/** Screenshots go here (HEXPLAN_SCREENSHOTS to keep them), to be looked at, not compared. */
const SHOTS = process.env.HEXPLAN_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'hexplan-shots-'));

if (!CHROMIUM && inCi())
  it('chromium is installed (.ci/run installs it with apt-get)', () => {
    throw new Error('chromium not found on PATH under CI=true');
  });

describe.skipIf(!CHROMIUM)('the report in headless Chromium', () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('every figure of a sweep report (simulate, gap, provision cells, a schedule) draws marks; no console error, no network', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexplan-browser-'));
    const results = join(dir, 'r.jsonl');
    await runSweep('test/fixtures/sweep/cells-grid.json', results);
    const trace = join(dir, 'trace.jsonl');
    writeTrace(
      simulate(
        loadScenario('instances/workloads/small.json', 'instances/clusters/hetero-6.json'),
        'hexagent',
        {
          mode: 'realistic',
        },
      ),
      trace,
      'jsonl',
    );
    const out = join(dir, 'report');
    const s = await writeReport({ results, schedule: scheduleFromTrace(trace) }, out);
    const csvs = readdirSync(join(out, 'plots')).filter((f) => f.endsWith('.csv'));
    expect(csvs.length).toBe(s.figures);
    mkdirSync(SHOTS, { recursive: true });
    const check = await checkReportPage(browser, resolve(out, 'index.html'), join(SHOTS, 'sweep-report.png'));
    expect(check.problems).toEqual([]);
    const ids = Object.keys(check.marks);
    expect(ids.length).toBe(s.figures);
    for (const kind of ['required', 'attainment', 'gpu-usage', 'gap', 'cost', 'gantt'])
      expect(
        ids.some((id) => id.endsWith(kind)),
        kind,
      ).toBe(true);
    for (const [id, n] of Object.entries(check.marks)) expect(n, `${id} draws nothing`).toBeGreaterThan(0);
  }, 120_000);

  it('the provisioning page (provision --sweep-rates --json) shows its figure, mix, workload and target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexplan-browser-'));
    const file = join(dir, 'p.json');
    writeFileSync(
      file,
      JSON.stringify({
        workload: 'instances/workloads/small.json',
        quantile: 0.95,
        scale: 2,
        sweep: [1, 2, 4].map((m, i) => ({
          rate_multiplier: m,
          verified: true,
          stop_reason: 'verified',
          cost_per_hour: 10 * (i + 1),
          lp_cost_per_hour: 8 * (i + 1),
          gpus: i + 2,
          counts: { 'H100-SXM5-80GB': { prefill: 1, decode: i + 1 } },
          simulated_scale: 1.9,
          iterations: 2,
        })),
      }),
    );
    const out = join(dir, 'report');
    await writeReport(file, out);
    const check = await checkReportPage(
      browser,
      resolve(out, 'index.html'),
      join(SHOTS, 'provision-report.png'),
    );
    expect(check.problems).toEqual([]);
    expect(Object.values(check.marks)).toEqual([expect.any(Number)]);
    expect(Object.values(check.marks)[0]).toBeGreaterThan(0);
    const page = await browser.newPage();
    await page.goto(`file://${resolve(out, 'index.html')}`);
    // biome-ignore lint/performance/useDomNodeTextContent: the text as the browser renders it is what is checked
    const text = await page.evaluate(() => document.body.innerText);
    await page.close();
    expect(text).toMatch(/small; target: 95% of workflows within 2× their standalone time/);
    expect(text).toMatch(/H100-SXM5-80GB: 1 prefill \+ 3 decode/);
  }, 60_000);
});
