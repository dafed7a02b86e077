/**
 * Who a request is, as budgets and rate limits see it, and the two questions both ask of it:
 * does a policy's `match` cover the request, and which counter subject (`acme`, `acme/search`)
 * does its `per` put it in.
 */

/** The request's dimensions (the route model after any degradation). */
export interface RequestSubject {
  readonly key: string;
  readonly tenant: string;
  readonly tier: string;
  readonly user: string | undefined;
  readonly feature: string | undefined;
  model: string;
}

export type SubjectField = 'key' | 'tenant' | 'tier' | 'user' | 'feature' | 'model';

export type SubjectMatch = Partial<Record<SubjectField, readonly string[]>>;

/** Whether the request has every listed value (a request without a listed dimension does not match). */
export function matchesSubject(match: SubjectMatch, s: RequestSubject): boolean {
  for (const field in match) {
    const allowed = match[field as SubjectField];
    const v = s[field as SubjectField];
    if (allowed && (v === undefined || !allowed.includes(v))) return false;
  }
  return true;
}

/** The counter subject for `per` (`trial-co`, `acme/search`), or undefined when a dimension is absent. */
export function subjectOf(per: readonly SubjectField[], s: RequestSubject): string | undefined {
  if (per.length === 0) return '';
  let out = s[per[0] as SubjectField];
  for (let i = 1; i < per.length && out !== undefined; i++) {
    const v = s[per[i] as SubjectField];
    out = v === undefined ? undefined : `${out}/${v}`;
  }
  return out;
}
