/** Pure: a strategy comparison → Markdown (a PR comment, a ticket). */
import { cell } from '../render-markdown.js';
import type { StrategyComparison } from './schema.js';
import { notRun, figuresTable, providerTable, qualityByClassTable, qualityByModelTable, type Table } from './table.js';

function table(t: Table): string {
  const sep = t.head.map((_, i) => (i === 0 ? '---' : '---:'));
  return [t.head.map(cell), sep, ...t.rows.map((r) => r.map(cell))].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function renderStrategiesMarkdown(c: StrategyComparison): string {
  const seed = c.seed === null ? '' : `, seed ${c.seed}`;
  const missing = notRun(c);
  const lines = [
    `## Strategy comparison: ${c.spec}`,
    '',
    `The same seeded workload and chaos (spec \`${c.spec}\`${seed}) under ${c.configs.length} gateway configs, ` +
      'each on a fresh gateway and fleet.',
    '',
    `**Recommendation:** ${c.recommendation.text}`,
    '',
    table(figuresTable(c)),
    '',
    '### Share of requests per provider',
    '',
    table(providerTable(c)),
    '',
    '### Adequate answers per class',
    '',
    table(qualityByClassTable(c)),
    '',
    '### Adequate answers per serving model',
    '',
    table(qualityByModelTable(c)),
    '',
    `Cost per 1k requests counts every upstream attempt the fleet billed (retries, failovers, cascade escalations). ` +
      `Failovers are requests that took more than one attempt. Recommendation rule: ${c.recommendation.rule}.`,
    '',
    'Each config ran in its own run directory beside this report; `stormlab compare <dir>/<config> <dir>/<config>` ' +
      'overlays their latency curves and p99 TTFT over time.',
  ];
  for (const f of c.failed) lines.push('', `**Failed:** ${f.name}: ${cell(f.message)}`);
  if (missing.length > 0) lines.push('', `**Interrupted:** not run: ${missing.join(', ')}.`);
  return `${lines.join('\n')}\n`;
}
