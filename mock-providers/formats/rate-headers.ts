/** How APIs write a time until reset: OpenAI's `6m0s` / `1.5s` / `120ms`, Anthropic's RFC 3339 instant. */

const trim = (n: number): string => String(Math.round(n * 1000) / 1000);

export function goDuration(ms: number): string {
  const t = Math.max(0, ms);
  if (t < 1000) return `${Math.ceil(t)}ms`;
  if (t < 60_000) return `${trim(t / 1000)}s`;
  const m = Math.floor(t / 60_000);
  return `${m}m${trim((t - m * 60_000) / 1000)}s`;
}

export function rfc3339After(nowMs: number, ms: number): string {
  return new Date(Math.ceil((nowMs + Math.max(0, ms)) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
