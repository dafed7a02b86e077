import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { StormlabError } from '../core/errors.js';
import { buildGateway, type BuildGatewayOptions } from './app.js';
import type { GatewayConfig } from './config/schema.js';

export { buildGateway, type BuildGatewayOptions } from './app.js';

export interface StartGatewayOptions extends BuildGatewayOptions {
  /** overrides `listen.host` */
  host?: string;
  /** overrides `listen.port`; 0 picks a free port (the real one is in `url`) */
  port?: number;
}

export interface RunningGateway {
  /** base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

function urlHost(address: AddressInfo): string {
  const a = address.address;
  if (a === '0.0.0.0') return '127.0.0.1';
  if (a === '::') return '[::1]';
  return address.family === 'IPv6' ? `[${a}]` : a;
}

/** Build the gateway and listen; the returned `url` carries the real port. */
export async function startGateway(config: GatewayConfig, opts: StartGatewayOptions = {}): Promise<RunningGateway> {
  const app = await buildGateway(config, opts);
  const host = opts.host ?? config.listen.host;
  const port = opts.port ?? config.listen.port;
  try {
    await app.listen({ host, port });
  } catch (e) {
    await app.close();
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new StormlabError('SL_CONFIG_INVALID', `gateway cannot listen on ${host}:${port} (${code})`, [
      { path: 'listen', expected: 'a free port on a local address (port 0 picks one)', received: `${host}:${port}` },
    ], { cause: e });
  }
  const url = `http://${urlHost(app.server.address() as AddressInfo)}:${(app.server.address() as AddressInfo).port}`;
  return { url, app, close: () => app.close() };
}
