import { defineConfig } from 'vitest/config';

// Four projects, run in this order by scripts/test.mjs:
// unit (pure rules, client store), integration (real PostgreSQL / PGlite, real HTTP),
// electron (smoke test of the packaged app; see tests/electron),
// e2e (the real UI in Debian's Chromium through the web host; needs `electron-vite build` first).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // the Electron smoke test (release workflow; skipped, saying why, without Electron's binary)
        test: {
          name: 'electron',
          include: ['tests/electron/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
