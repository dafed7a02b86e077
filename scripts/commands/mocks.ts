import { loadFleet, resolveFleetFile, startFleet } from '../../mock-providers/index.js';
import { optString, type Command } from '../args.js';
import { untilInterrupted } from '../lab/processes.js';

export const mocksCommand: Command = {
  name: 'mocks',
  summary: 'run the mock provider fleet alone until interrupted',
  help: `
Usage: stormlab mocks [--fleet NAME|FILE] [--ledger FILE] [--json]

Starts one HTTP listener per provider × region of the fleet on loopback (free ports), prints one
line per endpoint and serves until Ctrl-C.

Options:
  --fleet NAME|FILE   fleet YAML, or a name in mock-providers/fleets/ (default: default)
  --ledger FILE       append one NDJSON line per upstream call to FILE
  --json              print the endpoints as one JSON array instead of lines
  -h, --help          this help

Output (one line per endpoint):
  <provider>/<region> <api-format> <url>
`,
  options: {
    fleet: { type: 'string' },
    ledger: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values }, io) {
    const fleet = loadFleet(resolveFleetFile(optString(values, 'fleet') ?? 'default'));
    const running = await startFleet(fleet, { ledger: optString(values, 'ledger') });
    if (values.json === true) io.stdout.write(`${JSON.stringify(running.endpoints)}\n`);
    else for (const e of running.endpoints) io.stdout.write(`${e.id} ${e.format} ${e.url}\n`);
    await untilInterrupted();
    await running.close();
    return 0;
  },
};
