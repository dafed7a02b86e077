import { defineConfig } from 'vitest/config';

const exclude = ['node_modules/**', 'dist/**', 'runs/**'];

/**
 * Two groups, run one after the other: everything else in parallel first, then the tests that
 * compare measured latencies with ground truth (`*.timing.test.ts`), one file at a time, so that
 * no other test competes with them for this machine's cores.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit+integration', include: ['**/*.test.ts'], exclude: [...exclude, '**/*.timing.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'timing', include: ['**/*.timing.test.ts'], exclude, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
