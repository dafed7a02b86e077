import { describe, expect, it } from 'vitest';
import { parseSampleLine, parseTimeMs, pointLine, pointLineFrom, REQUEST_ID_METADATA } from '../scenarios/samples.js';
import { cleanTags, fastPoint, fastTimeMs } from './fast-line.js';
import { T0 } from './fixtures/requests.js';

/** What the full parser makes of a line, in the fast path's terms (or null when it is not a good point). */
function slow(line: string) {
  const r = parseSampleLine(line);
  if (!r.ok || r.line.type !== 'Point') return null;
  const timeMs = parseTimeMs(r.line.data.time);
  if (!Number.isFinite(timeMs)) return null;
  const rid = r.line.metric === 'http_reqs' ? r.line.data.metadata?.[REQUEST_ID_METADATA] : undefined;
  return { metric: r.line.metric, value: r.line.data.value, tags: cleanTags(r.line.data.tags), timeMs, requestId: rid };
}

const k6Line = (metric: string, value: string, tags: string, time = '2026-11-21T18:36:00.123456789+01:00') =>
  `{"type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}},"metric":"${metric}"}`;

describe('fastPoint (the ingest fast path)', () => {
  it('reads stormlab writer lines and k6 --out json lines exactly as the full parser does', () => {
    const lines = [
      pointLine('ttft', 123.456, { class: 'chat', provider: 'openai' }, T0 + 0.5),
      pointLine('http_reqs', 1, {}, T0 + 1000),
      pointLine('cost_usd', 0.000123, { status: '200' }, T0 + 1234.567),
      pointLine('e2e', -0, { a: 'b' }, T0),
      pointLine('e2e', 1e-7, { a: 'ü ✓' }, T0),
      k6Line('http_req_duration', '5.84', '{"method":"POST","status":"200"}'),
      k6Line('vus', '5', '{}', '2026-11-21T17:36:00Z'),
      k6Line('iterations', '1.5e3', '{"n":1,"ok":true,"drop":{"x":1}}', '2026-11-21T17:36:00.5-05:30'),
      // metadata (k6 vu.metrics.metadata, the driver's request id): split off; an http_reqs point's request id read
      k6Line('vus', '1', '{"a":"b"},"metadata":{"trace":"x"}'),
      k6Line('http_reqs', '1', '{"status":"200"},"metadata":{"request_id":"baseline-7","trace":"x"}'),
      pointLineFrom('http_reqs', 1, '{"class":"chat"}', '2026-11-21T17:36:00.000001Z', '{"request_id":"baseline-8.1"}'),
    ];
    for (const line of lines) {
      const f = fastPoint(line);
      expect(f, line).not.toBeNull();
      expect({ ...f }, line).toEqual(slow(line));
    }
    expect(fastPoint(lines.at(-2)!)?.requestId).toBe('baseline-7');
    expect(fastPoint(lines.at(-1)!)?.requestId).toBe('baseline-8.1');
  });

  it('leaves anything unusual to the full parser (which then reports it)', () => {
    const declined = [
      '{"type":"Metric","metric":"ttft","data":{"type":"trend"}}',
      '{ "type":"Point","metric":"ttft","data":{"time":"2026-11-21T17:36:00Z","value":1,"tags":{}}}', // spacing
      '{"type":"Point","metric":"tt\\"ft","data":{"time":"2026-11-21T17:36:00Z","value":1,"tags":{}}}', // escape
      '{"type":"Point","metric":"ttft","data":{"time":"2026-11-21T17:36:00Z","value":"1","tags":{}}}', // string value
      '{"type":"Point","metric":"ttft","data":{"time":"2026-11-21T17:36:00Z","value":0x10,"tags":{}}}', // not JSON
      '{"type":"Point","metric":"ttft","data":{"time":"2026-11-21T17:36:00Z","value":1e999,"tags":{}}}', // not finite
      '{"type":"Point","metric":"ttft","data":{"time":"yesterday","value":1,"tags":{}}}',
      '{"type":"Point","metric":"ttft","data":{"time":"2026-11-21T17:36:00","value":1,"tags":{}}}', // no zone
      '{"type":"Point","metric":"ttft","data":{"time":"2026-11-21T17:36:00Z","value":1,"tags":null}}',
      '{"type":"Point","metric":"ttft","data":{"time":"2026-11-21T17:36:00Z","value":1,"tags":{"a":"b"},"x":1}}',
      '{"type":"Point","metric":"ttft","data":{"time":"2026-11-21T17:36:00.1', // truncated
    ];
    for (const line of declined) expect(fastPoint(line), line).toBeNull();
  });

  it('parses times like parseTimeMs, whole-second cache or not', () => {
    const times = [
      '2026-11-21T17:36:00Z',
      '2026-11-21T17:36:00.000001Z',
      '2026-11-21T17:36:00.999999999Z',
      '2026-11-21T17:36:00.5+02:00',
      '2026-11-21T17:36:01.123456Z',
      '2026-11-21T17:36:01.123456Z',
      '2026-11-21T17:36:01.1234567890123456Z', // too many digits for the fast path
    ];
    for (const t of times) {
      const f = fastTimeMs(t);
      if (Number.isFinite(f)) expect(f, t).toBe(parseTimeMs(t));
    }
    expect(fastTimeMs('2026-11-21T17:36:00.Z')).toBeNaN();
    expect(fastTimeMs('2026-11-21T17:36:00z')).toBeNaN();
  });

  it('shares one tags object per distinct tag set', () => {
    const a = fastPoint(pointLine('ttft', 1, { class: 'chat' }, T0))?.tags;
    fastPoint(pointLine('ttft', 1, { class: 'other' }, T0));
    const b = fastPoint(pointLine('e2e', 2, { class: 'chat' }, T0 + 5))?.tags;
    expect(a).toBe(b);
  });
});
