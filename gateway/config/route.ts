/** `routes[]`: a client-facing model name, its targets, how to choose among them, its timeouts. */
import { z } from 'zod';
import { StrategyConfigSchema } from '../routing/registry.js';
import { TimeoutOverridesSchema } from './timeouts.js';

export const TargetSchema = z.strictObject({
  upstream: z.string().min(1),
  /** model name to ask this upstream for; defaults to the route's model */
  model: z.string().min(1).optional(),
  /** lower is tried first by `priority`; defaults to the position in the list (1, 2, …) */
  priority: z.number().optional(),
  /** share for `weighted` (a route's weights sum to 100) */
  weight: z.number().positive().max(100).optional(),
  /** a label strategies map requests to (`task`, `tier`, `complexity`), e.g. cheap | mid | frontier */
  group: z.string().min(1).optional(),
});

const resolveTargets = (route: string, targets: Array<z.output<typeof TargetSchema>>) =>
  targets.map((t, i) => ({ upstream: t.upstream, model: t.model ?? route, priority: t.priority ?? i + 1, weight: t.weight, group: t.group }));

export const RouteSchema = z
  .strictObject({
    /** the model name clients ask for */
    model: z.string().min(1),
    strategy: StrategyConfigSchema.prefault('priority'),
    targets: z.array(TargetSchema).min(1),
    /** tried, in order, only when every target said the prompt is over its context window */
    contextFallback: z.array(TargetSchema).default([]),
    timeouts: TimeoutOverridesSchema.default({}),
  })
  .transform((r) => ({ ...r, targets: resolveTargets(r.model, r.targets), contextFallback: resolveTargets(r.model, r.contextFallback) }));
export type RouteConfig = z.output<typeof RouteSchema>;
export type TargetConfig = RouteConfig['targets'][number];
