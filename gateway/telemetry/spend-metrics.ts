/**
 * Spend and budget metrics. Labels are bounded: tenant, key id and model come from config;
 * a budget's subjects are exported for at most MAX_SUBJECTS per budget (a budget per feature
 * counts features clients name, so its gauge stops growing there; enforcement does not).
 */
import type { BudgetConfig } from '../config/budgets.js';
import type { Registry } from './registry.js';

const MAX_SUBJECTS = 100;

export interface SpendMetrics {
  spend(tenant: string, key: string, model: string, usd: number): void;
  /** a budget counter's value seen: its remaining USD as a gauge */
  remaining(budget: BudgetConfig, subject: string, spentUsd: number): void;
  action(budget: BudgetConfig, action: 'refused' | 'degraded'): void;
}

export function createSpendMetrics(r: Registry): SpendMetrics {
  const p = 'stormlab_gateway_';
  const spend = r.counter(`${p}spend_usd_total`, 'Spend in USD by the price table, by tenant, key and serving model.', [
    'tenant',
    'key',
    'model',
  ]);
  const remaining = r.gauge(`${p}budget_remaining_usd`, "USD left in a budget's current period, by budget and subject.", [
    'budget',
    'subject',
  ]);
  const actions = r.counter(`${p}budget_actions_total`, 'Requests refused (hard) or degraded (soft) by a budget.', [
    'budget',
    'action',
  ]);
  const subjects = new Map<string, Set<string>>();
  return {
    spend: (tenant, key, model, usd) => spend.inc({ tenant, key, model }, usd),
    remaining: (budget, subject, spentUsd) => {
      let seen = subjects.get(budget.id);
      if (!seen) subjects.set(budget.id, (seen = new Set()));
      if (!seen.has(subject)) {
        if (seen.size >= MAX_SUBJECTS) return;
        seen.add(subject);
      }
      remaining.set({ budget: budget.id, subject }, Math.max(0, budget.limitUsd - spentUsd));
    },
    action: (budget, action) => actions.inc({ budget: budget.id, action }),
  };
}
