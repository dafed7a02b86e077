/**
 * The gateway's shipped alert rules, checked by Prometheus' own tool: `promtool check rules`
 * (syntax, PromQL) and `promtool test rules` (they fire on the series our gateway exports, and
 * stay quiet on healthy ones). Needs Debian's prometheus package (promtool); .ci/run installs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_FILE } from '../../scripts/lab/gameday.js';

const PROMTOOL = process.env.STORMLAB_PROMTOOL ?? 'promtool';

const attempts = 'stormlab_gateway_upstream_attempts_total';
const requests = 'stormlab_gateway_requests_total';

// promtool unit tests: 1 s samples; `a+bxN` is a counter growing by b for N steps
const UNIT_TESTS = `
rule_files: [${JSON.stringify(DEFAULT_RULES_FILE)}]
evaluation_interval: 1s
tests:
  - interval: 1s
    input_series:
      # healthy for 20 s, then openai/us-east refuses every connection
      - series: '${attempts}{upstream="openai/us-east",outcome="ok"}'
        values: '0+10x20 200x20'
      - series: '${attempts}{upstream="openai/us-east",outcome="connect"}'
        values: '0x20 0+10x20'
      - series: '${attempts}{upstream="openai/eu-west",outcome="ok"}'
        values: '0x20 0+10x20'
      # the clients see no error: failover works
      - series: '${requests}{model="gpt-4.1-mini",status="200",stream="true"}'
        values: '0+10x40'
    alert_rule_test:
      - eval_time: 15s
        alertname: GatewayUpstreamDown
        exp_alerts: []
      - eval_time: 30s
        alertname: GatewayUpstreamDown
        exp_alerts:
          - exp_labels: { severity: page, upstream: openai/us-east }
            exp_annotations:
              summary: 'Upstream openai/us-east: most attempts fail'
              description: '100% of the attempts to openai/us-east failed over the last 5 s.'
      - eval_time: 30s
        alertname: GatewayHighErrorRate
        exp_alerts: []
  - interval: 1s
    input_series:
      # no fallback: from 20 s on, half of the client requests fail with 502
      - series: '${requests}{model="gpt-4.1-mini",status="200",stream="true"}'
        values: '0+10x40'
      - series: '${requests}{model="gpt-4.1-mini",status="502",stream="true"}'
        values: '0x20 0+10x20'
    alert_rule_test:
      - eval_time: 15s
        alertname: GatewayHighErrorRate
        exp_alerts: []
      - eval_time: 30s
        alertname: GatewayHighErrorRate
        exp_alerts:
          - exp_labels: { severity: page }
            exp_annotations:
              summary: 'Gateway error rate above 2%'
              # 10 of 20 a second, as rate() extrapolates the new 502 series over the window
              description: '47.37% of client requests failed over the last 10 s.'
  - interval: 1s
    input_series:
      # an outage cuts 20 streams at once at 20 s: the series appears with its whole count
      - series: 'stormlab_gateway_stream_truncations_total{upstream="openai/us-east",reason="reset"}'
        values: '_x20 20x40'
    alert_rule_test:
      - eval_time: 15s
        alertname: GatewayStreamsTruncated
        exp_alerts: []
      - eval_time: 25s
        alertname: GatewayStreamsTruncated
        exp_alerts:
          - exp_labels: { severity: ticket, upstream: openai/us-east }
            exp_annotations:
              summary: 'Streams from openai/us-east are being cut mid-answer'
              description: 'Client streams from openai/us-east ended early within the last 30 s.'
      - eval_time: 55s
        alertname: GatewayStreamsTruncated
        exp_alerts: []
`;

describe('gateway alert rules (gateway/alerts/gateway.rules.yml)', () => {
  it('promtool checks them', () => {
    const out = execFileSync(PROMTOOL, ['check', 'rules', DEFAULT_RULES_FILE], { encoding: 'utf8' });
    expect(out).toContain('SUCCESS: 4 rules found');
  });

  it('fire on an upstream outage and on client errors, and stay quiet while healthy (promtool test rules)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stormlab-rules-')), 'rules.test.yml');
    writeFileSync(file, UNIT_TESTS);
    const r = spawnSync(PROMTOOL, ['test', 'rules', file], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});
