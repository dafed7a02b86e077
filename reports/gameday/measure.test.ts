import { describe, expect, it } from 'vitest';
import { parseExpectation, type Expectation } from '../../scenarios/gameday/expectation.js';
import type { HtmlAssets } from '../html/assets.js';
import type { ClientRequest, GamedayInputs, UpstreamCall } from './inputs.js';
import { measureGameday } from './measure.js';
import { renderGamedayHtml } from './render-html.js';
import { renderGamedayMarkdown } from './render-markdown.js';
import { evaluateGameday } from './result.js';
import { judge } from './verdict.js';

const T0 = Date.parse('2026-11-26T10:00:00Z');
const at = (s: number): number => T0 + s * 1000;

function exp(text: string): Expectation {
  const r = parseExpectation(text);
  if (!r.ok) throw new Error(r.expected);
  return r.value;
}

/** 10 requests a second for 30 s; each takes 1 s; `serve` says where each went and how it ended. */
function traffic(serve: (startS: number) => Partial<ClientRequest> & { endpoint?: string; attempt?: number }): {
  requests: ClientRequest[];
  calls: UpstreamCall[];
} {
  const requests: ClientRequest[] = [];
  const calls: UpstreamCall[] = [];
  for (let i = 0; i < 300; i++) {
    const s = i / 10;
    const { attempt = 1, ...r } = serve(s);
    const req: ClientRequest = {
      startMs: at(s),
      endMs: at(s + 1),
      ok: true,
      status: 200,
      ttftMs: 300,
      attempts: attempt,
      ...r,
    };
    requests.push(req);
    if (req.endpoint) {
      const id = `r${i}`;
      calls.push({
        timeMs: at(s) + 5,
        endMs: req.endMs,
        requestId: id,
        endpoint: req.endpoint,
        attempt,
        status: req.ok ? 200 : 500,
        ok: req.ok,
        costUsd: 0.001 * attempt,
      });
    }
  }
  return { requests, calls };
}

const outage = {
  id: 'f1',
  fault: 'outage-refuse',
  scope: { provider: 'openai', region: 'us-east' },
  startMs: at(10),
  endMs: at(20),
};
const noAlerts = { available: false, reason: 'off', rules: [], firings: [] };

function inputs(
  t: { requests: ClientRequest[]; calls: UpstreamCall[] },
  extra: Partial<GamedayInputs> = {},
): GamedayInputs {
  return { runStartMs: T0, runEndMs: at(31), faults: [outage], alerts: noAlerts, ...t, ...extra };
}

describe('game-day measurements', () => {
  it('a gateway that fails over: streams in flight are cut, later requests move and come back', () => {
    const t = traffic((s) => {
      if (s >= 9 && s < 10)
        return { endpoint: 'openai/us-east', ok: false, failure: 'truncated_stream', endMs: at(10) };
      if (s >= 10 && s < 20) return { endpoint: 'openai/eu-west', attempt: 2, ttftMs: 500 };
      return { endpoint: 'openai/us-east' };
    });
    const m = measureGameday(inputs(t), { availability: 0.99 });
    expect(m.primary).toBe('openai/us-east');
    const f = m.faults[0]!;
    expect(f).toMatchObject({ requests: 100, errors: 0, cutInFlight: 10, truncatedStreams: 10, fromS: 10, toS: 20 });
    expect(f.timeToDetectMs).toBe(5);
    expect(f.timeToFailoverMs).toBe(0);
    expect(f.timeToRecoverMs).toBe(5);
    expect(m.values.client_errors_during_fault).toBe(0);
    expect(m.values.client_errors).toBeCloseTo(10 / 300, 6);
    expect(m.values.attempts_per_request_during_fault).toBe(2);
    // every request costs its attempts: 2 during (failover) against 1 before
    expect(m.values.extra_cost_during_fault).toBeCloseTo(1, 6);
    // 10 errors against 1% of 300 allowed
    expect(m.values.error_budget_burned).toBeCloseTo(10 / 3, 6);
    const verdicts = judge(
      [exp('client_errors_during_fault < 1%'), exp('time_to_failover < 5s'), exp('time_to_recover < 5s')],
      m,
    );
    expect(verdicts.map((v) => v.status)).toEqual(['pass', 'pass', 'pass']);
  });

  it('a gateway without a fallback: errors last the whole fault, so it never fails over', () => {
    const t = traffic((s) =>
      s >= 10 && s < 20
        ? { ok: false, status: 502, failure: 'http_5xx', endMs: at(s + 0.01) }
        : { endpoint: 'openai/us-east' },
    );
    const m = measureGameday(inputs(t), { availability: 0.99 });
    expect(m.values.client_errors_during_fault).toBe(1);
    expect(m.values.time_to_failover).toBeNull();
    expect(m.values.time_to_detect).toBeNull();
    const v = judge(
      [exp('client_errors_during_fault < 1%'), exp('time_to_failover < 5s'), exp('time_to_recover < 5s')],
      m,
    );
    expect(v.map((x) => [x.status, x.observed])).toEqual([
      ['fail', '100.0%'],
      ['fail', 'never'],
      ['pass', '5 ms'],
    ]);
  });

  it('a request started in one fault and cut when the next began counts against the next', () => {
    const second = { ...outage, id: 'f2', startMs: at(22), endMs: at(24) };
    const t = traffic((s) => ({ endpoint: 'openai/us-east' }));
    // started in the last quarter of the first fault, served after it, cut when the second began
    const late = t.requests.find((r) => r.startMs === at(19.5))!;
    Object.assign(late, { ok: false, failure: 'truncated_stream', endMs: at(22) });
    const m = measureGameday(inputs(t, { faults: [outage, second] }), { availability: 0.99 });
    expect(m.faults.map((f) => [f.errors, f.cutInFlight])).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect(m.values.time_to_failover).toBe(0);
    expect(m.values.truncated_streams_during_fault).toBe(1);
  });

  it('counts residency violations and judges alert expectations, skipped without Prometheus', () => {
    const t = traffic((s) => ({ endpoint: 'openai/us-east', residencyViolation: s < 5 }));
    const alerts = {
      available: true,
      rules: ['GatewayUpstreamDown', 'GatewayP99High'],
      firings: [
        { alert: 'GatewayUpstreamDown', labels: { upstream: 'openai/us-east' }, firedMs: at(14), resolvedMs: at(23) },
      ],
    };
    const m = measureGameday(inputs(t, { alerts }), { availability: 0.99 });
    expect(m.values.residency_violations).toBe(50);
    expect(m.alerts.timings).toEqual([
      {
        alert: 'GatewayUpstreamDown',
        labels: { upstream: 'openai/us-east' },
        firedAfterMs: 4000,
        resolvedAfterMs: 3000,
      },
    ]);
    expect(m.alerts.neverFired).toEqual(['GatewayP99High']);
    const list = [
      'alert GatewayUpstreamDown fires within 5s',
      'alert GatewayUpstreamDown fires within 3s',
      'alert GatewayP99High does not fire',
      'residency_violations == 0',
    ];
    expect(judge(list.map(exp), m).map((v) => v.status)).toEqual(['pass', 'fail', 'pass', 'fail']);
    const off = measureGameday(inputs(t), { availability: 0.99 });
    expect(judge([exp('alert GatewayUpstreamDown fires')], off)[0]).toMatchObject({ status: 'skipped', note: 'off' });
  });
});

