/**
 * A service-level objective as one short string, `ttft p99<1500ms, errors<1%`: the bound a
 * capacity search holds each step to. Each objective becomes a k6 threshold (`ttft: p(99)<1500`,
 * `http_req_failed: rate<0.01`), so a step is judged by the same evaluator as a spec's thresholds
 * (./thresholds.ts). Pure TS; errors name the flag, the objective and the expected form.
 */
import { z } from 'zod';
import { StormlabError, type ErrorDetail } from '../core/errors.js';
import { parseThreshold } from './thresholds.js';

export const SLO_FORM = '"ttft p99<1500ms, e2e p99<8s, errors<1%" (ttft|e2e|itl with p50…p99.9|avg|med|max, errors as % or a fraction)';

const LATENCY_METRICS = ['ttft', 'e2e', 'itl'] as const;

export const ObjectiveSchema = z.strictObject({
  /** the SLO's word: ttft, e2e, itl or errors */
  name: z.enum([...LATENCY_METRICS, 'errors']),
  /** the sample metric it reads (k6 name) */
  metric: z.enum([...LATENCY_METRICS, 'http_req_failed']),
  /** p99, avg, … for latencies; rate for errors */
  stat: z.string(),
  op: z.enum(['<', '<=']),
  /** ms for latencies, a fraction 0–1 for errors */
  limit: z.number().positive(),
  /** the k6 threshold expression (`p(99)<1500`, `rate<0.01`) */
  threshold: z.string(),
  /** as written */
  source: z.string(),
});
export type Objective = z.output<typeof ObjectiveSchema>;

export const SloSchema = z.strictObject({ text: z.string(), objectives: z.array(ObjectiveSchema).min(1) });
export type Slo = z.output<typeof SloSchema>;

const LATENCY_RE = /^(ttft|e2e|itl)\s+(p\(?(\d+(?:\.\d+)?)\)?|avg|med|max)\s*(<=|<)\s*(\d+(?:\.\d+)?)\s*(ms|s)?$/i;
const ERRORS_RE = /^(errors|error_rate|http_req_failed)\s*(<=|<)\s*(\d+(?:\.\d+)?)\s*(%?)$/i;

function bad(flag: string, index: number, item: string, why: string): StormlabError {
  const detail: ErrorDetail = { path: `${flag}[${index}]`, expected: SLO_FORM, received: JSON.stringify(item) };
  return new StormlabError('SL_USAGE', `${flag} objective ${index + 1} "${item}" ${why}`, [detail]);
}

function parseObjective(item: string, index: number, flag: string): Objective {
  const lat = LATENCY_RE.exec(item);
  if (lat) {
    const [, word, stat, pct, op, value, unit] = lat as unknown as [string, string, string, string | undefined, '<' | '<=', string, string | undefined];
    if (pct !== undefined && !(Number(pct) > 0 && Number(pct) < 100)) throw bad(flag, index, item, 'has a percentile outside 0–100');
    const ms = Number(value) * (unit?.toLowerCase() === 's' ? 1000 : 1);
    if (!(ms > 0)) throw bad(flag, index, item, 'needs a latency bound above 0');
    const k6Stat = pct !== undefined ? `p(${Number(pct)})` : stat.toLowerCase();
    const threshold = `${k6Stat}${op}${ms}`;
    parseThreshold(threshold); // the evaluator must read what we write
    const metric = word.toLowerCase() as (typeof LATENCY_METRICS)[number];
    return { name: metric, metric, stat: pct !== undefined ? `p${Number(pct)}` : k6Stat, op, limit: ms, threshold, source: item };
  }
  const err = ERRORS_RE.exec(item);
  if (err) {
    const [, , op, value, percent] = err as unknown as [string, string, '<' | '<=', string, string];
    const fraction = percent ? Number(value) / 100 : Number(value);
    if (!(fraction > 0 && fraction <= 1)) throw bad(flag, index, item, 'needs an error rate above 0 and at most 100% (or 1)');
    return { name: 'errors', metric: 'http_req_failed', stat: 'rate', op, limit: fraction, threshold: `rate${op}${fraction}`, source: item };
  }
  if (/^(ttft|e2e|itl)\b/i.test(item)) throw bad(flag, index, item, 'is not a latency objective such as "ttft p99<1500ms"');
  if (/^errors?\b/i.test(item)) throw bad(flag, index, item, 'is not an error objective such as "errors<1%"');
  throw bad(flag, index, item, 'names no known objective (ttft, e2e, itl or errors)');
}

/** `--slo "ttft p99<1500ms, errors<1%"` → objectives; bad text is a usage error (exit 2) naming the objective. */
export function parseSlo(text: string, flag = '--slo'): Slo {
  const items = text.split(/[,;]/).map((s) => s.trim());
  if (items.every((s) => s === '')) {
    throw new StormlabError('SL_USAGE', `${flag} is empty`, [{ path: flag, expected: SLO_FORM, received: JSON.stringify(text) }]);
  }
  const objectives = items.map((item, i) => {
    if (item === '') throw bad(flag, i, item, 'is empty (a stray comma?)');
    return parseObjective(item, i, flag);
  });
  const seen = new Set<string>();
  objectives.forEach((o, i) => {
    const key = `${o.metric} ${o.stat}`;
    if (seen.has(key)) throw bad(flag, i, o.source, `repeats ${o.name} ${o.stat}`);
    seen.add(key);
  });
  return SloSchema.parse({ text: objectives.map((o) => o.source).join(', '), objectives });
}

/**
 * The SLO as k6 thresholds keyed by metric. (A rate that drops starts is not sustained either;
 * the capacity report checks the dropped count itself, since k6 fails a threshold on a metric
 * that never got a sample.)
 */
export function sloThresholds(slo: Slo): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const o of slo.objectives) (out[o.metric] ??= []).push(o.threshold);
  return out;
}

/** The SLO as written, with units: `ttft p99 < 1,500 ms, errors < 1%`. */
export function describeObjective(o: Objective): string {
  if (o.metric === 'http_req_failed') return `errors ${o.op} ${Number((o.limit * 100).toPrecision(4))}%`;
  return `${o.name} ${o.stat} ${o.op} ${o.limit.toLocaleString('en-US')} ms`;
}
