import { createHmac, timingSafeEqual } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  mercadoPagoManifest,
  parseMercadoPagoSignature,
  verifyMercadoPagoSignature,
} from '../../../src/server/payments/gateway/mercadopago-signature';
import { fromGatewayAmount, toGatewayAmount } from '../../../src/server/payments/gateway/mercadopago';

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const SECRET = 'mp-webhook-secret-0123456789abcdef';
/** As Mercado Pago's guide writes it: HMAC-SHA256 hex of "id:…;request-id:…;ts:…;" with the secret. */
const sign = (manifest: string, secret = SECRET) => createHmac('sha256', secret).update(manifest).digest('hex');

describe("Mercado Pago's x-signature", () => {
  const ts = '1704908010';
  const requestId = 'bb56a2f1-6aae-46ac-982e-9dcd3581d08e';
  const v1 = sign(`id:123456;request-id:${requestId};ts:${ts};`);

  beforeEach(() => {
    vi.mocked(timingSafeEqual).mockClear();
  });

  it('accepts the signature Mercado Pago computes over the documented manifest', () => {
    expect(verifyMercadoPagoSignature({ signature: `ts=${ts},v1=${v1}`, requestId, dataId: '123456' }, SECRET)).toEqual({ ok: true, ts });
    // spaces after the comma and upper-case hex are the same header
    expect(verifyMercadoPagoSignature({ signature: `ts=${ts}, v1=${v1.toUpperCase()}`, requestId, dataId: '123456' }, SECRET).ok).toBe(
      true,
    );
  });

  it('builds the manifest as documented: data.id lower-cased when alphanumeric, absent parts left out', () => {
    expect(mercadoPagoManifest('ABC123', 'r-1', '99')).toBe('id:abc123;request-id:r-1;ts:99;');
    expect(mercadoPagoManifest('a-B_1', 'r-1', '99')).toBe('id:a-B_1;request-id:r-1;ts:99;');
    expect(mercadoPagoManifest(undefined, undefined, '99')).toBe('ts:99;');
    const noRequest = sign(`id:77;ts:${ts};`);
    expect(verifyMercadoPagoSignature({ signature: `ts=${ts},v1=${noRequest}`, requestId: undefined, dataId: '77' }, SECRET).ok).toBe(true);
  });

  it('refuses a wrong ts, another payment, another request id or another secret', () => {
    const check = (signature: string, dataId = '123456', rid = requestId, secret = SECRET) =>
      verifyMercadoPagoSignature({ signature, requestId: rid, dataId }, secret);
    expect(check(`ts=1704908011,v1=${v1}`)).toEqual({ ok: false, reason: 'mismatch' });
    expect(check(`ts=${ts},v1=${v1}`, '123457')).toEqual({ ok: false, reason: 'mismatch' });
    expect(check(`ts=${ts},v1=${v1}`, '123456', 'another-request')).toEqual({ ok: false, reason: 'mismatch' });
    expect(check(`ts=${ts},v1=${v1}`, '123456', requestId, 'another-secret-0123456789')).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a missing or malformed header before computing anything', () => {
    expect(verifyMercadoPagoSignature({ signature: undefined, requestId, dataId: '1' }, SECRET)).toEqual({ ok: false, reason: 'missing' });
    for (const bad of [`v1=${v1}`, `ts=${ts}`, `ts=${ts},v1=${v1.slice(2)}`, `ts=abc,v1=${v1}`, 'garbage', `ts=${ts};v1=${v1}`]) {
      expect(verifyMercadoPagoSignature({ signature: bad, requestId, dataId: '123456' }, SECRET), bad).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
    expect(parseMercadoPagoSignature(`ts=${ts},v1=${v1}`)).toEqual({ ts, v1 });
    expect(timingSafeEqual).not.toHaveBeenCalled();
  });

  it('compares in constant time, digest against digest of equal length', () => {
    const wrong = sign('something else');
    expect(verifyMercadoPagoSignature({ signature: `ts=${ts},v1=${wrong}`, requestId, dataId: '123456' }, SECRET).ok).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    const [a, b] = vi.mocked(timingSafeEqual).mock.calls[0]! as [Buffer, Buffer];
    expect(a.length).toBe(32);
    expect(b.length).toBe(32);
  });

  it('refuses an old timestamp only when asked to (seconds or milliseconds)', () => {
    const now = new Date(Number(ts) * 1000 + 10 * 60_000);
    const h = { signature: `ts=${ts},v1=${v1}`, requestId, dataId: '123456' };
    expect(verifyMercadoPagoSignature(h, SECRET, { now }).ok).toBe(true);
    expect(verifyMercadoPagoSignature(h, SECRET, { now, maxAgeMs: 5 * 60_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyMercadoPagoSignature(h, SECRET, { now, maxAgeMs: 15 * 60_000 }).ok).toBe(true);
    const tsMs = '1704908010123';
    const hMs = { signature: `ts=${tsMs},v1=${sign(`id:123456;request-id:${requestId};ts:${tsMs};`)}`, requestId, dataId: '123456' };
    expect(verifyMercadoPagoSignature(hMs, SECRET, { now: new Date(Number(tsMs) + 1000), maxAgeMs: 5000 }).ok).toBe(true);
  });
});

describe('amounts to and from Mercado Pago', () => {
  it('writes minor units as the decimal amount of the currency', () => {
    expect(toGatewayAmount(15_000, 'CLP')).toBe(15000);
    expect(toGatewayAmount(150_000, 'COP')).toBe(150000);
    expect(toGatewayAmount(150_050, 'MXN')).toBe(1500.5);
    expect(toGatewayAmount(7, 'PEN')).toBe(0.07);
  });
  it('reads the decimal amount back, refusing more decimals than the currency is paid in', () => {
    expect(fromGatewayAmount(15000, 'CLP')).toBe(15_000);
    expect(fromGatewayAmount(1500.5, 'MXN')).toBe(150_050);
    expect(fromGatewayAmount(0.07, 'PEN')).toBe(7);
    expect(fromGatewayAmount(1234.56, 'MXN')).toBe(123_456);
    expect(() => fromGatewayAmount(15000.5, 'CLP')).toThrow(/decimals/);
    expect(() => fromGatewayAmount(1500.555, 'MXN')).toThrow(/decimals/);
    expect(() => fromGatewayAmount(-1, 'MXN')).toThrow();
  });
});
