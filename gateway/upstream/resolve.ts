import { StormlabError } from '../../core/errors.js';
import type { UpstreamConfig } from '../config/upstream.js';

export interface ResolvedUpstream {
  config: UpstreamConfig;
  url: string;
  apiKey: string | undefined;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Give every upstream a URL (the config's, else `upstreamUrls[id]`) and its API key.
 * A missing URL is SL_UPSTREAM_UNRESOLVED naming `upstreams[i].url`.
 */
export function resolveUpstreams(
  upstreams: readonly UpstreamConfig[],
  upstreamUrls: Readonly<Record<string, string>> = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedUpstream[] {
  return upstreams.map((config, i) => {
    const url = config.url ?? upstreamUrls[config.id];
    if (url === undefined) {
      throw new StormlabError(
        'SL_UPSTREAM_UNRESOLVED',
        `upstream "${config.id}" has no url: set upstreams[${i}].url in the gateway config, ` +
          'or pass the fleet endpoints at startup (e.g. from `stormlab mocks --json`)',
        [{ path: `upstreams[${i}].url`, expected: `a URL for "${config.id}" in the config or in upstreamUrls` }],
      );
    }
    if (!isHttpUrl(url)) {
      throw new StormlabError('SL_CONFIG_INVALID', `upstream "${config.id}" has an invalid url ${JSON.stringify(url)}`, [
        { path: `upstreamUrls["${config.id}"]`, expected: 'an http(s) URL', received: url },
      ]);
    }
    let apiKey = config.apiKey;
    if (config.apiKeyEnv !== undefined) {
      apiKey = env[config.apiKeyEnv];
      if (!apiKey) {
        throw new StormlabError('SL_CONFIG_INVALID', `upstream "${config.id}" reads its API key from $${config.apiKeyEnv}, which is not set`, [
          { path: `upstreams[${i}].apiKeyEnv`, expected: `environment variable ${config.apiKeyEnv} to be set` },
        ]);
      }
    }
    return { config, url, apiKey };
  });
}
