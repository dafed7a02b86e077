#!/usr/bin/env node
// Test preparation, run by npm as `pretest` before anything else (plain Node: no TypeScript, no dependencies).
// Finds the programs the tests drive — Chromium (the HTML reports' browser test), redis-server and
// prometheus/promtool — and, when one is missing, installs Debian's packages with apt-get (as root on
// Debian), or else says exactly what to install and how, and exits 1.
//
// Environment:
//   STORMLAB_CHROMIUM=/path      the Chromium binary (default /usr/bin/chromium)
//   STORMLAB_REDIS_SERVER=/path  redis-server (default: found on PATH)
//   STORMLAB_PROMETHEUS=/path    prometheus (default: found on PATH)
//   STORMLAB_PROMTOOL=/path      promtool (default: found on PATH)
//   STORMLAB_NO_APT=1            never run apt-get; only report what is missing
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What the tests need: the program, the env var that names it, its default, and the Debian package holding it. */
const TOOLS = [
  { name: 'Chromium', env: 'STORMLAB_CHROMIUM', fallback: '/usr/bin/chromium', pkg: 'chromium', why: 'browser test of the HTML reports' },
  { name: 'redis-server', env: 'STORMLAB_REDIS_SERVER', fallback: 'redis-server', pkg: 'redis-server', why: 'shared gateway state' },
  { name: 'prometheus', env: 'STORMLAB_PROMETHEUS', fallback: 'prometheus', pkg: 'prometheus', why: 'game-day alerts' },
  { name: 'promtool', env: 'STORMLAB_PROMTOOL', fallback: 'promtool', pkg: 'prometheus', why: 'alert-rule checks' },
];

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A path is taken as given; a bare name is looked up on PATH. Returns the binary, or undefined. */
function resolve(spec) {
  if (spec.includes('/')) return isExecutable(spec) ? spec : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, spec))) return join(dir, spec);
  }
  return undefined;
}

function missingTools() {
  return TOOLS.flatMap((tool) => {
    const fromEnv = process.env[tool.env];
    const spec = fromEnv || tool.fallback;
    if (resolve(spec)) return [];
    const where = spec.includes('/') ? `not found at ${spec}` : 'not found on PATH';
    const hint = fromEnv ? ` (from ${tool.env}: correct it, or unset it to use ${tool.fallback})` : '';
    return [{ ...tool, where: `${where}${hint}`, fromEnv: Boolean(fromEnv) }];
  });
}

/** Why apt-get will not be used here, or undefined when it will. */
function noAptReason() {
  if (process.env.STORMLAB_NO_APT === '1') return 'STORMLAB_NO_APT=1 is set';
  if (!existsSync('/etc/debian_version')) return 'this is not Debian';
  if (process.getuid?.() !== 0) return 'not running as root';
  if (!resolve('apt-get')) return 'apt-get is not on PATH';
  return undefined;
}

function run(argv) {
  const r = spawnSync(argv[0], argv.slice(1), {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

function aptInstall(packages) {
  process.stderr.write(`prepare-test: installing ${packages.join(' ')} with apt-get (first run only; a minute or two)\n`);
  return run(['apt-get', 'update', '-qq']) && run(['apt-get', 'install', '-y', '-qq', ...packages]);
}

function explain(missing, reason) {
  const packages = [...new Set(missing.map((t) => t.pkg))];
  const lines = [
    'stormlab: the tests need programs that are not installed:',
    ...missing.map((t) => `  - ${t.name} (${t.why}): ${t.where}`),
    `Not installed automatically: ${reason}.`,
    'Install them on Debian or Ubuntu (as root):',
    `  apt-get update && apt-get install -y ${packages.join(' ')}`,
    'or point stormlab at binaries you already have:',
    ...missing.map((t) => `  export ${t.env}=/path/to/${t.pkg === 'chromium' ? 'chromium' : t.name}`),
    'then run npm test again.',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

let missing = missingTools();
if (missing.length > 0) {
  // apt installs to the default places, so a tool named by its env var pointing elsewhere stays missing.
  const installable = missing.filter((t) => !t.fromEnv);
  const reason = installable.length === 0 ? 'the missing binaries are named by STORMLAB_* variables' : noAptReason();
  if (reason === undefined) {
    const ok = aptInstall([...new Set(installable.map((t) => t.pkg))]);
    missing = missingTools();
    if (missing.length > 0) explain(missing, ok ? 'apt-get installed the packages, but these are still missing' : 'apt-get failed');
  } else {
    explain(missing, reason);
  }
}
process.exitCode = missing.length > 0 ? 1 : 0;
