import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSms } from '../../../src/server/messaging/providers/twilio';
import { whatsappCloud } from '../../../src/server/messaging/providers/whatsapp';
import { startFakeTwilio, startFakeWhatsApp, type FakeProvider } from '../../helpers/fake-providers';

const FAST = { attempts: 3, baseDelayMs: 5, timeoutMs: 2000 };
const TW = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'secret-token' };
const WA = { accessToken: 'EAAG-test-token', phoneNumberId: '1098765432' };

describe('Twilio Programmable Messaging adapter', () => {
  let fake: FakeProvider;
  beforeAll(async () => { fake = await startFakeTwilio(TW); });
  afterAll(async () => { await fake.close(); });
  const sms = (over: Partial<Parameters<typeof twilioSms>[0]> = {}) =>
    twilioSms({ baseUrl: fake.url, ...TW, from: '+15005550006', retry: FAST, ...over });

  it('posts To/From/Body form-encoded with basic auth and returns the SM sid', async () => {
    fake.requests.length = 0;
    const r = await sms().send({ messageId: 'm1', to: '+573001234567', body: 'Hola Ana, su saldo es $ 1.000' });
    expect(r).toMatchObject({ ok: true, attempts: 1 });
    if (r.ok) expect(r.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.path).toBe(`/2010-04-01/Accounts/${TW.accountSid}/Messages.json`);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${TW.accountSid}:${TW.authToken}`).toString('base64')}`);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ To: '+573001234567', From: '+15005550006', Body: 'Hola Ana, su saldo es $ 1.000' });
  });

  it('uses MessagingServiceSid when the sender is a messaging service', async () => {
    fake.requests.length = 0;
    await sms({ from: 'MG0123' }).send({ messageId: 'm2', to: '+573001234567', body: 'x' });
    expect(new URLSearchParams(fake.requests[0]!.body).get('MessagingServiceSid')).toBe('MG0123');
  });

  it('does not retry a 4xx: invalid number answers 21211 once', async () => {
    fake.requests.length = 0;
    const r = await sms().send({ messageId: 'm3', to: '3001234567', body: 'x' });
    expect(r).toMatchObject({ ok: false, permanent: true, status: 400, code: 'twilio.21211', attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry bad credentials (401, code 20003)', async () => {
    fake.requests.length = 0;
    const r = await sms({ authToken: 'wrong' }).send({ messageId: 'm4', to: '+573001234567', body: 'x' });
    expect(r).toMatchObject({ ok: false, permanent: true, status: 401, code: 'twilio.20003', attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 5xx and succeeds', async () => {
    fake.requests.length = 0;
    fake.failNext(2, 503);
    const r = await sms().send({ messageId: 'm5', to: '+573001234567', body: 'x' });
    expect(r).toMatchObject({ ok: true, attempts: 3 });
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up after the last attempt on a persistent 5xx, as a temporary failure', async () => {
    fake.requests.length = 0;
    fake.failNext(5, 500);
    const r = await sms().send({ messageId: 'm6', to: '+573001234567', body: 'x' });
    expect(r).toMatchObject({ ok: false, permanent: false, status: 500, attempts: 3 });
    expect(fake.requests).toHaveLength(3);
    fake.failNext(0);
  });
});

describe('WhatsApp Cloud API adapter', () => {
  let fake: FakeProvider;
  beforeAll(async () => { fake = await startFakeWhatsApp(WA); });
  afterAll(async () => { await fake.close(); });
  const wa = (over: Partial<Parameters<typeof whatsappCloud>[0]> = {}) =>
    whatsappCloud({ baseUrl: fake.url, version: 'v21.0', ...WA, retry: FAST, ...over });

  it('posts the documented JSON with a bearer token and returns the wamid', async () => {
    fake.requests.length = 0;
    const r = await wa().send({ messageId: '6f1c2a9e-0000-4000-8000-000000000001', to: '+5215512345678', body: 'Hola 👋' });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.providerMessageId).toMatch(/^wamid\./);
    const req = fake.requests[0]!;
    expect(req.path).toBe(`/v21.0/${WA.phoneNumberId}/messages`);
    expect(req.headers.authorization).toBe(`Bearer ${WA.accessToken}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({
      messaging_product: 'whatsapp', recipient_type: 'individual', to: '5215512345678', type: 'text',
      text: { preview_url: false, body: 'Hola 👋' }, biz_opaque_callback_data: '6f1c2a9e-0000-4000-8000-000000000001',
    });
  });

  it('does not retry an invalid token (401, OAuthException 190)', async () => {
    fake.requests.length = 0;
    const r = await wa({ accessToken: 'bad' }).send({ messageId: 'w2', to: '+5215512345678', body: 'x' });
    expect(r).toMatchObject({ ok: false, permanent: true, status: 401, code: 'whatsapp.190', attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 5xx and succeeds', async () => {
    fake.requests.length = 0;
    fake.failNext(1, 502);
    const r = await wa().send({ messageId: 'w3', to: '+5215512345678', body: 'x' });
    expect(r).toMatchObject({ ok: true, attempts: 2 });
    expect(fake.requests).toHaveLength(2);
  });

  it('reports an unreachable provider as temporary after the retries', async () => {
    const r = await wa({ baseUrl: 'http://127.0.0.1:9' }).send({ messageId: 'w4', to: '+5215512345678', body: 'x' });
    expect(r).toMatchObject({ ok: false, permanent: false, status: null, code: 'whatsapp.unreachable', attempts: 3 });
  });
});
