import { describe, expect, it } from 'vitest';
import { pointLine } from '../scenarios/samples.js';
import { craftedRun, ledgerLine, T0 } from './fixtures/requests.js';
import { ingestSamples } from './ingest.js';
import { ingestLedger } from './ledger.js';
import { renderMarkdown } from './render-markdown.js';
import { renderTerminalSummary } from './render-text.js';
import { RunMetaSchema } from './run-meta.js';
import { summarize } from './summarize.js';

const thresholds = { ttft: ['p(99)<3000'], 'ttft{class:chat}': ['p(99)<150'] };
const run = (over: Record<string, unknown> = {}) =>
  RunMetaSchema.parse({
    spec: 'baseline',
    driver: 'native',
    ttftDefinition: 'first-content-chunk',
    seed: 42,
    startedAt: new Date(T0).toISOString(),
    endedAt: new Date(T0 + 5000).toISOString(),
    thresholds,
    ...over,
  });

async function crafted(opts: { ledger?: string[]; extraLines?: string[]; run?: Record<string, unknown> } = {}) {
  const agg = await ingestSamples([...craftedRun().lines, ...(opts.extraLines ?? [])], { thresholds, startMs: T0 });
  return summarize(agg, { run: run(opts.run), ledger: opts.ledger ? await ingestLedger(opts.ledger) : null });
}

describe('renderMarkdown', () => {
  it('leads with the spec, requests, error rate, dropped starts, cost and the threshold verdict', async () => {
    const md = renderMarkdown(await crafted());
    const first = md.split('\n\n').slice(0, 3).join('\n');
    expect(first).toContain('## stormlab · baseline — ✗ 1 of 2 thresholds crossed');
    expect(first).toContain('**20 requests** in 5 s (4/s)');
    expect(first).toContain('**25.00% errors** (5)');
    expect(first).toContain('**4 dropped**');
    expect(first).toContain('**$0.02** ($1.00 per 1k requests)');
    expect(first).toContain('native driver · seed 42');
  });

  it('has a latency table for TTFT, E2E and ITL and states the TTFT definition', async () => {
    const md = renderMarkdown(await crafted());
    expect(md).toContain('|  | count | p50 | p90 | p99 | p99.9 | max |');
    expect(md).toMatch(/\| TTFT \| 15 \| 170 ms \| 300 ms \| 300 ms \| 300 ms \| 300 ms \|/);
    expect(md).toMatch(/\| E2E \| 20 \| /);
    expect(md).toMatch(/\| ITL \| 20 \| 10.0 ms \|/);
    expect(md).toContain('first content-bearing chunk');
    expect(md).not.toContain('| schedule lag |'); // no samples, no row
    const k6 = renderMarkdown(await crafted({ run: { driver: 'k6', ttftDefinition: 'first-byte' } }));
    expect(k6).toContain('**first response byte**');
  });

  it('reconciles cost with the ledger: equal to the cent, or the difference shown', async () => {
    const same = renderMarkdown(await crafted({ ledger: [ledgerLine('openai/us-east', 200, 0.01), ledgerLine('anthropic/eu-west', 200, 0.01)] }));
    expect(same).toContain('| upstream ledger (every attempt) | $0.02 ✓ equal to the cent |');
    expect(same).toContain('| `openai/us-east` | 1 | 1 | 0 | 200×1 | $0.01 |');
    const diff = renderMarkdown(await crafted({ ledger: [ledgerLine('openai/us-east', 200, 0.05)] }));
    expect(diff).toContain("$0.05 ✗ $0.03 more than the requests' cost");
    const none = renderMarkdown(await crafted());
    expect(none).toContain('(no ledger.ndjson)');
  });

  it('has breakdown tables by provider, region and class, busiest first', async () => {
    const md = renderMarkdown(await crafted());
    expect(md).toContain('#### By provider');
    expect(md).toContain('#### By region');
    expect(md).toContain('#### By class');
    const provider = md.slice(md.indexOf('#### By provider'), md.indexOf('#### By region'));
    expect(provider.indexOf('`openai` | 12 | 2 | 16.67%')).toBeGreaterThan(0);
    expect(provider.indexOf('`openai`')).toBeLessThan(provider.indexOf('`anthropic`'));
    expect(provider).toContain('| `(none)` | 3 | 3 | 100.00% | — | — |');
    expect(md).toContain('#### By cache'); // two or more cache groups
    expect(md).not.toContain('#### By model'); // a single model is not a breakdown
  });

  it('lists thresholds with ✓/✗ and the observed value, and statuses and errors', async () => {
    const md = renderMarkdown(await crafted());
    expect(md).toContain('| ✓ | `ttft` | `p(99)<3000` | 300 |');
    expect(md).toContain('| ✗ | `ttft{class:chat}` | `p(99)<150` | 190 |');
    expect(md).toContain('Statuses: `200` × 15 · `429` × 2 · `503` × 3');
    expect(md).toContain('Errors: `upstream_exhausted` × 3 · `rate_limited` × 2');
  });

  it('shows ingest problems only when there are some, and escapes what the samples say', async () => {
    expect(renderMarkdown(await crafted())).not.toContain('Ingest problems');
    const md = renderMarkdown(
      await crafted({
        extraLines: ['{"type":"Point"', pointLine('http_reqs', 1, { provider: 'evil|<b>x</b>' }, T0), pointLine('vus', 2, {}, T0)],
      }),
    );
    expect(md).toContain('### Ingest problems');
    expect(md).toMatch(/⚠ 1 of \d+ sample lines could not be read and were skipped: line \d+ \(not JSON\)/);
    expect(md).toContain('`evil\\|<b>x</b>`'); // a code span shows it literally
    expect(md).toContain('Ignored metrics not defined by stormlab: `vus`');
  });

  it('renders a summary of nothing without inventing figures', async () => {
    const md = renderMarkdown(summarize(await ingestSamples([])));
    expect(md).toContain('## stormlab · run');
    expect(md).toContain('**0 requests**');
    expect(md).toContain('| TTFT | 0 | — | — | — | — | — |');
    expect(md).toContain('TTFT definition not recorded');
  });
});

