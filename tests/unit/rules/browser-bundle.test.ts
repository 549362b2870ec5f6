import { build } from 'esbuild';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

/**
 * The rules run in the renderer (offline) too: bundle them for the browser, with date-holidays and
 * libphonenumber-js, and run the bundle in a bare V8 context with browser timers only (no require, process or Buffer).
 */
describe('src/shared/rules in a browser bundle', () => {
  it('bundles for platform=browser and decides a contact in a context without Node globals', async () => {
    const entry = `
      import { checkContact } from './src/shared/rules/compliance';
      import { prioritize } from './src/shared/rules/priority';
      import { buildPlanSchedule } from './src/shared/rules/negotiation';
      import { promiseStatus } from './src/shared/rules/promises';
      export { checkContact, prioritize, buildPlanSchedule, promiseStatus };`;
    const out = await build({
      stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'rules',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.some((p) => p.includes('date-holidays'))).toBe(true);
    expect(inputs.filter((p) => p.startsWith('node:') || /^(fs|path|os|crypto)$/.test(p))).toEqual([]);
    const code = out.outputFiles[0]!.text;
    // Only what every browser has; no require, process, Buffer or module.
    const sandbox: Record<string, unknown> = { setTimeout, clearTimeout, console };
    runInNewContext(`${code};\nthis.rules = rules;`, sandbox);
    const rules = sandbox.rules as typeof import('../../../src/shared/rules/compliance');
    const d = rules.checkContact({
      channel: 'call',
      contactPoint: { kind: 'phone', value: '+573001234567', invalid: false, doNotContact: false },
      debtor: {
        id: 'd',
        country: 'CO',
        timeZone: 'America/Bogota',
        contactPrefs: { authorizedChannels: ['call'], preferredChannel: null, windows: [], preferredPaymentDay: null },
      },
      account: { id: 'a', status: 'active' },
      history: [],
      at: new Date('2026-12-08T15:00:00Z'),
    });
    expect(d.reasons.map((r) => r.ruleId)).toEqual(['co.hours.holiday']);
    expect(d.nextAllowedAt).toBe('2026-12-09T12:00:00.000Z');
  }, 30_000);
});
