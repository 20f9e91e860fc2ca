/**
 * Four projects, all run by `npm test` (`vitest run`):
 * - unit: tests next to the code, no network beyond loopback, fast.
 * - integration: real servers on port 0 (in-process or as child processes), real sockets.
 * - attacks: the gate's attack tests (tests/attacks), one file per attack class, each
 *   with a canary that must be answered within 100 ms while the attack runs.
 * - browser: each file launches Chromium against a server serving the built client, so
 *   files run one after another [1].
 *
 * [1] The CI machine has two cores; two Chromiums, or Chromium next to the integration tests'
 *     servers, starve each other and turn timing-sensitive assertions into flakes.
 * [2] The canary measures how long the server under attack keeps others waiting; the
 *     other test files' servers and clients running beside it on two cores would be
 *     measured too.
 */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'client/**/*.test.ts'],
          environment: 'node',
          testTimeout: 10_000,
          hookTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          // Child-process servers start through tsx, which takes a second or two on a cold cache.
          testTimeout: 60_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'attacks',
          include: ['tests/attacks/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 30_000,
          // One file at a time, after unit and integration tests [2].
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          // Builds client/dist once, and only when a browser test is going to run.
          globalSetup: ['tests/browser/global-setup.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          maxWorkers: 1,
          // After the unit, integration and attack tests have finished, not alongside them [1].
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
})
