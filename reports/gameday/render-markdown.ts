/**
 * Pure: a game day's result → Markdown for a pull request or a ticket: the verdict per
 * expectation, what each fault did, and the alerts (when they fired, which never did).
 */
import { cell } from '../render-markdown.js';
import { FAULT_COLUMNS, faultCells, INSTANCE_COLUMNS, instanceCells, measureCells } from './fault-table.js';
import type { GamedayResult } from './result-types.js';
import { formatMs } from './verdict.js';

function table(head: string[], rows: string[][]): string {
  const sep = head.map((_, i) => (i === 0 ? '---' : '---:'));
  return [head, sep, ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}

const MARK = { pass: '✓ pass', fail: '✗ fail', skipped: '– skipped' } as const;


export function renderGamedayMarkdown(r: GamedayResult): string {
  const m = r.measurements;
  const failed = r.verdicts.filter((v) => v.status === 'fail').length;
  const head = r.ok
    ? `✓ all ${r.verdicts.length} expectations held`
    : `✗ ${failed} of ${r.verdicts.length} expectations failed`;
  const out: string[] = [
    `## Game day · ${cell(r.plan.name)} — ${head}`,
    '',
    r.plan.description ? `${r.plan.description}\n` : '',
    `Target \`${r.run.target}\`${r.run.gatewayConfig ? ` (gateway config \`${r.run.gatewayConfig}\`)` : ''} · ` +
      `${m.requests} requests, ${m.errors} failed · primary endpoint ${m.primary ? `\`${m.primary}\`` : 'unknown'} · ` +
      `SLO ${(r.plan.availability * 100).toFixed(2).replace(/\.?0+$/, '')}% availability`,
    '',
    '### Verdicts',
    '',
    table(
      ['expectation', 'observed', 'verdict'],
      r.verdicts.map((v) => [v.expectation, v.note ? `${v.observed} (${v.note})` : v.observed, MARK[v.status]]),
    ),
    '',
    '### Faults',
    '',
    table(FAULT_COLUMNS, m.faults.map(faultCells)),
    '',
    ...(m.instances.length > 0
      ? ['### Gateway instances killed', '', table(INSTANCE_COLUMNS, m.instances.map(instanceCells)), '']
      : []),
    '### Measures',
    '',
    table(
      ['measure', 'value'],
      measureCells(m),
    ),
    '',
    '### Alerts',
    '',
  ];
  if (!m.alerts.available) out.push(`Not measured: ${m.alerts.reason ?? 'Prometheus did not run'}.`);
  else {
    if (m.alerts.timings.length === 0) out.push('No alert fired.');
    else
      out.push(
        table(
          ['alert', 'labels', 'time to alert', 'resolved'],
          m.alerts.timings.map((t) => [
            t.alert,
            Object.entries(t.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(' '),
            `${formatMs(t.firedAfterMs)} after the fault began`,
            t.resolvedAfterMs === null
              ? 'still firing at the end'
              : `${formatMs(t.resolvedAfterMs)} after the fault ended`,
          ]),
        ),
      );
    out.push(
      '',
      m.alerts.neverFired.length
        ? `Never fired: ${m.alerts.neverFired.map((a) => `\`${a}\``).join(', ')}.`
        : 'Every rule fired.',
    );
  }
  out.push('');
  return out.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n');
}
