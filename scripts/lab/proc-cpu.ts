/**
 * CPU seconds a local child process has used, from Linux's /proc/<pid>/stat (utime + stime, in
 * clock ticks of 1/100 s): how the capacity search measures our own gateway's CPU when its
 * /metrics has no process_cpu series. Null where /proc is not there (macOS, Windows) or the
 * process is gone.
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export function procCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // the command name (field 2) is in parentheses and may hold spaces: count fields after it
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / TICKS_PER_SECOND : null;
}
