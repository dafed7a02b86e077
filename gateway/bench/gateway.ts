/**
 * Bench child: the reference gateway (`startGateway`) with one route to the bench upstream, one
 * virtual key and the priority strategy; everything else at its defaults (timeouts, breaker,
 * retry budget, metrics, request limits). With `all`, every control of `controls.ts` on too.
 *   argv[2]: the upstream's base URL
 *   argv[3]: `plain` (default), `all`, or control names of `controls.ts` joined by `+` (`rate limits+budgets`)
 */
import { GatewayConfigSchema } from '../config/schema.js';
import { startGateway } from '../server.js';
import { allControls, withControls, type BenchSetup } from './controls.js';
import { BENCH_KEY, BENCH_MODEL, serveBench } from './protocol.js';

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: gateway.ts <upstream URL> [plain|all]');

const plain: BenchSetup = {
  config: {
    listen: { host: '127.0.0.1', port: 0 },
    upstreams: [{ id: 'bench/local', provider: 'bench', region: 'local', url: upstream }],
    routes: [{ model: BENCH_MODEL, strategy: 'priority', targets: [{ upstream: 'bench/local' }] }],
    keys: [{ id: 'bench', key: BENCH_KEY, tenant: 'bench' }],
    prices: { [BENCH_MODEL]: { input: 1, output: 2 } },
  },
  options: {},
};
const which = process.argv[3] ?? 'plain';
const setup = which === 'all' ? allControls(plain) : which === 'plain' ? plain : withControls(plain, which.split('+'));

const gw = await startGateway(GatewayConfigSchema.parse(setup.config), setup.options);
await serveBench(gw.url, () => gw.close());
