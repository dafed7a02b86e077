import { Pool } from 'undici';
import type { GatewayConfig, UpstreamConfig } from '../config-schema.js';
import { getFormat } from '../formats/registry.js';
import type { Upstream } from './types.js';

/** Join the URL's path prefix and the format's path; a prefix ending in /v1 is not doubled. */
export function joinPath(prefix: string, path: string): string {
  const base = prefix.replace(/\/+$/, '');
  if (base.endsWith('/v1') && path.startsWith('/v1/')) return base + path.slice(3);
  return base + path;
}

/** A live upstream with its own undici Pool (`connections` sockets, keep-alive). */
export function createUpstream(
  config: UpstreamConfig,
  url: string,
  apiKey: string | undefined,
  timeouts: GatewayConfig['timeouts'],
): Upstream {
  const parsed = new URL(url);
  const format = getFormat(config.format);
  const pool = new Pool(parsed.origin, {
    connections: config.connections,
    connectTimeout: timeouts.connectMs,
    headersTimeout: timeouts.firstByteMs,
    bodyTimeout: timeouts.firstByteMs,
  });
  return {
    id: config.id,
    provider: config.provider,
    region: config.region,
    format,
    url,
    // model-independent for openai and anthropic; gemini's path names the model (the new pipeline asks per attempt)
    chatPath: joinPath(parsed.pathname, format.chatPath('', false)),
    headers: format.authHeaders(apiKey),
    pool,
  };
}

/** Close every pool; in-flight requests are cut (the server has stopped taking requests first). */
export async function closeUpstreams(upstreams: Iterable<Upstream>): Promise<void> {
  await Promise.all([...upstreams].map((u) => u.pool.destroy()));
}
