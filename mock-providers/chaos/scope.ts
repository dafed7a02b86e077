/** Does a fault's scope cover a call, and does a scope name things the fleet has? */
import type { ErrorDetail } from '../../core/errors.js';
import type { ChaosScope } from './timeline-schema.js';

/** What a scope is matched against. `model`/`key` are null when the request named none. */
export interface ScopeTarget {
  provider: string;
  region: string;
  model: string | null;
  key: string | null;
}

const covers = (want: string | string[] | undefined, have: string | null): boolean =>
  want === undefined || (have !== null && (typeof want === 'string' ? want === have : want.includes(have)));

export function scopeMatches(scope: ChaosScope, t: ScopeTarget): boolean {
  return covers(scope.provider, t.provider) && covers(scope.region, t.region) && covers(scope.model, t.model) && covers(scope.key, t.key);
}

/** The names a fleet has, for checking scopes (keys are free-form). */
export interface FleetNames {
  provider: ReadonlySet<string>;
  region: ReadonlySet<string>;
  model: ReadonlySet<string>;
}

/** One detail per scope name the fleet does not have (a typo would otherwise never match anything). */
export function unknownScopeNames(scope: ChaosScope, names: FleetNames, pathPrefix: string): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const key of ['provider', 'region', 'model'] as const) {
    const want = scope[key];
    if (want === undefined) continue;
    const list = typeof want === 'string' ? [want] : want;
    list.forEach((name, i) => {
      if (names[key].has(name)) return;
      const at = typeof want === 'string' ? '' : `[${i}]`;
      out.push({ path: `${pathPrefix}scope.${key}${at}`, expected: `one of ${[...names[key]].join(', ')}`, received: name });
    });
  }
  return out;
}
