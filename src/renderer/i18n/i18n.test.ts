import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import i18next from './index';
import es from './es.json';
import en from './en.json';
import { AccountStatus, Channel, ContactKind, Disposition, DpdBucket, PromiseStatus, Role, Segment } from '../../shared/domain/enums';
import { DISPOSITION_ORDER } from '../outcome/dispositions';
import { SHORTCUTS } from '../components/HelpOverlay';
import { rejectionText } from '../lib/errors';
import { ALL_WORKSTATION_ERROR_CODES, errorKey, relayed, SERVER_ERROR_CODES } from '../../shared/errors/codes';

function leaves(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'softphone' || name === 'api' ? [] : sourceFiles(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('i18n resources', () => {
  it('Spanish and English have exactly the same keys', () => {
    expect(leaves(en).sort()).toEqual(leaves(es).sort());
  });

  it('Spanish is the default language', () => {
    expect(i18next.language).toBe('es');
    expect(i18next.t('sync.offlineBanner')).toBe(
      'Sin conexión con el servidor — tus gestiones se guardan en este equipo y se enviarán al reconectar',
    );
  });

  it('every literal key used by the renderer exists in both languages', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(join(__dirname, '..'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    for (const s of SHORTCUTS) used.add(s.action);
    expect(used.size).toBeGreaterThan(50);
    for (const lng of ['es', 'en']) {
      const missing = [...used].filter((k) => !i18next.exists(k, { lng }) && !i18next.exists(`${k}_other`, { lng }));
      expect(missing, `missing in ${lng}`).toEqual([]);
    }
  });

  it.each([
    ['disposition', Disposition.options],
    ['channel', Channel.options],
    ['status', AccountStatus.options],
    ['bucket', DpdBucket.options],
    ['segment', Segment.options],
    ['promiseStatus', PromiseStatus.options],
    ['contactKind', ContactKind.options],
    ['role', Role.options],
  ] as const)('every %s value is translated in both languages', (ns, values) => {
    for (const lng of ['es', 'en']) {
      for (const v of values) expect(i18next.exists(`${ns}.${v}`, { lng }), `${lng} ${ns}.${v}`).toBe(true);
    }
  });

  it('error codes with dots resolve (flat keys inside a namespace)', () => {
    expect(i18next.t('errors.auth.invalid_credentials', { lng: 'es' })).toBe('Usuario o contraseña incorrectos.');
    expect(i18next.t('errors.server.unreachable', { lng: 'en' })).toMatch(/Cannot reach the server/);
    expect(i18next.t('reason.status.hardship', { lng: 'es' })).toMatch(/Dificultad/);
  });

  it('every error code (src/shared/errors/codes.ts) has its text in both languages, and the errors section has no other key', () => {
    for (const lng of ['es', 'en']) {
      const missing = ALL_WORKSTATION_ERROR_CODES.filter((c) => !i18next.exists(errorKey(c), { lng }));
      expect(missing, `missing in ${lng}`).toEqual([]);
    }
    expect(Object.keys(es.errors).sort()).toEqual(ALL_WORKSTATION_ERROR_CODES.map((c) => errorKey(c).slice('errors.'.length)).sort());
    for (const c of SERVER_ERROR_CODES) expect(relayed(c)).toBe(`server.${c}`);
    expect(relayed('no_such_code')).toBe('server.error');
  });

  it("a refused change shows the server's code translated, the app's own key first, else the server's message", () => {
    const es = i18next.getFixedT('es');
    expect(rejectionText(es, { code: 'whatsapp_template_unapproved', message: 'x' })).toMatch(
      /^Esta plantilla de WhatsApp no tiene una plantilla aprobada por Meta/,
    );
    expect(rejectionText(i18next.getFixedT('en'), { code: 'whatsapp_template_mismatch', message: 'x' })).toMatch(
      /does not match the one Meta approved/,
    );
    expect(rejectionText(es, { code: 'not_found', message: 'x' })).toBe('No se encontró el registro (o no tienes acceso).');
    expect(rejectionText(es, { code: 'promise_policy', message: 'La cuota supera el saldo' })).toBe('La cuota supera el saldo');
  });

  it('plurals and interpolation work in both languages', () => {
    expect(i18next.t('sync.pending', { count: 1, lng: 'es' })).toBe('1 pendiente');
    expect(i18next.t('sync.pending', { count: 3, lng: 'es' })).toBe('3 pendientes');
    expect(i18next.t('queue.total', { count: 2, lng: 'en' })).toBe('2 accounts');
    expect(i18next.t('reason.dpd', { dpd: 45, lng: 'es' })).toBe('45 días de mora');
  });

  it('the outcome form lists every disposition exactly once', () => {
    expect([...DISPOSITION_ORDER].sort()).toEqual([...Disposition.options].sort());
  });
});
