// `npm test`: every check CI runs, in order, stopping at the first failure.
import { spawnSync } from 'node:child_process';

const steps = [
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['lint (architecture boundaries)', 'npx', ['eslint', '.']],
  ['build (electron-vite: main, preload, renderer)', 'npx', ['electron-vite', 'build']],
  ['unit + integration', 'npx', ['vitest', 'run', '--project', 'unit', '--project', 'integration']],
  ['e2e (Chromium)', 'npx', ['vitest', 'run', '--project', 'e2e']],
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
