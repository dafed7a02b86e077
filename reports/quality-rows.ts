/** Pure: the summary's quality block as rows (all requests, then by class, model, provider), for both renderers. */
import type { Adequacy, Summary } from './summary-schema.js';

export interface QualityRow {
  /** `all`, `class`, `model` or `provider` */
  dim: string;
  /** the group; `requests` for the overall row */
  name: string;
  a: Adequacy;
}

export function qualityRows(q: NonNullable<Summary['quality']>): QualityRow[] {
  const rows: QualityRow[] = [{ dim: 'all', name: 'requests', a: q.requests }];
  const add = (dim: string, groups: Record<string, Adequacy>) => {
    for (const [name, a] of Object.entries(groups)) rows.push({ dim, name, a });
  };
  add('class', q.byClass);
  add('model', q.byModel);
  add('provider', q.byProvider);
  return rows;
}
