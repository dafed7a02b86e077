/**
 * Budgets over the shared store. Admission: a soft budget at its cap sends the request to its
 * `degradeTo` model; a hard budget reserves the request's worst-case cost atomically
 * (`incrByIfWithin`) and refuses it when that could take the spend over the cap. Settle: the
 * real cost replaces the reservation, soft budgets are debited, and spend is attributed by
 * tenant, key, user, feature and model.
 */
import { StormlabError } from '../../core/errors.js';
import type { BudgetConfig, BudgetDimension } from '../config/budgets.js';
import { NEVER, settled, type Maybe, type SharedStore } from '../state/store.js';
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

const matches = (b: BudgetConfig, s: SpendSubject): boolean => matchesSubject(b.match, s);

/** Distinct feature names attributed apart; clients name features, so further ones count as `other`. */
const MAX_FEATURES = 1000;

const usd = (v: number): string => `$${v < 0.01 ? v.toFixed(4) : v.toFixed(2)}`;

/** Counter names remembered per budget (or attribution dimension); past it the memory starts over. */
const KNOWN_NAMES = 10_000;

/** `name`, remembered under `key` in `known` (bounded); returns it. */
function remember(known: Map<string, string>, key: string, name: string): string {
  if (known.size >= KNOWN_NAMES) known.clear();
  known.set(key, name);
  return name;
}

/** A budget's current window and its counters' names in it (remade when the window ends). */
interface Current {
  start: number;
  end: number;
  readonly counters: Map<string, string>;
}

export class Budgets {
  private readonly features = new Set<string>();
  private readonly soft: readonly BudgetConfig[];
  private readonly hard: readonly BudgetConfig[];
  private readonly current = new Map<BudgetConfig, Current>();
  /** `spend:<dimension>:<value>` names, per dimension */
  private readonly spendNames = new Map<BudgetDimension, Map<string, string>>(ATTRIBUTION.map((d) => [d, new Map()]));

  constructor(
    readonly configs: readonly BudgetConfig[],
    readonly store: SharedStore,
    private readonly metrics: SpendMetrics,
    private readonly now: () => number = Date.now,
  ) {
    this.soft = configs.filter((b) => b.mode === 'soft');
    this.hard = configs.filter((b) => b.mode === 'hard');
  }

  /** whether any budget degrades requests (soft) */
  get hasSoft(): boolean {
    return this.soft.length > 0;
  }

  counterOf(b: BudgetConfig, subject: string, t = this.now()): { counter: string; end: number } {
    let c = this.current.get(b);
    if (!c || t < c.start || t >= c.end) {
      const w = windowOf(b.period as string, t);
      c = { start: w.start, end: w.end, counters: new Map() };
      this.current.set(b, c);
    }
    const start = c.start;
    const counter =
      c.counters.get(subject) ?? remember(c.counters, subject, `${BUDGET_PREFIX}${b.id}:${subject}:${start}`);
    return { counter, end: c.end };
  }

