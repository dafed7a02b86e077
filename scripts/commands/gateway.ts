import { loadGatewayConfig, resolveGatewayConfigFile, startGateway } from '../../gateway/index.js';
import { optNumber, optString, type Command } from '../args.js';
import { untilInterrupted } from '../lab/processes.js';
import { readUpstreams } from '../lab/upstreams.js';

export const gatewayCommand: Command = {
  name: 'gateway',
  summary: 'run the reference gateway alone until interrupted',
  help: `
Usage: stormlab gateway [--config NAME|FILE] [--port N] [--host H] [--upstreams FILE|JSON] [--json] [--log]

Serves the OpenAI-compatible gateway (POST /v1/chat/completions, POST /v1/embeddings,
GET /v1/models, GET /metrics, GET /healthz) until Ctrl-C. Clients send one of the config's
virtual keys as "Authorization: Bearer <key>" (the default config's lab key: sk-stormlab-lab).
Started by \`stormlab run\` (with an IPC channel to it), it also stops when that parent goes away.

Options:
  --config NAME|FILE    gateway YAML, or a name in gateway/configs/ (default: default), or
                        strategies/<name> in gateway/configs/strategies/
  --port N              port to listen on (default: the config's listen.port; 0 = any free port)
  --host H              address to bind (default: the config's listen.host)
  --upstreams FILE|JSON upstream URLs for upstreams whose config has no url: the output of
                        \`stormlab mocks --json\` (a file or inline), or {"<upstream id>": "<url>"}
  --json                print {"url": ...} instead of a sentence once listening
  --log                 one JSON log line per request on stderr (never the key material)
  -h, --help            this help

Example:
  stormlab mocks --json > /tmp/fleet.json &
  stormlab gateway --upstreams /tmp/fleet.json --port 8080
`,
  options: {
    config: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    upstreams: { type: 'string' },
    json: { type: 'boolean' },
    log: { type: 'boolean' },
  },
  async run({ values }, io) {
    const config = loadGatewayConfig(resolveGatewayConfigFile(optString(values, 'config') ?? 'default'));
    const port = optNumber(values, 'port', (n) => Number.isInteger(n) && n >= 0 && n < 65536, 'a port number 0–65535');
    const upstreamsArg = optString(values, 'upstreams');
    const gw = await startGateway(config, {
      port,
      host: optString(values, 'host'),
      upstreamUrls: upstreamsArg ? readUpstreams(upstreamsArg) : undefined,
      logger: values.log === true,
    });
    io.stdout.write(values.json === true ? `${JSON.stringify({ url: gw.url })}\n` : `gateway listening on ${gw.url}\n`);
    await untilInterrupted();
    await gw.close();
    return 0;
  },
};
