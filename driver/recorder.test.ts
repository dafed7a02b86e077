import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseSampleLine, parseTimeMs, type SampleLine } from '../scenarios/samples.js';
import { SpecSchema } from '../scenarios/spec-schema.js';
import { NdjsonWriter } from './ndjson.js';
import { DRIVER_METRICS, Recorder } from './recorder.js';
import type { SendResult } from './send.js';

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

const spec = SpecSchema.parse({
  name: 'rt',
  arrival: { executor: 'constant-arrival-rate', rate: 1, duration: '1s' },
  workload: { classes: [{ name: 'chat', model: 'm', promptTokens: { dist: 'constant', value: 9 }, maxTokens: { dist: 'constant', value: 9 } }] },
  thresholds: { ttft: ['p(99)<3000', { threshold: 'p(50)<900', abortOnFail: true }], 'e2e{class:chat}': ['max<1'] },
});

describe('Recorder → NDJSON', () => {
  it('writes lines that parse back with the same metric, value, tags and time', async () => {
    const out = new PassThrough();
    const text = collect(out);
    const writer = new NdjsonWriter(out);
    const epoch = Date.UTC(2026, 10, 21, 17, 0, 0);
    const rec = new Recorder(writer, epoch);
    rec.writeMetricLines(spec);
    const result: SendResult = {
      interrupted: false,
      httpDurationMs: 120.25,
      answer: '',
      outcome: {
        tags: { scenario: 'rt', class: 'chat', model: 'm', stream: 'true' },
        stream: true,
        promptTokens: 9,
        status: 200,
        who: { provider: 'acme', region: 'eu', cache: 'semantic', attempts: 3 },
        usage: { promptTokens: 10, completionTokens: 4, costUsd: 0.000123 },
        textLength: 16,
        ttftMs: 80.5,
        itlMs: 10.125,
        e2eMs: 130.75,
      },
    };
    rec.result(result, 1234.567);
    await writer.close();

    const lines = text()
      .trimEnd()
      .split('\n')
      .map((l) => {
        const p = parseSampleLine(l);
        expect(p.ok).toBe(true);
        return (p as { ok: true; line: SampleLine }).line;
      });
    const metrics = lines.filter((l) => l.type === 'Metric');
    expect(metrics.map((m) => m.metric)).toEqual([...DRIVER_METRICS]);
    expect(metrics.find((m) => m.metric === 'ttft')!.data).toMatchObject({ type: 'trend', contains: 'time', thresholds: ['p(99)<3000', 'p(50)<900'] });

    const got = Object.fromEntries(lines.filter((l) => l.type === 'Point').map((l) => [l.metric, l.type === 'Point' ? l.data : null]));
    const tags = { scenario: 'rt', class: 'chat', model: 'm', stream: 'true', status: '200', provider: 'acme', region: 'eu', cache: 'semantic' };
    const expected: Record<string, number> = {
      http_reqs: 1, http_req_failed: 0, http_req_duration: 120.25, e2e: 130.75, ttft: 80.5, itl: 10.125,
      attempts: 3, cache_hit: 1, tokens_in: 10, tokens_out: 4, cost_usd: 0.000123,
    };
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
    for (const [metric, value] of Object.entries(expected)) {
      expect(got[metric]!.value).toBe(value);
      expect(got[metric]!.tags).toEqual(metric === 'ttft' ? { ...tags, ttft_def: 'first-content-chunk' } : tags);
      expect(parseTimeMs(got[metric]!.time)).toBeCloseTo(epoch + 1234.567, 3);
    }
    expect(rec.store.statsFor('ttft', { class: 'chat' }, 1000)?.percentile?.(99)).toBe(80.5);
  });
});

describe('NdjsonWriter', () => {
  it('waits for drain on a slow stream and loses nothing', async () => {
    const received: string[] = [];
    let writes = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        writes++;
        received.push(chunk.toString('utf8'));
        setTimeout(cb, 1);
      },
    });
    const w = new NdjsonWriter(slow);
    const N = 20_000;
    for (let i = 0; i < N; i++) w.write(JSON.stringify({ i, pad: 'x'.repeat(20) }));
    await w.close();
    const lines = received.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(N);
    expect(lines.every((l, i) => (JSON.parse(l) as { i: number }).i === i)).toBe(true);
    expect(slow.writableLength).toBe(0);
    expect(writes).toBeGreaterThan(1);
    expect(w.lines).toBe(N);
  });
});
