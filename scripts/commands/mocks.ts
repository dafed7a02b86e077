import { loadFleet, loadTimeline, resolveFleetFile, startFleet } from '../../mock-providers/index.js';
import { StormlabError } from '../../core/errors.js';
import { optNumber, optString, type Command } from '../args.js';
import { untilInterrupted } from '../lab/processes.js';

export const mocksCommand: Command = {
  name: 'mocks',
  summary: 'run the mock provider fleet alone until interrupted',
  help: `
Usage: stormlab mocks [--fleet NAME|FILE] [--base-port N] [--ledger FILE] [--timeline FILE] [--chaos-log FILE] [--json]

Starts one HTTP listener per provider × region of the fleet on loopback (free ports) and the
fleet's control API (loopback only), prints where they listen and serves until Ctrl-C. Started
by \`stormlab run\` (with an IPC channel to it), it also stops when that parent goes away.

Options:
  --fleet NAME|FILE   fleet YAML, or a name in mock-providers/fleets/ (default: default)
  --base-port N       stable ports: endpoint i (in fleet order) on N + i, the control API on the
                      next one (default: free ports)
  --ledger FILE       append one NDJSON line per upstream call to FILE
  --timeline FILE     a chaos timeline (YAML list of {at, for, fault, scope, probability, params})
                      started when the fleet is ready
  --chaos-log FILE    append one NDJSON line per fault start and stop to FILE
  --json              print {"control": URL, "endpoints": [...]} as one JSON line instead
  -h, --help          this help

Output (one line per endpoint, then the control API):
  <provider>/<region> <api-format> <url>
  control <url>

Control API (toxiproxy-style): GET /faults, POST /faults, DELETE /faults/{id}, POST /reset,
POST /timeline {startAtMs?, events}, GET /endpoints, GET /events.
`,
  options: {
    fleet: { type: 'string' },
    ledger: { type: 'string' },
    timeline: { type: 'string' },
    'chaos-log': { type: 'string' },
    json: { type: 'boolean' },
    'base-port': { type: 'string' },
  },
  async run({ values }, io) {
    const fleet = loadFleet(resolveFleetFile(optString(values, 'fleet') ?? 'default'));
    const timelineFile = optString(values, 'timeline');
    const timeline = timelineFile ? loadTimeline(timelineFile, fleet) : undefined;
    const basePort = optNumber(values, 'base-port', (n) => Number.isInteger(n) && n >= 1 && n <= 65000, 'a port number from 1 to 65000');
    const running = await startFleet(fleet, {
      ledger: optString(values, 'ledger'),
      chaosLog: optString(values, 'chaos-log'),
      ...(basePort === undefined ? {} : { basePort }),
    }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EADDRINUSE' && e.code !== 'EACCES') throw e;
      throw new StormlabError('SL_USAGE', `cannot listen on a port from --base-port ${basePort}: ${e.message}`, [
        { path: '--base-port', expected: 'a range of free ports (one per endpoint, plus one for the control API)', received: String(basePort) },
      ]);
    });
    try {
      if (timeline) await running.applyTimeline(timeline);
      if (values.json === true) io.stdout.write(`${JSON.stringify({ control: running.control, endpoints: running.endpoints })}\n`);
      else {
        for (const e of running.endpoints) io.stdout.write(`${e.id} ${e.format} ${e.url}\n`);
        io.stdout.write(`control ${running.control}\n`);
      }
      await untilInterrupted();
    } finally {
      await running.close();
    }
    return 0;
  },
};
