import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cliOutput.ts';

// `hexplan gap --search-moves N --placement-moves N` reach the realistic bracket's searches.
describe('gap: the search budgets', () => {
  it('with no search moves the upper bound is a run that needed no search', async () => {
    const r = await runCli(['gap', '--search-moves', '0', '--placement-moves', '0', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    // A policy as configured, or one of them with smaller prefill batches: both name no search.
    expect(report.optimum.upper_bound_source).toMatch(/^policy:/);
    expect(report.optimum.upper_bound_source).not.toMatch(/placement|boosted/);
    const searched = JSON.parse(
      (await runCli(['gap', '--search-moves', '5', '--placement-moves', '40', '--json', '--quiet'])).out,
    );
    expect(searched.optimum.upper_bound).toBeLessThanOrEqual(report.optimum.upper_bound);
    expect(searched.optimum.search_evaluations).toBeGreaterThan(report.optimum.search_evaluations);
  }, 120_000);
});
