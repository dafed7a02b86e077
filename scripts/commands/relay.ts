import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseYamlText, validate } from '../../core/config-file.js';
import { StormlabError } from '../../core/errors.js';
import { optString, type Command } from '../args.js';
import { startRelay } from '../lab/latency-relay.js';
import { untilInterrupted } from '../lab/processes.js';

const RoutesSchema = z.array(
  z.strictObject({
    id: z.string().min(1),
    to: z.strictObject({ host: z.string().min(1), port: z.int().min(1).max(65535) }),
    delayMs: z.number().nonnegative().max(10_000),
    handshake: z.boolean().default(false),
  }),
);

export const relayCommand: Command = {
  name: 'relay',
  summary: 'run the lab latency relay (a delaying TCP proxy per route) until interrupted',
  help: `
Usage: stormlab relay --routes FILE|JSON [--host H] [--json]

Listens on a free port per route and forwards each connection to the route's address, delivering
every byte delayMs after it arrived, in both directions (a round trip of 2 × delayMs); with
handshake, a new connection's first bytes wait one round trip more. \`stormlab run\` starts it for
a spec with a topology, one route per region pair.

Options:
  --routes FILE|JSON  [{"id": "eu-west>openai/us-east", "to": {"host": "127.0.0.1", "port": 9001},
                      "delayMs": 40, "handshake": true}, ...]
  --host H            address to bind (default 127.0.0.1)
  --json              print {"listeners": [{"id", "url", "port"}, ...]} once listening
  -h, --help          this help
`,
  options: { routes: { type: 'string' }, host: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    const arg = optString(values, 'routes');
    if (!arg) throw new StormlabError('SL_USAGE', 'relay needs --routes FILE|JSON (see `stormlab relay --help`)');
    const inline = arg.trim().startsWith('[');
    let text = arg;
    if (!inline) {
      try {
        text = readFileSync(arg, 'utf8');
      } catch {
        const detail = { file: arg, expected: 'a JSON array of routes' };
        throw new StormlabError('SL_CONFIG_NOT_FOUND', `cannot read relay routes file ${arg}`, [detail]);
      }
    }
    const source = inline ? '--routes' : arg;
    const routes = validate(RoutesSchema, parseYamlText(text, source), source, 'relay routes');
    const relay = await startRelay(routes, optString(values, 'host') ?? '127.0.0.1');
    const lines = relay.listeners.map((l) => `${l.id} ${l.url}`).join('\n');
    io.stdout.write(`${values.json === true ? JSON.stringify({ listeners: relay.listeners }) : lines}\n`);
    await untilInterrupted();
    await relay.close();
    return 0;
  },
};
