/** The parent's side of a child process's IPC messages (the benches' servers each run in a process of their own). */
import type { ChildProcess } from 'node:child_process';

/** The child's next message of `type`; rejects if the child exits first. */
export function nextMessage<T extends { type: string }>(c: ChildProcess, type: T['type']): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (m: unknown): void => {
      if ((m as { type?: unknown }).type !== type) return;
      c.off('message', on);
      c.off('exit', exit);
      resolve(m as T);
    };
    const exit = (code: number | null): void => reject(new Error(`a bench process exited (code ${code}) while waiting for "${type}"`));
    c.on('message', on);
    c.once('exit', exit);
  });
}
