import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSms } from '../../../src/server/messaging/providers/twilio';
import { startFakeTwilio, type FakeProvider } from '../../helpers/fake-providers';
import { call, login } from '../../helpers/server';
import { importRows, lookup, rawClient, row, startComplianceServer, type ComplianceServer } from '../compliance/helpers';

const AT = new Date('2026-11-25T15:00:00Z'); // Wednesday 10:00 Bogotá
const TW = { accountSid: 'AC0000000000000000000000000000dddd', authToken: 'tok' };

let s: ComplianceServer;
let twilio: FakeProvider;
let token: string;
let smsTemplate: string;
let emailTemplate: string;

beforeAll(async () => {
  twilio = await startFakeTwilio(TW);
  s = await startComplianceServer(
    { sms: twilioSms({ baseUrl: twilio.url, ...TW, from: '+15005550006', retry: { attempts: 3, baseDelayMs: 5, timeoutMs: 2000 } }) },
    AT,
  );
  await importRows(
    s,
    ['A', 'B', 'C', 'D'].map((k, i) =>
      row({
        debtorExternalId: `DSP-${k}`,
        name: `Deudor ${k}`,
        nationalId: `8000000${i}`,
        accountRef: `DSP-${k}-1`,
        phones: [`+57310000000${i}`],
        whatsapp: [],
        emails: [`d${i}@example.com`],
        assignedAgent: 'agente1',
      }),
    ),
  );
  token = (await login(s, 'agente1', 'agente123')).token;
  const templates = (await call(s, 'GET', '/api/v1/messages/templates', { token })).body as Array<{ id: string; channel: string }>;
  smsTemplate = templates.find((t) => t.channel === 'sms')!.id;
  emailTemplate = templates.find((t) => t.channel === 'email')!.id;
}, 60_000);

afterAll(async () => {
  await s?.close();
  await twilio?.close();
});

async function send(ref: string, channel: 'sms' | 'email') {
  const t = await lookup(s.db, ref);
  const id = randomUUID();
  const r = await rawClient(s, token).push('message.send', {
    id,
    accountId: t.accountId,
    contactPointId: channel === 'sms' ? t.phoneId : t.emailId,
    channel,
    templateId: channel === 'sms' ? smsTemplate : emailTemplate,
    body: 'x',
    createdAt: AT.toISOString(),
  });
  expect(r.status).toBe('applied');
  return id;
}

const status = async (id: string) =>
  (
    await s.db.query<{ status: string; error: string | null; attempts: number }>(
      'SELECT status, error, attempts FROM outbound_messages WHERE id = $1',
      [id],
    )
  )[0]!;

describe('dispatcher', () => {
  it('a 5xx is retried and the message is sent once', async () => {
    twilio.requests.length = 0;
    twilio.failNext(1, 503);
    const id = await send('DSP-A-1', 'sms');
    await s.dispatcher.runOnce();
    expect(await status(id)).toMatchObject({ status: 'sent', error: null, attempts: 1 });
    expect(twilio.requests).toHaveLength(2);
    await s.dispatcher.runOnce();
    expect(twilio.requests).toHaveLength(2);
  });

  it('a 4xx fails the message at once, with the provider code; it is not retried later', async () => {
    twilio.requests.length = 0;
    twilio.failNext(1, 400);
    const id = await send('DSP-B-1', 'sms');
    await s.dispatcher.runOnce();
    const st = await status(id);
    expect(st.status).toBe('failed');
    expect(st.error).toMatch(/^twilio\.400/);
    expect(twilio.requests).toHaveLength(1);
    await s.dispatcher.runOnce();
    expect(twilio.requests).toHaveLength(1);
  });

  it('a channel without a provider fails visibly (never dropped)', async () => {
    const id = await send('DSP-C-1', 'email');
    await s.dispatcher.runOnce();
    expect(await status(id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^no_provider/) });
  });

  it('a message for a template of another channel is rejected, naming the field', async () => {
    const t = await lookup(s.db, 'DSP-D-1');
    const r = await rawClient(s, token).push('message.send', {
      id: randomUUID(),
      accountId: t.accountId,
      contactPointId: t.phoneId,
      channel: 'sms',
      templateId: emailTemplate,
      body: 'x',
      createdAt: AT.toISOString(),
    });
    expect(r).toMatchObject({ status: 'rejected', error: { code: 'invalid_args', field: 'channel' } });
  });
});
