/**
 * Group mapping shared by the task, tier and complexity strategies: a request's key (feature,
 * tier, complexity level) names a target group; that group's targets go first, by priority.
 * `strict` leaves the other groups out; otherwise they follow, by priority, as fallbacks.
 */
import { z } from 'zod';
import type { TargetConfigView } from '../domain/strategy.js';
import type { Target } from '../domain/types.js';
import { byPriority } from './order.js';

export const groupName = z.string().min(1);

/** Options every group-mapping strategy has besides its mapping. */
export const groupFallbackFields = {
  /** the group for a request whose key the mapping does not name; absent = no preference */
  default: groupName.optional(),
  /** only the mapped group's targets are tried (none left = the request fails); else the rest follow */
  strict: z.boolean().default(false),
};

/** The mapped group's candidates first (by priority); the rest after unless strict. No group: by priority. */
export function orderByGroup(candidates: readonly Target[], group: string | undefined, strict: boolean): Target[] {
  const ordered = byPriority(candidates);
  if (group === undefined) return ordered;
  const inGroup = ordered.filter((t) => t.group === group);
  if (strict) return inGroup;
  return [...inGroup, ...ordered.filter((t) => t.group !== group)];
}

/** `orderByGroup` for the group `key` maps to (else `options.default`). */
export function orderByMapping(
  candidates: readonly Target[],
  mapping: Readonly<Record<string, string | undefined>>,
  key: string | undefined,
  options: { readonly default?: string | undefined; readonly strict: boolean },
): Target[] {
  return orderByGroup(candidates, groupFor(mapping, key, options.default), options.strict);
}

/** The group for `key`: the mapping's entry, else the default. */
export function groupFor(
  mapping: Readonly<Record<string, string | undefined>>,
  key: string | undefined,
  fallback: string | undefined,
): string | undefined {
  return (key !== undefined && Object.hasOwn(mapping, key) ? mapping[key] : undefined) ?? fallback;
}

/** Every group the mapping or default names must be some target's group; issues carry the option's path. */
export function checkGroups(
  mapKey: string,
  mapping: Readonly<Record<string, string | undefined>>,
  fallback: string | undefined,
  targets: readonly TargetConfigView[],
): Array<{ path: (string | number)[]; message: string }> {
  const groups = new Set(targets.flatMap((t) => (t.group === undefined ? [] : [t.group])));
  const known = groups.size === 0 ? 'no target has a group' : `groups: ${[...groups].join(', ')}`;
  const issues: Array<{ path: (string | number)[]; message: string }> = [];
  const message = (group: string): string => `no target of this route is in group '${group}' (${known})`;
  for (const [key, group] of Object.entries(mapping)) {
    if (group === undefined || groups.has(group)) continue;
    issues.push({ path: ['strategy', mapKey, key], message: message(group) });
  }
  if (fallback !== undefined && !groups.has(fallback)) {
    issues.push({ path: ['strategy', 'default'], message: message(fallback) });
  }
  return issues;
}
