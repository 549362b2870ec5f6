import { describe, expect, it } from 'vitest';
import { callerToE164, normaliseToE164, toDialString } from '../../../src/shared/telephony/dialplan';
import { DialPlan } from '../../../src/shared/api/contract';

const plan = (p: Partial<DialPlan> = {}): DialPlan => DialPlan.parse(p);

describe('normaliseToE164', () => {
  it.each([
    ['+57 300 123 4567', null, '+573001234567'],
    ['(300) 123-4567', 'CO', '+573001234567'],
    ['0057 300 1234567', null, '+573001234567'],
    ['55 1234 5678', 'MX', '+525512345678'],
    ['+1 202-555-0123', 'CO', '+12025550123'],
  ])('%s (default %s) → %s', (raw, country, e164) => {
    expect(normaliseToE164(raw, country)).toEqual({ ok: true, e164 });
  });

  it('refuses empty and impossible numbers', () => {
    expect(normaliseToE164('  ')).toEqual({ ok: false, reason: 'empty' });
    expect(normaliseToE164('+57 12')).toEqual({ ok: false, reason: 'invalid' });
    expect(normaliseToE164('3001234567')).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('toDialString', () => {
  it.each<[string, Partial<DialPlan>, string, string]>([
    ['+573001234567', {}, '+573001234567', 'international'],
    ['+573001234567', { prefix: '9' }, '9+573001234567', 'international'],
    ['+573001234567', { localCountry: 'CO' }, '3001234567', 'national'],
    ['+573001234567', { localCountry: 'CO', prefix: '9' }, '93001234567', 'national'],
    ['+442079460000', { localCountry: 'GB' }, '02079460000', 'national'],
    ['+12025550123', { localCountry: 'CO', keepPlus: true }, '+12025550123', 'international'],
    ['+12025550123', { keepPlus: false }, '0012025550123', 'international'],
    ['+573001234567', { localCountry: 'US', keepPlus: false }, '011573001234567', 'international'],
    ['2001', { prefix: '9', localCountry: 'CO' }, '2001', 'extension'],
  ])('%s with %j → %s', (target, p, dial, kind) => {
    expect(toDialString(target, plan(p))).toEqual({ ok: true, dial, kind });
  });

  it('names why a number cannot be dialled', () => {
    expect(toDialString('', plan())).toEqual({ ok: false, reason: 'empty' });
    expect(toDialString('+57 1', plan())).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('callerToE164', () => {
  it('reads national caller ids in the local country, with or without trunk prefix', () => {
    expect(callerToE164('3001234567', plan({ localCountry: 'CO' }))).toBe('+573001234567');
    expect(callerToE164('93001234567', plan({ localCountry: 'CO', prefix: '9' }))).toBe('+573001234567');
    expect(callerToE164('+525512345678', plan({ localCountry: 'CO' }))).toBe('+525512345678');
  });
  it('gives null for extensions and junk', () => {
    expect(callerToE164('2001', plan())).toBeNull();
    expect(callerToE164('anonymous', plan())).toBeNull();
  });
  it('round-trips every dial string back to the same E.164', () => {
    const plans = [plan(), plan({ localCountry: 'CO' }), plan({ localCountry: 'CO', prefix: '9' }), plan({ prefix: '0' })];
    for (const p of plans) {
      for (const n of ['+573001234567', '+525512345678', '+56912345678']) {
        const d = toDialString(n, p);
        expect(d.ok).toBe(true);
        if (d.ok) expect(callerToE164(d.dial, p)).toBe(n);
      }
    }
  });
});
