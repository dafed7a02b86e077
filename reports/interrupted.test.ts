import { describe, expect, it } from 'vitest';
import { craftedRun, T0 } from './fixtures/requests.js';
import { renderHtml } from './html/render-report.js';
import { ingestSamples } from './ingest.js';
import { describeInterrupted } from './interrupted.js';
import { renderMarkdown } from './render-markdown.js';
import { renderTerminalSummary } from './render-text.js';
import { RunMetaSchema } from './run-meta.js';
import { summarize } from './summarize.js';

const ASSETS = { chartJs: '/* chart.js */' };

async function summaryWith(over: Record<string, unknown>) {
  const run = RunMetaSchema.parse({
    spec: 'baseline',
    driver: 'native',
    startedAt: new Date(T0).toISOString(),
    endedAt: new Date(T0 + 5000).toISOString(),
    planned: { durationMs: 20_000, requests: 80 },
    ...over,
  });
  return summarize(await ingestSamples(craftedRun().lines, { startMs: T0 }), { run });
}

describe('an interrupted run in the reports', () => {
  it('one sentence: how, by which signal, planned against actual duration and requests, what was cut', async () => {
    const at = new Date(T0 + 5000).toISOString();
    const s = await summaryWith({ status: 'interrupted', interrupted: { at, signal: 'SIGINT', cut: 2 } });
    expect(describeInterrupted(s.run.interrupted!)).toBe(
      'interrupted: stopped by SIGINT after 5 s of 20 s planned · 20 of 80 planned requests · 2 in-flight requests cut at the end of the grace (no samples)',
    );
    const aborted = await summaryWith({ status: 'aborted', interrupted: { at, signal: 'SIGINT', cut: null } });
    expect(describeInterrupted(aborted.run.interrupted!)).toMatch(/^interrupted: aborted at once by a second SIGINT after 5 s of 20 s planned · 20 of 80/);
    const killed = await summaryWith({ status: 'running', endedAt: undefined, planned: { durationMs: 20_000, requests: null } });
    expect(describeInterrupted(killed.run.interrupted!)).toMatch(/^interrupted: cut short \(the CLI ended without writing the end: killed\?\) after .* of 20 s planned · 20 requests$/);
  });

  it('the terminal summary, summary.md and index.html all say so; a whole run says nothing of it', async () => {
    const s = await summaryWith({ status: 'interrupted', interrupted: { at: new Date(T0 + 5000).toISOString(), signal: 'SIGTERM', cut: 0 } });
    const text = renderTerminalSummary(s);
    expect(text.split('\n')[0]).toContain('INTERRUPTED');
    expect(text).toContain('⚠ interrupted: stopped by SIGTERM');
    expect(renderMarkdown(s)).toContain('> ⚠ **interrupted: stopped by SIGTERM');
    expect(renderHtml(s, ASSETS)).toContain('<p class="warn">⚠ interrupted: stopped by SIGTERM');
    const whole = await summaryWith({ status: 'complete' });
    expect(whole.run.interrupted).toBeNull();
    expect(renderTerminalSummary(whole)).not.toMatch(/interrupted/i);
    expect(renderMarkdown(whole)).not.toMatch(/interrupted/i);
  });
});
