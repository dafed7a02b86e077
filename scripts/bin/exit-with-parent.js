#!/usr/bin/env node
// Runs a command that cannot watch its parent itself (k6) so that it never outlives the stormlab
// CLI: `node exit-with-parent.js <command> [args…]`, forked with an IPC channel. SIGINT and SIGTERM
// are passed on to the command (k6 stops gracefully on the first and aborts on the second). When
// the channel to the parent closes — the CLI ended, however, SIGKILL included — the command gets
// SIGINT, a second SIGINT after 2 s and SIGKILL after 5 s. Exits with the command's exit code.
// Plain JavaScript with no imports of ours, so it starts fast and needs no TypeScript loader.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: exit-with-parent.js <command> [args…]\n');
  process.exit(2);
}

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}

function parentGone() {
  child.kill('SIGINT');
  setTimeout(() => child.kill('SIGINT'), 2000).unref();
  setTimeout(() => child.kill('SIGKILL'), 5000).unref();
}
if (process.channel) {
  process.channel.unref();
  if (process.connected) process.once('disconnect', parentGone);
  else parentGone();
}

child.once('error', (e) => {
  process.stderr.write(`cannot run ${command}: ${e.message}\n`);
  process.exit(127);
});
child.once('exit', (code, signal) => {
  process.exitCode = code ?? 128 + (constants.signals[signal] ?? 0);
  if (process.connected) process.disconnect();
});
