/**
 * Gate rules (YAML, zod-validated): per metric, how much worse than the baseline the current
 * runs may be — relative (`+10%`) or absolute in the metric's unit (`+0.01` is one point of a
 * rate, `+50` is 50 ms) — and/or absolute bounds (`max`, `min`) that need no baseline.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfigFile } from '../../core/config-file.js';

export const GATE_METRIC_KEYS = ['ttft_p99', 'e2e_p99', 'error_rate', 'cost_per_1k', 'cache_hit_rate', 'dropped_rate'] as const;
export type GateMetricKey = (typeof GATE_METRIC_KEYS)[number];

export interface Limit {
  kind: 'relative' | 'absolute';
  /** ≥ 0: a fraction for relative limits (0.1 = 10%), else in the metric's unit */
  amount: number;
  /** as written, for the verdict */
  text: string;
}

const LIMIT_TEXT = /^([+-])?(\d+(?:\.\d+)?|\.\d+)(%)?$/;

/** A limit on a change: `+10%`, `10%`, `+0.01`, 0.01 (for an increase) or `-5%`, `-0.05` (for a decrease). */
function limitSchema(sign: '+' | '-') {
  const expected = sign === '+' ? 'an increase such as "+10%" (relative) or "+0.01" (absolute, in the metric unit)' : 'a decrease such as "-5%" (relative) or "-0.05" (absolute, in the metric unit)';
  return z.union([z.number().nonnegative(), z.string()]).transform((v, ctx): Limit => {
    if (typeof v === 'number') return { kind: 'absolute', amount: v, text: `${sign}${v}` };
    const m = LIMIT_TEXT.exec(v.trim());
    if (!m || (m[1] !== undefined && m[1] !== sign)) {
      ctx.addIssue({ code: 'custom', message: expected });
      return z.NEVER;
    }
    const n = Number(m[2]);
    return m[3] ? { kind: 'relative', amount: n / 100, text: `${sign}${m[2]}%` } : { kind: 'absolute', amount: n, text: `${sign}${m[2]}` };
  });
}

export const RuleSchema = z
  .strictObject({
    /** the current runs may be at most this much higher than the baseline */
    maxIncrease: limitSchema('+').optional(),
    /** the current runs may be at most this much lower than the baseline */
    maxDecrease: limitSchema('-').optional(),
    /** an absolute ceiling on the current runs, in the metric's unit */
    max: z.number().optional(),
    /** an absolute floor on the current runs, in the metric's unit */
    min: z.number().optional(),
  })
  .refine((r) => r.maxIncrease !== undefined || r.maxDecrease !== undefined || r.max !== undefined || r.min !== undefined, {
    message: 'at least one of maxIncrease, maxDecrease, max, min',
  });
export type Rule = z.output<typeof RuleSchema>;

export const GateRulesSchema = z.strictObject({
  /** two-sided confidence of the bootstrap intervals */
  confidence: z.number().gt(0.5).lt(1).default(0.95),
  /** bootstrap resamples per rule */
  resamples: z.int().min(100).max(100_000).default(2000),
  /** seed of the resampling: the same inputs and seed give the same verdict */
  seed: z.int().nonnegative().default(1),
  rules: z.strictObject({
    ttft_p99: RuleSchema.optional(),
    e2e_p99: RuleSchema.optional(),
    error_rate: RuleSchema.optional(),
    cost_per_1k: RuleSchema.optional(),
    cache_hit_rate: RuleSchema.optional(),
    dropped_rate: RuleSchema.optional(),
  }),
});
export type GateRules = z.output<typeof GateRulesSchema>;

export const DEFAULT_RULES_FILE = fileURLToPath(new URL('./default-rules.yaml', import.meta.url));

export function loadGateRules(file = DEFAULT_RULES_FILE): GateRules {
  return loadConfigFile(GateRulesSchema, file, 'gate rules');
}
