// The renderer bench drives the built bundle (out/renderer), as the e2e tests do. On a fresh
// clone nothing has built it yet, so `npm run bench` builds it first instead of failing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RENDERER_DIR } from '../tests/e2e/helpers/stack';
import { benchRenderer as measure } from '../tests/e2e/helpers/bench-renderer';

export async function benchRenderer(): ReturnType<typeof measure> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    process.stderr.write('bench: out/renderer is missing, building it (electron-vite build) …\n');
    const r = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${r.status})`);
  }
  return measure();
}
