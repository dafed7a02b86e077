/** The API key of a request, wherever its API puts it: what rate limits and fault scopes key on. */
import type { IncomingHttpHeaders } from 'node:http';

const KEY_HEADERS = ['x-api-key', 'api-key', 'x-goog-api-key'] as const;

/** `Authorization: Bearer K`, `x-api-key` (Anthropic), `api-key` (Azure), `x-goog-api-key` or `?key=` (Google); null when none. */
export function apiKey(headers: IncomingHttpHeaders, query: Readonly<Record<string, string | undefined>>): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)/i.exec(auth);
    if (m) return m[1]!;
  }
  for (const h of KEY_HEADERS) {
    const v = headers[h];
    if (typeof v === 'string' && v.length > 0) return v;
  }
  return query.key ? query.key : null;
}
