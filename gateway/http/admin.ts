/**
 * GET /admin/spend: spend attribution and budget states (admission/spend-report.ts). Answered
 * to loopback callers (unless `admin.loopback: false`) and to keys with `admin: true`; anyone
 * else gets 401 (no key) or 403, and the key is never echoed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StormlabError } from '../../core/errors.js';
import type { Budgets } from '../admission/budgets.js';
import { spendReport } from '../admission/spend-report.js';
import { presentedKey, type KeyStore } from '../pipeline/keys.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export interface AdminDeps {
  readonly keys: KeyStore;
  readonly budgets: Budgets;
  /** loopback callers need no admin key */
  readonly loopback: boolean;
}

function authorize(request: FastifyRequest, deps: AdminDeps): void {
  if (deps.loopback && LOOPBACK.test(request.socket.remoteAddress ?? '')) return;
  const key = presentedKey(request.headers);
  const expected = 'a loopback caller or an admin key (keys[].admin: true)';
  if (key === undefined) {
    throw new StormlabError('GW_UNAUTHORIZED', `the admin endpoints answer ${expected}: send "Authorization: Bearer <admin key>"`, [
      { path: 'authorization', expected },
    ]);
  }
  const principal = deps.keys.lookup(key);
  if (!principal) throw new StormlabError('GW_UNAUTHORIZED', 'the API key is not valid for this gateway', [{ path: 'authorization' }]);
  if (!principal.admin) {
    throw new StormlabError('GW_FORBIDDEN', `key "${principal.keyId}" is not an admin key; the admin endpoints answer ${expected}`, [
      { path: 'authorization', expected },
    ]);
  }
}

export function registerAdmin(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/admin/spend', async (request) => {
    authorize(request, deps);
    return spendReport(deps.budgets);
  });
}
