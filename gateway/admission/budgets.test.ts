/** Budgets over the in-process store: which budgets a request counts against, reserve, degrade, settle. */
import { describe, expect, it } from 'vitest';
import { BudgetSchema, type BudgetConfig } from '../config/budgets.js';
import { MemoryStore } from '../state/memory.js';
import type { SpendMetrics } from '../telemetry/spend-metrics.js';
import { Budgets, type SpendSubject } from './budgets.js';
import { spendReport } from './spend-report.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const quiet: SpendMetrics = { spend: () => undefined, remaining: () => undefined, action: () => undefined };
const subject = (over: Partial<SpendSubject> = {}): SpendSubject => ({
  key: 'k1', tenant: 'acme', tier: 'free', user: undefined, feature: 'search', model: 'big', ...over,
});
const make = (...configs: unknown[]): Budgets =>
  new Budgets(configs.map((c) => BudgetSchema.parse(c) as BudgetConfig), new MemoryStore(() => NOW), quiet, () => NOW);

describe('budgets', () => {
  it('counts per the named dimensions, only for matching requests', async () => {
    const b = make({ id: 'tf', per: ['tenant', 'feature'], match: { tier: 'free' }, limitUsd: 1, period: 'day' });
    expect((await b.reserve(subject(), 0.6)).refused).toBeUndefined();
    // another feature of the same tenant has its own counter
    expect((await b.reserve(subject({ feature: 'chat' }), 0.6)).refused).toBeUndefined();
    const r = await b.reserve(subject(), 0.6);
    expect(r.refused?.code).toBe('GW_BUDGET_EXCEEDED');
    expect(r.refused?.message).toContain('budget "tf" for tenant/feature "acme/search" is spent: $0.60 of $1.00 per day');
    expect(r.refused?.message).toContain('resets at 2026-11-27T00:00:00.000Z (in 12h 0m)');
    expect(r.refused ? r.retryAfterMs : 0).toBe(12 * 3_600_000);
    // not free tier, or no feature named: the budget does not apply
    expect((await b.reserve(subject({ tier: 'pro' }), 5)).holds).toEqual([]);
    expect((await b.reserve(subject({ feature: undefined }), 5)).holds).toEqual([]);
  });

  it('replaces a reservation with the real cost at settle, and attributes the spend', async () => {
    const b = make({ id: 'k', per: 'key', limitUsd: 1, period: 'month' });
    const r = await b.reserve(subject(), 0.9);
    await b.settle(subject(), r.holds, 0.25, 'big-served');
    const report = await spendReport(b, NOW);
    expect(report.budgets).toEqual([
      expect.objectContaining({ id: 'k', subject: 'k1', spentUsd: 0.25, remainingUsd: 0.75, resetsAt: '2026-12-01T00:00:00.000Z' }),
    ]);
    expect(report.totalUsd).toBe(0.25);
    expect(report.by.model).toEqual({ 'big-served': 0.25 });
    expect(report.by.tenant).toEqual({ acme: 0.25 });
    expect(report.by.user).toEqual({});
  });

  it('gives every reservation back when one budget refuses', async () => {
    const b = make({ id: 'wide', per: 'tenant', limitUsd: 10, period: 'day' }, { id: 'narrow', per: 'key', limitUsd: 1, period: 'day' });
    const r = await b.reserve(subject(), 2);
    expect(r.refused?.message).toContain('budget "narrow"');
    const report = await spendReport(b, NOW);
    expect(report.budgets.find((s) => s.id === 'wide')?.spentUsd ?? 0).toBe(0);
  });

  it('a soft budget degrades once its spend reaches the cap, not before', async () => {
    const b = make({ id: 's', per: 'tenant', match: { model: 'big' }, mode: 'soft', limitUsd: 1, period: 'day', degradeTo: 'small' });
    expect(await b.degradation(subject())).toBeUndefined();
    await b.settle(subject(), [], 1, 'big');
    expect((await b.degradation(subject()))?.degradeTo).toBe('small');
    // a request already on the cheaper model is left alone
    expect(await b.degradation(subject({ model: 'small' }))).toBeUndefined();
  });
});
