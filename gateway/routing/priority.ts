import type { StrategyFactory } from './types.js';

/** Lowest `priority` first; ties keep the order written in the config. Every call gets the same order. */
export const priorityStrategy: StrategyFactory = (targets) => {
  const ordered = targets
    .map((t, i) => ({ t, i }))
    .sort((a, b) => a.t.priority - b.t.priority || a.i - b.i)
    .map(({ t }) => t);
  return { name: 'priority', order: () => ordered };
};
