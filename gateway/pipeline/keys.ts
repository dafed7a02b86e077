/**
 * Virtual API keys → principals. Only SHA-256 digests of key material are held; a lookup hashes
 * the presented key once. Key material never reaches logs, metrics, headers or error messages.
 */
import { hash } from 'node:crypto';
import { StormlabError } from '../../core/errors.js';
import type { KeyConfig } from '../config/keys.js';
import type { Principal } from '../domain/types.js';

/** one-shot: about 5× cheaper than a Hash object for a key-sized input (it runs on every request) */
const digest = (key: string): string => hash('sha256', key, 'hex');
const LEVEL = { P0: 0, P1: 1, P2: 2 } as const;

export interface KeyStore {
  /** the gateway requires a key (it has a `keys` section) */
  readonly required: boolean;
  lookup(key: string): Principal | undefined;
}

/** Anyone, when the config has no `keys`: a local, open gateway. */
export const ANONYMOUS: Principal = {
  keyId: 'anonymous',
  tenant: 'anonymous',
  user: undefined,
  tier: 'standard',
  features: undefined,
  models: undefined,
  homeRegion: undefined,
  maxPriority: 0,
  admin: false,
};

export function principalOf(k: KeyConfig): Principal {
  return {
    keyId: k.id,
    tenant: k.tenant,
    user: k.user,
    tier: k.tier,
    features: k.features,
    models: k.models,
    homeRegion: k.homeRegion,
    maxPriority: LEVEL[k.maxPriority],
    admin: k.admin,
  };
}

/** Build the store; a `keyEnv` naming an unset variable is a config error naming the key. */
export function createKeyStore(keys: readonly KeyConfig[] | undefined, env: NodeJS.ProcessEnv = process.env): KeyStore {
  if (!keys) return { required: false, lookup: () => ANONYMOUS };
  const byDigest = new Map<string, Principal>();
  keys.forEach((k, i) => {
    let hash = k.sha256;
    if (k.key !== undefined) hash = digest(k.key);
    if (k.keyEnv !== undefined) {
      const value = env[k.keyEnv];
      if (!value) {
        throw new StormlabError('SL_CONFIG_INVALID', `key "${k.id}": environment variable ${k.keyEnv} is not set`, [
          { path: `keys[${i}].keyEnv`, expected: `an environment variable holding the key (${k.keyEnv} is unset or empty)` },
        ]);
      }
      hash = digest(value);
    }
    byDigest.set(hash as string, principalOf(k));
  });
  return { required: true, lookup: (key) => byDigest.get(digest(key)) };
}

/** The key a request presents: `Authorization: Bearer <key>`, or `x-api-key` / `api-key` (Anthropic and Azure clients). */
export function presentedKey(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  for (const h of ['x-api-key', 'api-key']) {
    const v = headers[h];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return undefined;
}