  private applicable(s: SpendSubject, mode: BudgetConfig['mode']): Array<{ budget: BudgetConfig; subject: string }> {
    const out: Array<{ budget: BudgetConfig; subject: string }> = [];
    for (const budget of mode === 'soft' ? this.soft : this.hard) {
      if (!matches(budget, s)) continue;
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
   * the request (the others' reservations are given back), with the time to its reset. At once
   * with the in-process store; a promise from the first answer that is one (Redis).
   */
  reserve(s: SpendSubject, estimateUsd: number): Maybe<Reservation> {
    if (this.hard.length === 0) return { holds: [] };
    return this.reserveFrom(this.applicable(s, 'hard'), 0, [], estimateUsd, this.now());
  }

  /** Reserve on `list[i…]`, after `holds` were taken on those before. */
  private reserveFrom(
    list: ReadonlyArray<{ budget: BudgetConfig; subject: string }>,
    i: number,
    holds: Hold[],
    estimateUsd: number,
    t: number,
  ): Maybe<Reservation> {
    for (; i < list.length; i++) {
      const { budget, subject } = list[i] as { budget: BudgetConfig; subject: string };
      const { counter, end } = this.counterOf(budget, subject, t);
      const answer = this.store.incrByIfWithin(counter, estimateUsd, budget.limitUsd, end);
      if (answer instanceof Promise) {
        const at = i;
        return answer.then((r) => {
          const refused = this.took(budget, subject, counter, end, r, holds, estimateUsd, t);
          return refused ?? this.reserveFrom(list, at + 1, holds, estimateUsd, t);
        });
      }
      const refused = this.took(budget, subject, counter, end, answer, holds, estimateUsd, t);
      if (refused) return refused;
    }
    return { holds };
  }

  /** One budget's answer: a hold added, or the refusal (the holds so far given back first). */
  private took(
    budget: BudgetConfig,
    subject: string,
    counter: string,
    end: number,
    r: { applied: boolean; value: number },
    holds: Hold[],
    estimateUsd: number,
    t: number,
  ): Maybe<Reservation> | undefined {
    this.metrics.remaining(budget, subject, r.value);
    if (r.applied) {
      holds.push({ budget, subject, counter, amount: estimateUsd, end });
      return undefined;
    }
    this.metrics.action(budget, 'refused');
    const refusal: Reservation = {
      holds: [],
      refused: this.exceeded(budget, subject, r.value, estimateUsd, end, t),
      retryAfterMs: end - t,
    };
    const released = this.release(holds);
    return released ? released.then(() => refusal) : refusal;
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
  release(holds: readonly Hold[]): Promise<void> | undefined {
    return settled(holds.map((h) => this.store.incrBy(h.counter, -h.amount, h.end)));
  }

  private boundedFeature(feature: string | undefined): string | undefined {
    if (feature === undefined || this.features.has(feature)) return feature;
    if (this.features.size >= MAX_FEATURES) return 'other';
    this.features.add(feature);
    return feature;
  }

  /** A budget counter's new value, shown in its gauge (once the store has answered). */
  private seen(jobs: Array<Maybe<unknown>>, budget: BudgetConfig, subject: string, v: Maybe<number>): void {
    if (v instanceof Promise) jobs.push(v.then((x) => this.metrics.remaining(budget, subject, x)));
    else this.metrics.remaining(budget, subject, v);
  }

  /**
   * Bill a settled request: real cost in place of the reservations, soft budgets, attribution.
   * A promise only when the store answers with one (Redis).
   */
  settle(
    s: SpendSubject,
    holds: readonly Hold[],
    costUsd: number,
    servedModel: string | undefined,
  ): Promise<void> | undefined {
    const jobs: Array<Maybe<unknown>> = [];
    for (const h of holds) {
      this.seen(jobs, h.budget, h.subject, this.store.incrBy(h.counter, costUsd - h.amount, h.end));
    }
    if (costUsd > 0) {
      for (const { budget, subject } of this.applicable(s, 'soft')) {
        const { counter, end } = this.counterOf(budget, subject);
        this.seen(jobs, budget, subject, this.store.incrBy(counter, costUsd, end));
      }
      const model = servedModel ?? s.model;
      for (const d of ATTRIBUTION) {
        const v = d === 'model' ? model : d === 'feature' ? this.boundedFeature(s.feature) : s[d];
        if (v === undefined) continue;
        const names = this.spendNames.get(d) as Map<string, string>;
        const name = names.get(v) ?? remember(names, v, `${SPEND_PREFIX}${d}:${v}`);
        jobs.push(this.store.incrBy(name, costUsd, NEVER));
      }
      jobs.push(this.store.incrBy(`${SPEND_PREFIX}total`, costUsd, NEVER));
      this.metrics.spend(s.tenant, s.key, model, costUsd);
    }
    return settled(jobs);
  }
}
