/**
 * `budgets[]`: spend caps in USD over a period. `per` names the dimension(s) a budget counts
 * by — one counter per key, user, feature, tenant or route model (or a combination) —
 * and `match` narrows the requests it applies to. `mode: hard` refuses a request that could
 * take the spend over the cap (GW_BUDGET_EXCEEDED, Retry-After to the reset); `mode: soft`
 * sends requests to `degradeTo` (a cheaper routed model) once the cap is reached.
 */
import { z } from 'zod';
import { DURATION_RE } from '../../core/duration.js';

export const BUDGET_DIMENSIONS = ['key', 'user', 'feature', 'tenant', 'model'] as const;
export type BudgetDimension = (typeof BUDGET_DIMENSIONS)[number];
export const CALENDAR_PERIODS = ['hour', 'day', 'week', 'month'] as const;
const PERIOD_EXPECTED = 'a period: hour, day, week, month (UTC calendar) or a duration such as 12h';

const label = z.string().min(1);
const oneOrMore = z.union([label, z.array(label).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

export const BudgetSchema = z
  .strictObject({
    /** names the budget in errors, headers, metrics and /admin/spend */
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'a label of letters, digits and ._- (1–64 characters)' }),
    per: z
      .union([z.enum(BUDGET_DIMENSIONS), z.array(z.enum(BUDGET_DIMENSIONS)).min(1)])
      .transform((v) => (Array.isArray(v) ? v : [v])),
    /** only requests whose principal/feature/model match every listed value count */
    match: z
      .strictObject({ key: oneOrMore, user: oneOrMore, tenant: oneOrMore, tier: oneOrMore, feature: oneOrMore, model: oneOrMore })
      .partial()
      .default({}),
    limitUsd: z.number().positive(),
    /** checked in superRefine so a missing period names what is expected */
    period: z.string().optional(),
    mode: z.enum(['hard', 'soft']).default('hard'),
    /** soft budgets: the routed model requests go to once the cap is reached */
    degradeTo: z.string().min(1).optional(),
  })
  .superRefine((b, ctx) => {
    const p = b.period;
    if (p === undefined || !((CALENDAR_PERIODS as readonly string[]).includes(p) || DURATION_RE.test(p))) {
      ctx.addIssue({ code: 'custom', path: ['period'], message: PERIOD_EXPECTED, input: p });
    }
    if (b.mode === 'soft' && b.degradeTo === undefined) {
      ctx.addIssue({ code: 'custom', path: ['degradeTo'], message: 'a routed model to degrade to (a soft budget needs degradeTo)' });
    }
    if (b.mode === 'hard' && b.degradeTo !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['degradeTo'], message: 'no degradeTo on a hard budget (use mode: soft)' });
    }
  });
export type BudgetConfig = z.output<typeof BudgetSchema>;

export const AdminSchema = z.strictObject({
  /** loopback callers may read /admin/* without an admin key */
  loopback: z.boolean().default(true),
});
