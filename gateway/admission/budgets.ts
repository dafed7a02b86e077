/**
 * Budgets over the shared store. Admission: a soft budget at its cap sends the request to its
 * `degradeTo` model; a hard budget reserves the request's worst-case cost atomically
 * (`incrByIfWithin`) and refuses it when that could take the spend over the cap. Settle: the
 * real cost replaces the reservation, soft budgets are debited, and spend is attributed by
 * tenant, key, user, feature and model.
 */
import { StormlabError } from '../../core/errors.js';
import type { BudgetConfig, BudgetDimension } from '../config/budgets.js';
import { NEVER, type SharedStore } from '../state/store.js';
import type { SpendMetrics } from '../telemetry/spend-metrics.js';
import { untilText, windowOf } from './period.js';
import { matchesSubject, subjectOf, type RequestSubject } from './subject.js';

/** Who and what a request's spend is counted against. */
export type SpendSubject = RequestSubject;

/** A hard budget's reservation, replaced by the real cost at settle. */
export interface Hold {
  readonly budget: BudgetConfig;
  readonly subject: string;
  readonly counter: string;
  readonly amount: number;
  readonly end: number;
}

export type Reservation = { holds: Hold[]; refused?: undefined } | { holds: []; refused: StormlabError; retryAfterMs: number };

export const BUDGET_PREFIX = 'budget:';
export const SPEND_PREFIX = 'spend:';
export const ATTRIBUTION: readonly BudgetDimension[] = ['tenant', 'key', 'user', 'feature', 'model'];

function valueOf(s: SpendSubject, d: BudgetDimension): string | undefined {
  return s[d];
}

const matches = (b: BudgetConfig, s: SpendSubject): boolean => matchesSubject(b.match, s);

/** Distinct feature names attributed apart; clients name features, so further ones count as `other`. */
const MAX_FEATURES = 1000;

const usd = (v: number): string => `$${v < 0.01 ? v.toFixed(4) : v.toFixed(2)}`;

export class Budgets {
  private readonly features = new Set<string>();

  constructor(
    readonly configs: readonly BudgetConfig[],
    readonly store: SharedStore,
    private readonly metrics: SpendMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  counterOf(b: BudgetConfig, subject: string, t = this.now()): { counter: string; end: number } {
    const w = windowOf(b.period as string, t);
    return { counter: `${BUDGET_PREFIX}${b.id}:${subject}:${w.start}`, end: w.end };
  }

  private applicable(s: SpendSubject, mode: BudgetConfig['mode']): Array<{ budget: BudgetConfig; subject: string }> {
    const out: Array<{ budget: BudgetConfig; subject: string }> = [];
    for (const budget of this.configs) {
      if (budget.mode !== mode || !matches(budget, s)) continue;
      const subject = subjectOf(budget.per, s);
      if (subject !== undefined) out.push({ budget, subject });
    }
    return out;
  }

  /** The first soft budget at its cap for this request (and the model it degrades to), if any. */
  async degradation(s: SpendSubject): Promise<BudgetConfig | undefined> {
    for (const { budget, subject } of this.applicable(s, 'soft')) {
      if (budget.degradeTo === s.model) continue;
      const spent = await this.store.get(this.counterOf(budget, subject).counter);
      this.metrics.remaining(budget, subject, spent);
      if (spent >= budget.limitUsd) {
        this.metrics.action(budget, 'degraded');
        return budget;
      }
    }
    return undefined;
  }

  /**
   * Reserve `estimateUsd` on every hard budget of the request. One that cannot take it refuses
   * the request (the others' reservations are given back), with the time to its reset.
   */
  async reserve(s: SpendSubject, estimateUsd: number): Promise<Reservation> {
    const holds: Hold[] = [];
    const t = this.now();
    for (const { budget, subject } of this.applicable(s, 'hard')) {
      const { counter, end } = this.counterOf(budget, subject, t);
      const r = await this.store.incrByIfWithin(counter, estimateUsd, budget.limitUsd, end);
      this.metrics.remaining(budget, subject, r.value);
      if (!r.applied) {
        await this.release(holds);
        this.metrics.action(budget, 'refused');
        return { holds: [], refused: this.exceeded(budget, subject, r.value, estimateUsd, end, t), retryAfterMs: end - t };
      }
      holds.push({ budget, subject, counter, amount: estimateUsd, end });
    }
    return { holds };
  }

  private exceeded(b: BudgetConfig, subject: string, spent: number, estimate: number, end: number, t: number): StormlabError {
    const who = `${b.per.join('/')} "${subject}"`;
    const could = spent < b.limitUsd ? `; this request could cost up to ${usd(estimate)}` : '';
    return new StormlabError(
      'GW_BUDGET_EXCEEDED',
      `budget "${b.id}" for ${who} is spent: ${usd(spent)} of ${usd(b.limitUsd)} per ${b.period}${could}; ` +
        `it resets at ${new Date(end).toISOString()} (in ${untilText(end - t)})`,
      [{ path: `budgets.${b.id}`, expected: `spend under ${usd(b.limitUsd)} per ${b.period}`, received: usd(spent) }],
    );
  }

  /** Give reservations back (a request that ended before it could be settled with them). */
  async release(holds: readonly Hold[]): Promise<void> {
    await Promise.all(holds.map((h) => this.store.incrBy(h.counter, -h.amount, h.end)));
  }

  private boundedFeature(feature: string | undefined): string | undefined {
    if (feature === undefined || this.features.has(feature)) return feature;
    if (this.features.size >= MAX_FEATURES) return 'other';
    this.features.add(feature);
    return feature;
  }

  /** Bill a settled request: real cost in place of the reservations, soft budgets, attribution. */
  async settle(s: SpendSubject, holds: readonly Hold[], costUsd: number, servedModel: string | undefined): Promise<void> {
    const jobs: Array<Promise<unknown>> = holds.map(async (h) => {
      const v = await this.store.incrBy(h.counter, costUsd - h.amount, h.end);
      this.metrics.remaining(h.budget, h.subject, v);
    });
    if (costUsd > 0) {
      for (const { budget, subject } of this.applicable(s, 'soft')) {
        const { counter, end } = this.counterOf(budget, subject);
        jobs.push(this.store.incrBy(counter, costUsd, end).then((v) => this.metrics.remaining(budget, subject, v)));
      }
      const attributed: SpendSubject = { ...s, model: servedModel ?? s.model, feature: this.boundedFeature(s.feature) };
      for (const d of ATTRIBUTION) {
        const v = valueOf(attributed, d);
        if (v !== undefined) jobs.push(this.store.incrBy(`${SPEND_PREFIX}${d}:${v}`, costUsd, NEVER));
      }
      jobs.push(this.store.incrBy(`${SPEND_PREFIX}total`, costUsd, NEVER));
      this.metrics.spend(s.tenant, s.key, attributed.model, costUsd);
    }
    await Promise.all(jobs);
  }
}
