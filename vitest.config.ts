import { configDefaults, defineConfig } from 'vitest/config'

/*
 * Four tiers, one Vitest project each (`npm run test:unit|test:int|test:browser|test:reliability`;
 * `npm test` runs them all). A file's tier follows from its folder, then its suffix:
 *   test/e2e-browser/**        browser: the web UI in Chromium against a real server
 *   test/reliability/**        reliability: crash and stress runs with child processes
 *   *.int.test.ts, *.e2e.test.ts   integration: service + DB, or HTTP via inject(), on every dialect
 *   any other *.test.ts        unit: pure code, no database
 */
const BROWSER = 'test/e2e-browser/**/*.test.ts'
const RELIABILITY = 'test/reliability/**/*.test.ts'
const DB_TESTS = ['{src,test}/**/*.int.test.ts', '{src,test}/**/*.e2e.test.ts']

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/setup/verify-matcher.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{src,test}/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...DB_TESTS, BROWSER, RELIABILITY],
        },
      },
      // Two files at a time, whatever the machine's core count (Vitest's default is one fewer than the cores, so
      // one on a 2-core CI machine): these tests mostly wait on PostgreSQL, fsync and child processes, and
      // each file has its own databases (a SQLite file or memory, a PostgreSQL copy of the template).
      {
        extends: true,
        test: {
          name: 'integration',
          include: DB_TESTS,
          exclude: [...configDefaults.exclude, BROWSER, RELIABILITY],
          maxWorkers: 2,
        },
      },
      // Building the web UI (when dist/web is missing) and starting Chromium happen in beforeAll.
      // One retry: a real browser on a shared, noisy CI machine misses a timing now and then; `.ci/run` names
      // every test that passed only on its retry, so a flake is seen, not hidden.
      {
        extends: true,
        test: { name: 'browser', include: [BROWSER], testTimeout: 120_000, hookTimeout: 300_000, retry: 1 },
      },
      // The crash test's steps each set their own timeout, sized for the million-unit run.
      {
        extends: true,
        test: { name: 'reliability', include: [RELIABILITY], testTimeout: 420_000, hookTimeout: 180_000 },
      },
    ],
  },
})
