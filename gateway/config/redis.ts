/**
 * `redis:` in the gateway config: where shared state lives when several instances must act as
 * one (budgets, rate limits, the exact cache, breaker state). Absent: everything in process.
 *
 * ```yaml
 * redis: { url: redis://127.0.0.1:6379/0, keyPrefix: "stormlab:", commandTimeoutMs: 250 }
 * ```
 */
import { z } from 'zod';

const URL_EXPECTED =
  'a Redis URL such as redis://127.0.0.1:6379/0 (redis:// or rediss://, a host, an optional port and database number)';

/** Why `raw` is not a usable Redis URL, or undefined when it is. */
export function redisUrlProblem(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return `scheme "${u.protocol.replace(/:$/, '')}"`;
  if (!u.hostname) return 'no host';
  const path = u.pathname;
  if (path !== '' && path !== '/' && !/^\/\d{1,2}$/.test(path)) return `path "${path}" (only a database number)`;
  if (u.search || u.hash) return 'a query or fragment';
  return undefined;
}

const ms = z.int().positive();

export const RedisConfigSchema = z.strictObject({
  url: z.string().superRefine((v, ctx) => {
    const problem = redisUrlProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: `${URL_EXPECTED}; got ${problem}` });
  }),
  /** put before every key, so several labs can share one Redis */
  keyPrefix: z.string().max(64).default('stormlab:'),
  /** how long start-up waits for the first connection before serving from in-process state */
  connectTimeoutMs: ms.max(60_000).default(1_000),
  /** a command not answered within this is failed and the gateway falls back to in-process state */
  commandTimeoutMs: ms.max(10_000).default(500),
  /** while on the fallback, how often the gateway checks whether Redis is back */
  probeMs: ms.max(60_000).default(1_000),
  /** how often each instance reads the breaker states the others published */
  breakerSyncMs: ms.max(60_000).default(500),
});
export type RedisConfig = z.output<typeof RedisConfigSchema>;
