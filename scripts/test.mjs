// `npm test`: every check CI runs, in order, stopping at the first failure.
import { spawnSync } from 'node:child_process';

// Tools run through node with their JS entry points: npm does not always mark package bins
// executable here, so `npx electron-vite` can fail with EACCES on a fresh install.
const bin = (p) => [process.execPath, [`node_modules/${p}`]];
const tool = (p, args) => { const [cmd, pre] = bin(p); return [cmd, [...pre, ...args]]; };
const steps = [
  ['typecheck', ...tool('typescript/bin/tsc', ['-p', 'tsconfig.json', '--noEmit'])],
  ['lint (architecture boundaries)', ...tool('eslint/bin/eslint.js', ['.'])],
  ['build (electron-vite: main, preload, renderer)', ...tool('electron-vite/bin/electron-vite.js', ['build'])],
  ['unit + integration', ...tool('vitest/vitest.mjs', ['run', '--project', 'unit', '--project', 'integration'])],
  ['e2e (Chromium)', ...tool('vitest/vitest.mjs', ['run', '--project', 'e2e'])],
];
const only = process.argv[2];
for (const [name, cmd, args] of steps) {
  if (only && !name.startsWith(only)) continue;
  console.log(`\n▶ ${name}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  console.log(`◀ ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
