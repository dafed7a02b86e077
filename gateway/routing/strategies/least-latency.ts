/**
 * `least-latency`: targets by their exponential moving average of time to first content
 * (`stats.ttftEmaMs`, fed by the settle stage). The first target is the faster of two picked at
 * random (power of two choices: near-best latency without sending every request to the one
 * fastest target while its average catches up); the rest follow by average, fastest first.
 * Targets not observed yet go first (`unobserved: first`, the default, fewest in flight first,
 * so each gets measured) or last (`unobserved: last`).
 */
import { z } from 'zod';
import type { StrategyUnit } from '../../domain/strategy.js';
import type { Target } from '../../domain/types.js';
import { byKey } from '../order.js';

export const LeastLatencyOptionsSchema = z.strictObject({
  type: z.literal('least-latency'),
  unobserved: z.enum(['first', 'last']).default('first'),
});

export const leastLatencyUnit = {
  name: 'least-latency',
  options: LeastLatencyOptionsSchema,
  create: (options, _targets, deps) => ({
    name: 'least-latency',
    order(_input, candidates) {
      const observed = candidates.filter((t) => t.stats.ttftEmaMs !== undefined);
      const fresh = byKey(
        candidates.filter((t) => t.stats.ttftEmaMs === undefined),
        (t) => t.stats.inFlight,
      );
      const measured = byKey(observed, ema);
      if (observed.length >= 2) {
        const first = twoChoices(observed, measured, deps.random);
        measured.splice(measured.indexOf(first), 1);
        measured.unshift(first);
      }
      return options.unobserved === 'first' ? [...fresh, ...measured] : [...measured, ...fresh];
    },
  }),
} satisfies StrategyUnit<typeof LeastLatencyOptionsSchema>;

function ema(t: Target): number {
  return t.stats.ttftEmaMs ?? Number.POSITIVE_INFINITY;
}

/** Two distinct candidates at random; the one earlier in `ranked` (faster, or tied and preferred) wins. */
function twoChoices(observed: readonly Target[], ranked: readonly Target[], random: () => number): Target {
  const n = observed.length;
  const i = Math.min(n - 1, Math.floor(random() * n));
  const j = (i + 1 + Math.min(n - 2, Math.floor(random() * (n - 1)))) % n;
  const a = observed[i] as Target;
  const b = observed[j] as Target;
  return ranked.indexOf(a) <= ranked.indexOf(b) ? a : b;
}