describe('game-day report renderers', () => {
  const t = traffic((s) =>
    s >= 10 && s < 20 ? { endpoint: 'openai/eu-west', attempt: 2 } : { endpoint: 'openai/us-east' },
  );
  const alerts = {
    available: true,
    rules: ['GatewayUpstreamDown'],
    firings: [{ alert: 'GatewayUpstreamDown', labels: {}, firedMs: at(13), resolvedMs: null }],
  };
  const result = evaluateGameday(
    {
      name: 'outage',
      description: 'the primary dies',
      slo: { availability: 0.99 },
      expect: [exp('client_errors_during_fault < 1%'), exp('time_to_recover < 1ms')],
    },
    {
      dir: '/tmp/x',
      target: 'http://127.0.0.1:1',
      startedAt: new Date(T0).toISOString(),
      endedAt: new Date(at(31)).toISOString(),
    },
    inputs(t, { alerts }),
  );

  it('Markdown: the verdict per expectation with the observed value, faults and alerts', () => {
    expect(result.ok).toBe(false);
    const md = renderGamedayMarkdown(result);
    expect(md).toContain('## Game day · outage — ✗ 1 of 2 expectations failed');
    expect(md).toContain('| client_errors_during_fault &lt; 1% | 0.00% | ✓ pass |');
    expect(md).toContain('| time_to_recover &lt; 1ms | 5 ms | ✗ fail |');
    expect(md).toMatch(/\| GatewayUpstreamDown \|  \| 3\.00 s after the fault began \| still firing at the end \|/);
  });

  it('HTML: self-contained, the timeline with the fault shaded, the alert marked and the share per upstream', () => {
    const assets: HtmlAssets = { chartJs: '/* chart.js */' };
    const html = renderGamedayHtml(result, assets);
    expect(html).not.toMatch(/(src|href)="https?:/);
    const charts = JSON.parse(
      /<script type="application\/json" id="stormlab-charts">(.*?)<\/script>/s.exec(html)![1]!,
    ) as Array<{
      id: string;
      chaos: { spans: Array<{ from: number; to: number }>; marks: Array<{ t: number; label: string }> };
      config: { data: { datasets: Array<{ label: string; data: Array<{ x: number; y: number | null }> }> } };
    }>;
    expect(charts.map((c) => c.id)).toEqual(['chart-rate', 'chart-ttft', 'chart-share']);
    expect(charts[0]!.chaos.spans).toEqual([{ from: 10, to: 20, label: 'outage-refuse' }]);
    expect(charts[0]!.chaos.marks).toEqual([{ t: 13, label: 'fired: GatewayUpstreamDown' }]);
    const share = charts[2]!.config.data.datasets;
    expect(share.map((d) => d.label)).toEqual(['openai/us-east', 'openai/eu-west']);
    expect(share[1]!.data.find((p) => p.x === 15)?.y).toBe(100);
    expect(share[0]!.data.find((p) => p.x === 5)?.y).toBe(100);
    expect(html).toContain('✗ 1 of 2 expectations failed');
  });
});
