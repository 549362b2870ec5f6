import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '../../..');
const text = readFileSync(resolve(root, '.github/workflows/release.yml'), 'utf8');
const workflow = parse(text) as {
  jobs: Record<
    string,
    {
      'runs-on': string;
      strategy: { matrix: { include: { os: string }[] } };
      steps: { uses?: string; with?: Record<string, unknown>; run?: string }[];
    }
  >;
};
const doc = readFileSync(resolve(root, 'docs/release.md'), 'utf8');

describe('release workflow', () => {
  const job = workflow.jobs.installers!;

  it('builds on Windows and macOS on Node 24', () => {
    expect(job.strategy.matrix.include.map((m) => m.os).sort()).toEqual(['macos-latest', 'windows-latest']);
    const setup = job.steps.find((s) => s.uses?.startsWith('actions/setup-node'));
    expect(String(setup?.with?.['node-version'])).toBe('24');
  });

  it('installs, rebuilds for Electron, builds installers and runs the smoke test, in that order', () => {
    const runs = job.steps.map((s) => s.run ?? '').join('\n');
    const order = ['npm ci', 'electron/install.js', 'install-app-deps', 'electron-builder ${{ matrix.target }}', '--project electron'];
    const at = order.map((o) => runs.indexOf(o));
    expect(
      at.every((i) => i >= 0),
      JSON.stringify(at),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('reads only secrets that docs/release.md names, and commits none', () => {
    const secrets = [...new Set([...text.matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]!))];
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) expect(doc, s).toContain(`\`${s}\``);
    expect(text).not.toMatch(/-----BEGIN|MII[A-Za-z0-9+/]{20}/);
  });
});
