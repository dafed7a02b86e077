/**
 * What GET /admin/spend answers: spend attributed by tenant, key, user, feature and serving
 * model since the store began, and every budget counter of the current period with its cap,
 * what is left and when it resets. Read from the shared store, so with a shared store every
 * instance answers the same.
 */
import { ATTRIBUTION, BUDGET_PREFIX, SPEND_PREFIX, type Budgets } from './budgets.js';
import { windowOf } from './period.js';

export interface BudgetState {
  id: string;
  per: string[];
  subject: string;
  mode: 'hard' | 'soft';
  period: string;
  limitUsd: number;
  spentUsd: number;
  remainingUsd: number;
  resetsAt: string;
  degradeTo?: string;
}

export interface SpendReport {
  store: string;
  totalUsd: number;
  by: Record<string, Record<string, number>>;
  budgets: BudgetState[];
}

const round = (v: number): number => Math.round(v * 1e9) / 1e9;

export async function spendReport(budgets: Budgets, now = Date.now()): Promise<SpendReport> {
  const { store, configs } = budgets;
  const by: Record<string, Record<string, number>> = Object.fromEntries(ATTRIBUTION.map((d) => [d, {}]));
  let totalUsd = 0;
  for (const e of await store.scan(SPEND_PREFIX)) {
    const rest = e.key.slice(SPEND_PREFIX.length);
    if (rest === 'total') {
      totalUsd = round(e.value);
      continue;
    }
    const colon = rest.indexOf(':');
    const dim = rest.slice(0, colon);
    const bucket = by[dim];
    if (bucket) bucket[rest.slice(colon + 1)] = round(e.value);
  }
  const byId = new Map(configs.map((b) => [b.id, b]));
  const states: BudgetState[] = [];
  for (const e of await store.scan(BUDGET_PREFIX)) {
    const rest = e.key.slice(BUDGET_PREFIX.length);
    const id = rest.slice(0, rest.indexOf(':'));
    const b = byId.get(id);
    if (!b) continue;
    const start = Number(rest.slice(rest.lastIndexOf(':') + 1));
    const w = windowOf(b.period as string, now);
    if (start !== w.start) continue; // a past period's counter, not yet expired
    const spentUsd = round(Math.max(0, e.value));
    states.push({
      id,
      per: b.per,
      subject: rest.slice(id.length + 1, rest.lastIndexOf(':')),
      mode: b.mode,
      period: b.period as string,
      limitUsd: b.limitUsd,
      spentUsd,
      remainingUsd: round(Math.max(0, b.limitUsd - spentUsd)),
      resetsAt: new Date(w.end).toISOString(),
      ...(b.degradeTo ? { degradeTo: b.degradeTo } : {}),
    });
  }
  states.sort((a, b) => a.id.localeCompare(b.id) || a.subject.localeCompare(b.subject));
  return { store: store.kind, totalUsd, by, budgets: states };
}