describe('renderTerminalSummary', () => {
  it('gives the headline figures and each threshold in a few lines', async () => {
    const text = renderTerminalSummary(await crafted());
    expect(text).toContain('baseline · native driver · 5 s');
    expect(text).toContain('requests 20 (4/s) · errors 25.00% (5) · dropped 4');
    expect(text).toContain('TTFT  p50 170 ms');
    expect(text).toContain('✗ ttft{class:chat} p(99)<150 (observed 190)');
  });
});

describe('renderMarkdown: cost reconciliation, cache and chaos', () => {
  it('explains a ledger difference by the failed attempts, and shows what is left unexplained', async () => {
    const ok = [ledgerLine('openai/us-east', 200, 0.01), ledgerLine('anthropic/eu-west', 200, 0.01)];
    const explained = renderMarkdown(await crafted({ ledger: [...ok, ledgerLine('openai/us-east', 502, 0.03, { outcome: 'error' })] }));
    expect(explained).toContain('| upstream ledger (every attempt) | $0.05 ✓ = requests + $0.03 spent on failed attempts |');
    expect(explained).toContain('| spent on failed attempts (1 call) | $0.03 |');
    const unexplained = renderMarkdown(await crafted({ ledger: [...ok, ledgerLine('openai/us-east', 200, 0.02), ledgerLine('x/y', 500, 0.01)] }));
    expect(unexplained).toContain("$0.05 ✗ $0.03 more than the requests' cost ($0.01 spent on failed attempts, $0.02 unexplained)");
  });

  it('says the false-hit rate is n/a without intent tags, and gives it when the samples carry them', async () => {
    expect(renderMarkdown(await crafted())).toContain('false hits n/a (no intent tags in the samples)');
    const tagged = renderMarkdown(await crafted({ extraLines: [pointLine('cache_false_hit', 1, {}, T0), pointLine('cache_false_hit', 0, {}, T0)] }));
    expect(tagged).toContain('false hits 50.00% (1 of 2 checked hits)');
  });
});

