import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSms } from '../../../src/server/messaging/providers/twilio';
import { whatsappCloud } from '../../../src/server/messaging/providers/whatsapp';
import { startFakeTwilio, startFakeWhatsApp, type FakeProvider } from '../../helpers/fake-providers';

const FAST = { attempts: 3, baseDelayMs: 5, timeoutMs: 2000 };
const TW = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'secret-token' };
const WA = { accessToken: 'EAAG-test-token', phoneNumberId: '1098765432' };

describe('Twilio Programmable Messaging adapter', () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeTwilio(TW);
  });
  afterAll(async () => {
    await fake.close();
  });
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
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
      To: '+573001234567',
      From: '+15005550006',
      Body: 'Hola Ana, su saldo es $ 1.000',
    });
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
  const TO = '5215512345678';
  const UNDELIVERABLE = '5215500000000';
  const recordatorio = {
    name: 'recordatorio_pago',
    language: 'es_MX',
    parameters: ['Mariana Hernández', '$18,500.00', '15/10/2026', 'https://pagos.cobranza.example/p/MX-1'],
  };
  beforeAll(async () => {
    fake = await startFakeWhatsApp(WA, {
      templates: [
        { name: 'recordatorio_pago', language: 'es_MX', bodyParams: 4 },
        { name: 'recordatorio_pago', language: 'es', bodyParams: 4 },
      ],
      undeliverable: [UNDELIVERABLE],
      openWindows: [TO],
    });
  });
  afterAll(async () => {
    await fake.close();
  });
  const wa = (over: Partial<Parameters<typeof whatsappCloud>[0]> = {}) =>
    whatsappCloud({ baseUrl: fake.url, version: 'v21.0', ...WA, retry: FAST, ...over });
  const graphError = (code: number, message: string) => ({ error: { message, type: 'OAuthException', code, fbtrace_id: 'AbC' } });

  it('sends the approved template with the body parameters in order, a bearer token, and returns the wamid', async () => {
    fake.requests.length = 0;
    const r = await wa().send({
      messageId: '6f1c2a9e-0000-4000-8000-000000000001',
      to: `+${TO}`,
      body: 'Hola Mariana Hernández, …',
      whatsappTemplate: recordatorio,
    });
    expect(r).toMatchObject({ ok: true, attempts: 1 });
    if (r.ok) expect(r.providerMessageId).toMatch(/^wamid\./);
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.path).toBe(`/v21.0/${WA.phoneNumberId}/messages`);
    expect(req.headers.authorization).toBe(`Bearer ${WA.accessToken}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: TO,
      type: 'template',
      template: {
        name: 'recordatorio_pago',
        language: { code: 'es_MX' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Mariana Hernández' },
              { type: 'text', text: '$18,500.00' },
              { type: 'text', text: '15/10/2026' },
              { type: 'text', text: 'https://pagos.cobranza.example/p/MX-1' },
            ],
          },
        ],
      },
      biz_opaque_callback_data: '6f1c2a9e-0000-4000-8000-000000000001',
    });
  });

  it('never sends free text: a message without an approved template fails at once, even inside an open window', async () => {
    fake.requests.length = 0;
    const r = await wa().send({ messageId: 'w0', to: `+${TO}`, body: 'Hola 👋' });
    expect(r).toMatchObject({ ok: false, permanent: true, status: null, code: 'whatsapp.template_required', attempts: 0 });
    expect(fake.requests).toHaveLength(0);
  });

  it('a template without parameters is sent without components', async () => {
    fake.requests.length = 0;
    const r = await wa().send({
      messageId: 'w1',
      to: `+${TO}`,
      body: 'x',
      whatsappTemplate: { name: 'recordatorio_pago', language: 'es', parameters: [] },
    });
    expect(JSON.parse(fake.requests[0]!.body).template).toEqual({ name: 'recordatorio_pago', language: { code: 'es' } });
    // the approved template has four variables: Meta answers 132000, permanent
    expect(r).toMatchObject({ ok: false, permanent: true, status: 400, code: 'whatsapp.132000', attempts: 1 });
    if (!r.ok)
      expect(r.message).toMatch(
        /number of parameters does not match.*localizable_params \(0\) does not match the expected number of params \(4\)/,
      );
  });

  it('a template Meta has not approved in that language is a permanent 132001, not retried', async () => {
    fake.requests.length = 0;
    const r = await wa().send({ messageId: 'w2', to: `+${TO}`, body: 'x', whatsappTemplate: { ...recordatorio, language: 'es_AR' } });
    expect(r).toMatchObject({ ok: false, permanent: true, status: 404, code: 'whatsapp.132001', attempts: 1 });
    if (!r.ok) expect(r.message).toMatch(/does not exist at Meta in this language.*recordatorio_pago\) does not exist in es_AR/);
    expect(fake.requests).toHaveLength(1);
  });

  it('an undeliverable number is a permanent 131026', async () => {
    fake.requests.length = 0;
    const r = await wa().send({ messageId: 'w3', to: `+${UNDELIVERABLE}`, body: 'x', whatsappTemplate: recordatorio });
    expect(r).toMatchObject({ ok: false, permanent: true, status: 400, code: 'whatsapp.131026', attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('a re-engagement refusal (131047, outside the 24-hour window) is permanent', async () => {
    fake.requests.length = 0;
    fake.failNext(1, 400, graphError(131047, '(#131047) Re-engagement message'));
    const r = await wa().send({ messageId: 'w4', to: `+${TO}`, body: 'x', whatsappTemplate: recordatorio });
    expect(r).toMatchObject({ ok: false, permanent: true, status: 400, code: 'whatsapp.131047', attempts: 1 });
    if (!r.ok) expect(r.message).toMatch(/only an approved template can reach them/);
    expect(fake.requests).toHaveLength(1);
  });

  it('the throughput limit (130429, answered as HTTP 400) is temporary: retried, then sent', async () => {
    fake.requests.length = 0;
    fake.failNext(2, 400, graphError(130429, '(#130429) Rate limit hit'));
    const r = await wa().send({ messageId: 'w5', to: `+${TO}`, body: 'x', whatsappTemplate: recordatorio });
    expect(r).toMatchObject({ ok: true, attempts: 3 });
    expect(fake.requests).toHaveLength(3);
  });

  it('a throughput limit that lasts past the retries is reported as temporary', async () => {
    fake.requests.length = 0;
    fake.failNext(5, 400, graphError(130429, '(#130429) Rate limit hit'));
    const r = await wa().send({ messageId: 'w6', to: `+${TO}`, body: 'x', whatsappTemplate: recordatorio });
    expect(r).toMatchObject({ ok: false, permanent: false, status: 400, code: 'whatsapp.130429', attempts: 3 });
    expect(fake.requests).toHaveLength(3);
    fake.failNext(0);
  });

  it('does not retry an invalid token (401, OAuthException 190)', async () => {
    fake.requests.length = 0;
    const r = await wa({ accessToken: 'bad' }).send({ messageId: 'w7', to: `+${TO}`, body: 'x', whatsappTemplate: recordatorio });
    expect(r).toMatchObject({ ok: false, permanent: true, status: 401, code: 'whatsapp.190', attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 5xx and succeeds', async () => {
    fake.requests.length = 0;
    fake.failNext(1, 502);
    const r = await wa().send({ messageId: 'w8', to: `+${TO}`, body: 'x', whatsappTemplate: recordatorio });
    expect(r).toMatchObject({ ok: true, attempts: 2 });
    expect(fake.requests).toHaveLength(2);
  });

  it('reports an unreachable provider as temporary after the retries', async () => {
    const r = await wa({ baseUrl: 'http://127.0.0.1:9' }).send({
      messageId: 'w9',
      to: `+${TO}`,
      body: 'x',
      whatsappTemplate: recordatorio,
    });
    expect(r).toMatchObject({ ok: false, permanent: false, status: null, code: 'whatsapp.unreachable', attempts: 3 });
  });
});
