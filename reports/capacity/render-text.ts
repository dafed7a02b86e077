/** Pure: the few lines `stormlab capacity` prints when it ends. */
import { fmtUsd } from '../format.js';
import { fmtHeadroom, fmtRate, STOP_TEXT } from './render-markdown.js';
import type { CapacityReport } from './schema.js';

export function renderCapacityText(r: CapacityReport): string {
  const lines: string[] = [`capacity · ${r.spec} · SLO ${r.slo.text}`];
  for (const c of r.configs) {
    const limit = c.limit ? ` · limit: ${c.limit.cause}` : '';
    const n = `${c.steps.length} step${c.steps.length === 1 ? '' : 's'}`;
    const bracket = c.firstFail !== null ? `first failing ${fmtRate(c.firstFail)}` : STOP_TEXT[c.stop];
    lines.push(`${c.name}: knee ${fmtRate(c.knee)} (${bracket}, ${n})${limit}`);
    if (c.limit) lines.push(`  ${c.limit.causes[0]?.evidence ?? ''}`);
    for (const w of c.warnings) lines.push(`  ⚠ ${w}`);
    const p = c.projection;
    if (p) {
      const cost = `${fmtUsd(p.dailyUsd)}/day, ${fmtUsd(p.monthlyUsd)}/month (${fmtUsd(p.monthlyNoCacheUsd)} without the cache)`;
      lines.push(`  projection: ${cost} · headroom at peak ${fmtHeadroom(p.headroomAtPeak)}`);
    }
  }
  return lines.join('\n');
}
