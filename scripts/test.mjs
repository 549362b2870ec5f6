// `npm test`: every check CI runs, in order, stopping at the first failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasFaketime, shiftToWorkingDay } from './working-day.mjs';

// Tools run through node with their JS entry points: npm does not always mark package bins
// executable here, so `npx electron-vite` can fail with EACCES on a fresh install.
const bin = (p) => [process.execPath, [`node_modules/${p}`]];
const tool = (p, args) => {
  const [cmd, pre] = bin(p);
  return [cmd, [...pre, ...args]];
};
// each vitest run also writes a JSON report, so the closing line can count every test
const reports = [];
function report(name) {
  const file = join(tmpdir(), `cobranza-vitest-${process.pid}-${name}.json`);
  reports.push(file);
  return ['--reporter=default', '--reporter=json', `--outputFile.json=${file}`];
}
function totals() {
  let passed = 0,
    failed = 0,
    skipped = 0;
  for (const f of reports) {
    if (!existsSync(f)) continue;
    const r = JSON.parse(readFileSync(f, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
    rmSync(f, { force: true });
  }
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}
const steps = [
  ['typecheck', ...tool('typescript/bin/tsc', ['-p', 'tsconfig.json', '--noEmit'])],
  ['lint (architecture boundaries)', ...tool('eslint/bin/eslint.js', ['.'])],
  [
    'format (prettier --check; `npm run format` fixes)',
    ...tool('prettier/bin/prettier.cjs', ['--check', '--log-level', 'warn', 'src', 'tests', 'bench', 'scripts']),
  ],
  ['workflow (action-validator: .github/workflows)', ...tool('@action-validator/cli/cli.mjs', workflows())],
  ['build (electron-vite: main, preload, renderer)', ...tool('electron-vite/bin/electron-vite.js', ['build'])],
  [
    'unit + integration',
    ...tool('vitest/vitest.mjs', ['run', '--project', 'unit', '--project', 'integration', ...report('unit-integration')]),
  ],
  // skipped, saying why, where Electron's binary is absent (it is not downloaded offline)
  ['electron smoke (packaged app)', ...tool('vitest/vitest.mjs', ['run', '--project', 'electron', ...report('electron')])],
  ['e2e (Chromium)', ...inWorkingDay(tool('vitest/vitest.mjs', ['run', '--project', 'e2e', ...report('e2e')]))],
];

/** Every workflow file, checked against GitHub's workflow schema (offline, WebAssembly). */
function workflows() {
  const dir = '.github/workflows';
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => `${dir}/${f}`)
    : [];
}

/** The e2e run, shifted into the last Latin American working hour when now is not one (scripts/working-day.mjs). */
function inWorkingDay([cmd, args]) {
  const shift = shiftToWorkingDay();
  if (shift === 0) return [cmd, args];
  if (!hasFaketime()) {
    console.log('note: outside Latin American working hours and no faketime (Debian package faketime): the e2e queue may be empty');
    return [cmd, args];
  }
  const minutes = Math.ceil(shift / 60_000);
  console.log(
    `note: e2e runs ${minutes} min in the past (${new Date(Date.now() - shift).toISOString()}), in Latin American working hours, under faketime`,
  );
  process.env.FAKETIME_DONT_FAKE_MONOTONIC = '1';
  return ['faketime', ['-f', `-${minutes}m`, cmd, ...args]];
}
const only = process.argv[2];
for (const [name, cmd, args] of steps) {
  if (only && !name.startsWith(only)) continue;
  console.log(`\n▶ ${name}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  console.log(`◀ ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status !== 0) {
    console.log(`\ntests: ${totals()}`);
    process.exit(r.status ?? 1);
  }
}
console.log(`\ntests: ${totals()}`);
