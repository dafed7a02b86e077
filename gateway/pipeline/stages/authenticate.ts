/** auth: the virtual key → the principal. Missing or unknown → 401, without echoing the key. */
import { StormlabError } from '../../../core/errors.js';
import { presentedKey } from '../keys.js';
import type { RequestContext } from '../context.js';
import type { PipelineDeps } from '../deps.js';

export function authenticate(ctx: RequestContext, deps: PipelineDeps): void {
  const key = presentedKey(ctx.http.headers);
  if (!deps.keys.required) {
    ctx.principal = deps.keys.lookup(key ?? '') as NonNullable<ReturnType<typeof deps.keys.lookup>>;
    return;
  }
  if (key === undefined) {
    throw new StormlabError('GW_UNAUTHORIZED', 'no API key: send "Authorization: Bearer <key>"', [{ path: 'authorization', expected: 'Bearer <key>' }]);
  }
  const principal = deps.keys.lookup(key);
  if (!principal) throw new StormlabError('GW_UNAUTHORIZED', 'the API key is not valid for this gateway', [{ path: 'authorization' }]);
  ctx.principal = principal;
}
