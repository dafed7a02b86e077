import { describe, expect, it } from 'vitest';
import { RetryBudget, RetryBudgetSchema } from './retry-budget.js';

/** `requests` client requests spread evenly over [from, from + spanMs), each failing and asking for a retry. */
function storm(budget: RetryBudget, from: number, spanMs: number, requests: number): number {
  let retried = 0;
  for (let i = 0; i < requests; i++) {
    const now = from + Math.floor((i * spanMs) / requests);
    budget.recordRequest(now);
    if (budget.tryRetry(now)) retried++;
  }
  return retried;
}

describe('retry budget', () => {
  it('caps retries at about 20 % of requests when every request fails', () => {
    const budget = new RetryBudget(RetryBudgetSchema.parse({ minPerSecond: 0 }));
    const retried = storm(budget, 0, 10_000, 5_000);
    expect(retried / 5_000).toBeGreaterThan(0.19);
    expect(retried / 5_000).toBeLessThanOrEqual(0.2);
  });

  it('adds the floor on top of the ratio: 20 % + 3/s × 10 s', () => {
    const budget = new RetryBudget(RetryBudgetSchema.parse({}));
    const retried = storm(budget, 0, 10_000, 5_000);
    expect(retried).toBeGreaterThan(1000);
    expect(retried).toBeLessThanOrEqual(1000 + 30);
  });

  it('lets a quiet gateway retry through the floor, and no more', () => {
    const budget = new RetryBudget(RetryBudgetSchema.parse({}));
    let ok = 0;
    for (let i = 0; i < 50; i++) if (budget.tryRetry(100 + i)) ok++;
    expect(ok).toBe(30);
  });

  it('recovers once the storm slides out of the window', () => {
    const budget = new RetryBudget(RetryBudgetSchema.parse({ minPerSecond: 0 }));
    storm(budget, 0, 1_000, 1_000); // 1,000 requests, ~200 retries, all in the first second
    expect(budget.canRetry(5_000)).toBe(false); // ratio spent: 200 of 200
    expect(budget.spent(5_000)).toBe(200);
    budget.recordRequest(12_000);
    budget.recordRequest(12_001);
    budget.recordRequest(12_002);
    budget.recordRequest(12_003);
    budget.recordRequest(12_004);
    expect(budget.tryRetry(12_005)).toBe(true); // a fresh window: 5 requests → 1 retry
    expect(budget.tryRetry(12_006)).toBe(false);
  });

  it('canRetry does not consume', () => {
    const budget = new RetryBudget(RetryBudgetSchema.parse({ minPerSecond: 0.1 })); // reserve 1
    expect(budget.canRetry(0)).toBe(true);
    expect(budget.canRetry(0)).toBe(true);
    expect(budget.tryRetry(0)).toBe(true);
    expect(budget.canRetry(0)).toBe(false);
  });

  it('rejects bad options naming the field', () => {
    expect(RetryBudgetSchema.safeParse({ ratio: -0.1 }).error?.issues[0]?.path).toEqual(['ratio']);
    expect(RetryBudgetSchema.safeParse({ windowMs: 0 }).error?.issues[0]?.path).toEqual(['windowMs']);
    expect(RetryBudgetSchema.safeParse({ percent: 20 }).success).toBe(false);
  });
});
