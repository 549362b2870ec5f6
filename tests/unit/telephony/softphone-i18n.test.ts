import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { SOFTPHONE_NS, registerSoftphoneI18n, softphoneResources } from '../../../src/renderer/softphone/i18n';

function leaves(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

const DIR = fileURLToPath(new URL('../../../src/renderer/softphone/', import.meta.url));

describe('softphone i18n', () => {
  it('Spanish and English have exactly the same keys', () => {
    expect(leaves(softphoneResources.en).sort()).toEqual(leaves(softphoneResources.es).sort());
  });

  it('every literal key the softphone components use exists in both languages', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ lng: 'es', resources: {} });
    registerSoftphoneI18n(i18n);
    const used = new Set<string>();
    for (const f of readdirSync(DIR).filter((n) => n.endsWith('.tsx'))) {
      for (const m of readFileSync(join(DIR, f), 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(25);
    for (const lng of ['es', 'en']) {
      // a plural key exists as its forms (pbx.nextRetry_one, _other): it exists when asked with a count
      const missing = [...used].filter(
        (k) => !i18n.exists(k, { lng, ns: SOFTPHONE_NS }) && !i18n.exists(k, { lng, ns: SOFTPHONE_NS, count: 2 }),
      );
      expect(missing, `missing in ${lng}`).toEqual([]);
    }
    expect(i18n.t('registration.registered', { ns: SOFTPHONE_NS })).toBe('Teléfono listo');
    expect(i18n.t('registration.registered', { ns: SOFTPHONE_NS, lng: 'en' })).toBe('Phone ready');
    expect(i18n.t('pbx.nextRetry', { ns: SOFTPHONE_NS, count: 1 })).toBe('Nuevo intento en 1 segundo');
    expect(i18n.t('pbx.nextRetry', { ns: SOFTPHONE_NS, count: 30 })).toBe('Nuevo intento en 30 segundos');
  });
});
