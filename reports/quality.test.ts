import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { header, requestLines, T0, type FakeRequest } from './fixtures/requests.js';
import { loadHtmlAssets } from './html/assets.js';
import { renderHtml } from './html/render-report.js';
import { ingestSamples } from './ingest.js';
import { createLedgerTotals, ingestLedger } from './ledger.js';
import { byServed, byTag, readAnswers, shareAdequate } from './quality.js';
import { renderMarkdown } from './render-markdown.js';
import { renderTerminalSummary } from './render-text.js';
import { summarize } from './summarize.js';
import { SummarySchema } from './summary-schema.js';

const ok = (i: number, cls: string, requestId?: string, extra: Partial<FakeRequest> = {}): FakeRequest => ({
  atMs: T0 + i * 100,
  tags: { scenario: 's', class: cls, status: '200' },
  e2e: 100,
  ...(requestId ? { requestId } : {}),
  ...extra,
});

const line = (requestId: string, model: string, adequate: boolean | null, status = 200, endpoint = 'openai/us-east') =>
  JSON.stringify({ endpoint, provider: endpoint.split('/')[0], model, requestId, status, outcome: status === 200 ? 'ok' : 'error', adequate });

/** faq: 3 of 4 adequate; analysis: a cascade (cheap inadequate, then frontier adequate), one inadequate, one failed, one cache hit */
const samples = [
  ...header(),
  ...requestLines(ok(0, 'faq', 'r-0')),
  ...requestLines(ok(1, 'faq', 'r-1')),
  ...requestLines(ok(2, 'faq', 'r-2')),
  ...requestLines(ok(3, 'faq', 'r-3')),
  ...requestLines(ok(4, 'analysis', 'r-4')),
  ...requestLines(ok(5, 'analysis', 'r-5')),
  ...requestLines({ ...ok(6, 'analysis', 'r-6'), tags: { scenario: 's', class: 'analysis', status: '502', error: 'http_5xx' }, failed: true }),
  ...requestLines(ok(7, 'analysis', 'r-7', { tags: { scenario: 's', class: 'analysis', status: '200', cache: 'exact' } })),
];
const ledger = [
  line('r-0', 'nano', true),
  line('r-1', 'nano', true),
  line('r-2', 'nano', false),
  line('r-3', 'nano', true, 200, 'azure/eastus'),
  line('r-4', 'nano', false), // the cascade's first answer, replaced
  line('r-4', 'gpt-4.1', true),
  line('r-5', 'nano', null, 429), // a 429 served nothing
  line('r-5', 'nano', false),
  line('r-6', 'nano', null, 502),
];

async function build() {
  const agg = await ingestSamples(samples);
  const totals = await ingestLedger(ledger);
  return SummarySchema.parse(summarize(agg, { ledger: totals }));
}

describe('answer quality in the report', () => {
  it('shares per request and class follow each request’s final answer; per model and provider every answered call', async () => {
    const s = await build();
    expect(s.quality!.requests).toEqual({ judged: 6, adequate: 4, unjudged: 1, share: 0.666667 });
    expect(s.quality!.byClass).toEqual({
      analysis: { judged: 2, adequate: 1, unjudged: 1, share: 0.5 }, // r-4 adequate after escalation, r-5 not, r-7 a cache hit
      faq: { judged: 4, adequate: 3, unjudged: 0, share: 0.75 },
    });
    expect(s.quality!.byModel).toEqual({
      'gpt-4.1': { judged: 1, adequate: 1, unjudged: 0, share: 1 },
      nano: { judged: 6, adequate: 3, unjudged: 0, share: 0.5 },
    });
    expect(s.quality!.byProvider).toEqual({
      azure: { judged: 1, adequate: 1, unjudged: 0, share: 1 },
      openai: { judged: 6, adequate: 3, unjudged: 0, share: 0.5 },
    });
  });

  it('Markdown, HTML and the terminal show the shares', async () => {
    const s = await build();
    const md = renderMarkdown(s);
    expect(md).toContain('### Answer quality');
    expect(md).toContain('| class `faq` | 75.00% | 3 / 4 | 0 |');
    expect(md).toContain('| model `gpt-4.1` | 100.00% | 1 / 1 | 0 |');
    const html = renderHtml(s, loadHtmlAssets());
    expect(html).toContain('<h2>Answer quality</h2>');
    expect(html).toMatch(/class <code>analysis<\/code><\/td><td>50\.00%/);
    expect(renderTerminalSummary(s)).toContain('adequate answers 66.67% of 6 judged (analysis 50.00% · faq 75.00%)');
  });

  it('is null without a ledger or when the fleet judged nothing; says so when samples carry no request ids', async () => {
    const agg = await ingestSamples(samples);
    expect(summarize(agg).quality).toBeNull();
    const old = ledger.map((l) => JSON.stringify({ ...JSON.parse(l), adequate: undefined }));
    expect(summarize(agg, { ledger: await ingestLedger(old) }).quality).toBeNull();
    const bare = await ingestSamples(samples.map((l) => l.replace(/,"metadata":\{[^}]*\}/, '')));
    const q = summarize(bare, { ledger: await ingestLedger(ledger) }).quality!;
    expect(q.requests.judged).toBe(0);
    expect(q.byModel.nano!.judged).toBe(6);
    expect(q.basis).toContain('no request ids');
  });

  it('readAnswers + shareAdequate group a run directory’s answers any way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stormlab-quality-'));
    writeFileSync(join(dir, 'samples.ndjson'), `${samples.join('\n')}\n`);
    writeFileSync(join(dir, 'ledger.ndjson'), `${ledger.join('\n')}\n`);
    const answers = await readAnswers(dir);
    expect(answers).toHaveLength(7);
    expect(shareAdequate(answers, byTag('class'))).toEqual((await build()).quality!.byClass);
    expect(shareAdequate(answers, byServed('model'))).toEqual({
      '(none)': { judged: 0, adequate: 0, unjudged: 1, share: null },
      'gpt-4.1': { judged: 1, adequate: 1, unjudged: 0, share: 1 },
      nano: { judged: 5, adequate: 3, unjudged: 0, share: 0.6 },
    });
    expect(shareAdequate(answers, (a) => (a.tags.cache === 'exact' ? 'hit' : 'miss')).hit).toMatchObject({ unjudged: 1, share: null });
    expect(createLedgerTotals().quality.lines).toBe(0);
  });
});
