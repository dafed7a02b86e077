import { Pool } from 'undici';
import type { WireFormat } from '../domain/format.js';
import type { Upstream } from '../domain/types.js';
import { zoneOf, type UpstreamConfig } from '../config/upstream.js';

/** Join the URL's path prefix and a format's path; a prefix ending in /v1 is not doubled. */
export function joinPath(prefix: string, path: string): string {
  const base = prefix.replace(/\/+$/, '');
  if (base.endsWith('/v1') && path.startsWith('/v1/')) return base + path.slice(3);
  return base + path;
}

/**
 * A live upstream with its own undici Pool (`connections` sockets, keep-alive). Header and body
 * timeouts are set per request (they are per route), so the pool's own are off.
 */
export function createUpstream(config: UpstreamConfig, url: string, apiKey: string | undefined, format: WireFormat, connectMs: number): Upstream {
  const parsed = new URL(url);
  const pool = new Pool(parsed.origin, { connections: config.connections, connectTimeout: connectMs, pipelining: 1 });
  return {
    id: config.id,
    provider: config.provider,
    region: config.region,
    zone: zoneOf(config),
    format,
    url,
    basePath: parsed.pathname,
    headers: format.authHeaders(apiKey),
    pool,
    prefill: config.prefill,
  };
}

/** Close every pool; in-flight requests are cut (the server has stopped taking requests first). */
export async function closeUpstreams(upstreams: Iterable<Upstream>): Promise<void> {
  await Promise.all([...upstreams].map((u) => u.pool.destroy()));
}
