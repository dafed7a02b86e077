/**
 * Orderings the strategies share. Candidates arrive in the route's order and `Array.sort` is
 * stable, so every tie ends in route (config) order.
 */
import type { Target } from '../domain/types.js';

/** Lowest `priority` first; ties in the order given. */
export function byPriority(candidates: readonly Target[]): Target[] {
  return [...candidates].sort((a, b) => a.priority - b.priority);
}

/** Lowest `key` first; ties by priority, then in the order given. */
export function byKey(candidates: readonly Target[], key: (t: Target) => number): Target[] {
  const keys = new Map(candidates.map((t) => [t, key(t)]));
  return [...candidates].sort((a, b) => (keys.get(a) ?? 0) - (keys.get(b) ?? 0) || a.priority - b.priority);
}
