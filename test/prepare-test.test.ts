/**
 * The README's test preparation (`npm test` runs scripts/prepare-test.mjs as `pretest`) on a machine
 * without Chromium: it must say exactly what to install and how, and exit non-zero, not install
 * anything behind the user's back when apt is unavailable.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../scripts/prepare-test.mjs', import.meta.url));

function prepare(env: NodeJS.ProcessEnv): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [SCRIPT], { env, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stderr: r.stderr };
}

describe('test preparation', () => {
  it('without Chromium and without apt-get, names what is missing and how to install it, and exits 1', () => {
    const emptyBin = mkdtempSync(join(tmpdir(), 'stormlab-nobin-'));
    const { code, stderr } = prepare({ PATH: emptyBin, STORMLAB_CHROMIUM: '/nowhere/chromium' });
    expect(code).toBe(1);
    expect(stderr).toBe(
      [
        'stormlab: the tests need programs that are not installed:',
        '  - Chromium (browser test of the HTML reports): not found at /nowhere/chromium' +
          ' (from STORMLAB_CHROMIUM: correct it, or unset it to use /usr/bin/chromium)',
        '  - redis-server (shared gateway state): not found on PATH',
        '  - prometheus (game-day alerts): not found on PATH',
        '  - promtool (alert-rule checks): not found on PATH',
        'Not installed automatically: apt-get is not on PATH.',
        'Install them on Debian or Ubuntu (as root):',
        '  apt-get update && apt-get install -y chromium redis-server prometheus',
        'or point stormlab at binaries you already have:',
        '  export STORMLAB_CHROMIUM=/path/to/chromium',
        '  export STORMLAB_REDIS_SERVER=/path/to/redis-server',
        '  export STORMLAB_PROMETHEUS=/path/to/prometheus',
        '  export STORMLAB_PROMTOOL=/path/to/promtool',
        'then run npm test again.',
        '',
      ].join('\n'),
    );
  });

  it('STORMLAB_NO_APT=1 keeps it from installing and is named as the reason', () => {
    const emptyBin = mkdtempSync(join(tmpdir(), 'stormlab-nobin-'));
    const { code, stderr } = prepare({ PATH: emptyBin, STORMLAB_NO_APT: '1' });
    expect(code).toBe(1);
    expect(stderr).toContain('Not installed automatically: STORMLAB_NO_APT=1 is set.');
    expect(stderr).not.toContain('installing');
  });

  const rootOnDebian = process.getuid?.() === 0 && existsSync('/etc/debian_version');
  it.skipIf(!rootOnDebian)('as root on Debian, installs the missing packages with apt-get update and install', () => {
    const bin = mkdtempSync(join(tmpdir(), 'stormlab-apt-'));
    const log = join(bin, 'apt.log');
    // a stand-in apt-get: logs its arguments; `install` puts the packages' programs on PATH
    const fake = [
      '#!/bin/sh',
      'echo "$@" >> "$APT_LOG"',
      'if [ "$1" = install ]; then',
      '  for p in "$@"; do case "$p" in',
      '    redis-server) /usr/bin/touch "$APT_BIN/redis-server";;',
      '    prometheus) /usr/bin/touch "$APT_BIN/prometheus" "$APT_BIN/promtool";;',
      '  esac; done',
      '  /bin/chmod +x "$APT_BIN"/redis-server "$APT_BIN"/prometheus "$APT_BIN"/promtool',
      'fi',
    ].join('\n');
    writeFileSync(join(bin, 'apt-get'), `${fake}\n`);
    chmodSync(join(bin, 'apt-get'), 0o755);
    const { code, stderr } = prepare({ PATH: bin, STORMLAB_CHROMIUM: process.execPath, APT_LOG: log, APT_BIN: bin });
    expect(stderr).toBe('prepare-test: installing redis-server prometheus with apt-get (first run only; a minute or two)\n');
    expect(code).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe('update -qq\ninstall -y -qq redis-server prometheus\n');
  });

  it('finds binaries named by the STORMLAB_* variables and exits 0 without output', () => {
    const node = process.execPath; // any executable stands in for each program: only presence is checked
    const env = { PATH: '/nonexistent', STORMLAB_NO_APT: '1' };
    const names = {
      STORMLAB_CHROMIUM: node,
      STORMLAB_REDIS_SERVER: node,
      STORMLAB_PROMETHEUS: node,
      STORMLAB_PROMTOOL: node,
    };
    expect(prepare({ ...env, ...names })).toEqual({ code: 0, stderr: '' });
  });
});
