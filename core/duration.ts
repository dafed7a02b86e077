/** Pure TS: the k6 bundle imports it. Parses k6-style durations: `500ms`, `20s`, `1m30s`, `2h`. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
export const DURATION_RE = /^(\d+(?:\.\d+)?(?:ms|s|m|h))+$/;

export function parseDurationMs(text: string): number {
  const s = text.trim();
  if (!DURATION_RE.test(s)) throw new RangeError(`not a duration: "${text}" (expected e.g. 500ms, 20s, 1m30s)`);
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
  return total;
}

export function formatDuration(ms: number): string {
  if (ms % 1000 !== 0) return `${Math.round(ms)}ms`;
  return `${ms / 1000}s`;
}

