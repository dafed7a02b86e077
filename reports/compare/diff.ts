/**
 * Pure: the differences between two JSON documents (resolved spec, gateway config, fleet) as
 * dotted paths with both values. Loopback URLs are compared without their port: every run binds
 * fresh ports, which is not a difference in configuration.
 */

export interface JsonDifference {
  path: string;
  /** JSON text of the value in each document; `(absent)` when it has none */
  a: string;
  b: string;
}

export const ABSENT = '(absent)';
const LOOPBACK = /^(https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])):\d+/;

function normalize(v: unknown): unknown {
  return typeof v === 'string' ? v.replace(LOOPBACK, '$1:*') : v;
}

function text(v: unknown): string {
  return v === undefined ? ABSENT : JSON.stringify(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/** Differences from `a` to `b`, at most `limit` (then `truncated`). */
export function diffJson(a: unknown, b: unknown, limit = 200): { differences: JsonDifference[]; truncated: boolean } {
  const out: JsonDifference[] = [];
  let truncated = false;
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (out.length >= limit) {
      truncated = true;
      return;
    }
    const nx = normalize(x);
    const ny = normalize(y);
    if (isObject(nx) && isObject(ny)) {
      const keys = [...new Set([...Object.keys(nx), ...Object.keys(ny)])].sort();
      for (const k of keys) walk(nx[k], ny[k], join(path, k));
      return;
    }
    if (Array.isArray(nx) && Array.isArray(ny)) {
      for (let i = 0; i < Math.max(nx.length, ny.length); i++) walk(nx[i], ny[i], join(path, i));
      return;
    }
    if (JSON.stringify(nx) !== JSON.stringify(ny)) out.push({ path: path || '(root)', a: text(x), b: text(y) });
  };
  walk(a, b, '');
  return { differences: out, truncated };
}
