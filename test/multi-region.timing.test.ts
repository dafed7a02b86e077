/**
 * The built-in `multi-region` spec end to end, as `stormlab run multi-region` runs it: a gateway
 * per region behind the lab's latency relays, openai/eu-west refusing connections for 6 s. The
 * report must show the outage touching eu-west's users only, the EU shop moving out of the EU
 * while the pinned EU bank stays, and the spec's own thresholds held.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLab } from '../scripts/lab/run-lab.js';

const dir = mkdtempSync(join(tmpdir(), 'stormlab-multi-region-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('multi-region spec', () => {
  it('keeps the outage in its region and the pinned tenant in the EU', async () => {
    const { summary, thresholdsOk } = await runLab({ spec: 'multi-region', out: join(dir, 'run') });
    const r = summary.regions!;
    for (const row of r.rows) {
      const f = row.failoverSpans.map((s) => `${s.fromS}-${s.toS}s`).join(' ') || 'none';
      console.log(
        `${row.clientRegion}: ${row.requests} req, share ${row.share}, errors ${row.errorRate}, TTFT p50/p95/p99 ` +
          `${row.ttft_p50_ms}/${row.ttft_p95_ms}/${row.ttft_p99_ms} ms, cross ${row.crossRegionShare} ` +
          `(in faults ${row.duringFaults?.crossRegionShare}, outside ${row.outsideFaults?.crossRegionShare}), ` +
          `failovers ${row.failovers} [${f}]`,
      );
    }
    expect(summary.thresholds.filter((t) => !t.ok)).toEqual([]);
    expect(thresholdsOk).toBe(true);
    expect(r.faultWindows).toHaveLength(1);
    const rows = Object.fromEntries(r.rows.map((x) => [x.clientRegion, x]));
    expect(Object.keys(rows).sort()).toEqual(['ap-southeast', 'eu-west', 'us-east']);
    for (const name of ['us-east', 'ap-southeast']) {
      // untouched: no errors, no failovers, everything answered at home
      expect(rows[name]).toMatchObject({ gatewayRegion: name, servedFrom: name, errors: 0, failovers: 0, crossRegionShare: 0 });
    }
    const eu = rows['eu-west']!;
    expect(eu.failovers).toBeGreaterThan(0);
    expect(eu.duringFaults!.crossRegionShare!).toBeGreaterThan(0.2);
    expect(eu.outsideFaults!.crossRegionShare!).toBeLessThan(0.05);
    const shop = r.classes['eu-shop']!;
    const bank = r.classes['eu-bank']!;
    expect(shop.duringFaults!.crossRegionShare!).toBeGreaterThan(0.8);
    expect(bank.crossRegionShare).toBe(0);
    expect(bank.failovers).toBe(0);
    // the bank waited for its region: its slowest first tokens are seconds late
    expect(bank.ttft_p99_ms!).toBeGreaterThan(2000);
  }, 150_000);
});
