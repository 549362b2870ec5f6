import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSms } from '../../../src/server/messaging/providers/twilio';
import { whatsappCloud } from '../../../src/server/messaging/providers/whatsapp';
import type { MessageProvider } from '../../../src/server/messaging/providers/types';
import { metaSignature, twilioSignature } from '../../../src/server/messaging/webhook-signatures';
import { startFakeTwilio, startFakeWhatsApp, type FakeProvider } from '../../helpers/fake-providers';
import { call, login } from '../../helpers/server';
import { importRows, rawClient, row, startComplianceServer, type ComplianceServer } from '../compliance/helpers';

// Wednesday 25 Nov 2026, 10:00 in Bogotá
const AT = new Date('2026-11-25T15:00:00Z');
const TW = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'twilio-auth-token-0123456789' };
const WA = {
  accessToken: 'EAAG-webhooks',
  phoneNumberId: '1098765432',
  appSecret: 'meta-app-secret-0123456789',
  verifyToken: 'verify-token-0123456789',
};

let s: ComplianceServer;
let twilio: FakeProvider;
let meta: FakeProvider;
let org: string;
let agent: string;
let lead: string;
let templates: Array<{ id: string; channel: string; whatsapp: unknown }>;
/** Set by a test: runs inside the SMS send, after Twilio accepted it and before our server stored its id. */
let duringSend: ((sid: string) => Promise<void>) | null = null;

const PHONES = {
  A: '+573001110001',
  B: '+573001110002',
  C: '+573001110003',
  W: '+573001110004',
  X: '+573001110005',
  Y: '+573001110006',
  Z: '+573001110007',
};
const PUBLIC = 'https://cobranza.example.com';

beforeAll(async () => {
  // the address Twilio and Meta are given; the server itself listens on 127.0.0.1 behind it
  process.env.PUBLIC_BASE_URL = PUBLIC;
  twilio = await startFakeTwilio(TW);
  meta = await startFakeWhatsApp(WA, {
    templates: [
      { name: 'recordatorio_pago', language: 'es', bodyParams: 4 },
      { name: 'acuerdo_pago', language: 'es', bodyParams: 4 },
    ],
    openWindows: [PHONES.Z.slice(1)],
  });
  const sms = twilioSms({ baseUrl: twilio.url, ...TW, from: '+15005550006', retry: { attempts: 2, baseDelayMs: 5, timeoutMs: 2000 } });
  // Twilio calls back within milliseconds, sometimes before its API answer reaches us
  const racingSms: MessageProvider = {
    ...sms,
    async send(m) {
      const r = await sms.send(m);
      if (r.ok && duringSend) await duringSend(r.providerMessageId);
      return r;
    },
  };
  s = await startComplianceServer(
    {
      sms: racingSms,
      whatsapp: whatsappCloud({ baseUrl: meta.url, version: 'v21.0', ...WA, retry: { attempts: 2, baseDelayMs: 5, timeoutMs: 2000 } }),
    },
    AT,
    { publicBaseUrl: PUBLIC },
  );
  await importRows(
    s,
    Object.entries(PHONES).map(([k, phone], i) =>
      row({
        debtorExternalId: `WH-${k}`,
        name: `Deudor ${k}`,
        nationalId: `9100000${i}`,
        accountRef: `WH-${k}-1`,
        phones: [phone],
        whatsapp: [phone],
        emails: [`wh${i}@example.com`],
        assignedAgent: 'agente1',
      }),
    ),
  );
  org = (await s.db.query<{ code: string }>('SELECT code FROM organizations LIMIT 1'))[0]!.code;
  agent = (await login(s, 'agente1', 'agente123')).token;
  lead = (await login(s, 'lider', 'lider123')).token;
  const admin = (await login(s, 'admin', 'admin123')).token;
  const cfg = await call(s, 'PUT', '/api/v1/org/messaging', {
    token: admin,
    body: {
      twilioAccountSid: TW.accountSid,
      twilioAuthToken: TW.authToken,
      whatsappPhoneNumberId: WA.phoneNumberId,
      whatsappAppSecret: WA.appSecret,
      whatsappVerifyToken: WA.verifyToken,
    },
  });
  expect(cfg.status).toBe(200);
  expect(cfg.body).toEqual({
    twilioAccountSid: TW.accountSid,
    twilioAuthTokenSet: true,
    whatsappPhoneNumberId: WA.phoneNumberId,
    whatsappAppSecretSet: true,
    whatsappVerifyTokenSet: true,
    imapHost: null,
    imapPort: null,
    imapSecure: true,
    imapUser: null,
    imapPasswordSet: false,
    imapMailbox: 'INBOX',
  });
  templates = (await call(s, 'GET', '/api/v1/messages/templates', { token: agent })).body;
}, 90_000);

afterAll(async () => {
  delete process.env.PUBLIC_BASE_URL;
  await s?.close();
  await twilio?.close();
  await meta?.close();
});

async function cpOf(ref: string, kind: 'phone' | 'whatsapp') {
  const [r] = await s.db.query<{ accountId: string; cpId: string; debtorId: string }>(
    `SELECT a.id AS "accountId", c.id AS "cpId", a.debtor_id AS "debtorId" FROM accounts a
     JOIN contact_points c ON c.debtor_id = a.debtor_id AND c.kind = $2 WHERE a.external_ref = $1`,
    [ref, kind],
  );
  return r!;
}

async function send(ref: string, channel: 'sms' | 'whatsapp') {
  const t = await cpOf(ref, channel === 'sms' ? 'phone' : 'whatsapp');
  const id = randomUUID();
  const template = templates.find((x) => x.channel === channel && (channel === 'sms' || x.whatsapp))!;
  const r = await rawClient(s, agent).push('message.send', {
    id,
    accountId: t.accountId,
    contactPointId: t.cpId,
    channel,
    templateId: template.id,
    body: 'x',
    createdAt: AT.toISOString(),
  });
  expect(r.status).toBe('applied');
  await s.dispatcher.runOnce();
  return id;
}

const message = async (id: string) =>
  (
    await s.db.query<{ status: string; error: string | null; sid: string; activityStatus: string | null; activityError: string | null }>(
      `SELECT m.status, m.error, m.provider_message_id AS sid, a.message_status AS "activityStatus", a.message_error AS "activityError"
       FROM outbound_messages m JOIN activities a ON a.id = m.id WHERE m.id = $1`,
      [id],
    )
  )[0]!;

const statusUrl = () => `/api/v1/webhooks/${org}/twilio/status`;
const inboundUrl = () => `/api/v1/webhooks/${org}/twilio/inbound`;

/** Posts as Twilio does: form-encoded, signed over the public URL it was given. */
async function twilioPost(path: string, params: Record<string, string>, opts: { token?: string; signedUrl?: string } = {}) {
  const body = new URLSearchParams(params);
  const signed = opts.signedUrl ?? `${PUBLIC}${path}`;
  const sig = twilioSignature(signed, [...body.entries()], opts.token ?? TW.authToken);
  const r = await fetch(s.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig },
    body: body.toString(),
  });
  return { status: r.status, text: await r.text(), type: r.headers.get('content-type') };
}

async function metaPost(payload: unknown, secret = WA.appSecret) {
  const raw = Buffer.from(JSON.stringify(payload));
  const r = await fetch(`${s.url}/api/v1/webhooks/${org}/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(raw, secret) },
    body: raw,
  });
  return { status: r.status, text: await r.text() };
}

const waChange = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: WA.phoneNumberId },
            ...value,
          },
        },
      ],
    },
  ],
});

const statusForm = (sid: string, status: string, extra: Record<string, string> = {}) => ({
  AccountSid: TW.accountSid,
  ApiVersion: '2010-04-01',
  From: '+15005550006',
  MessageSid: sid,
  MessageStatus: status,
  SmsSid: sid,
  SmsStatus: status,
  To: PHONES.A,
  ...extra,
});

const eventCount = async () => Number((await s.db.query<{ n: string }>('SELECT count(*) AS n FROM message_status_events'))[0]!.n);

describe('Twilio status callback', () => {
  it('delivered is recorded on the message and its activity; a late sent does not undo it', async () => {
    twilio.requests.length = 0;
    const id = await send('WH-A-1', 'sms');
    // Twilio is asked to call back at the organisation's public webhook URL
    expect(new URLSearchParams(twilio.requests.at(-1)!.body).get('StatusCallback')).toBe(`${PUBLIC}/api/v1/webhooks/${org}/twilio/status`);
    const { sid } = await message(id);
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    const r = await twilioPost(statusUrl(), statusForm(sid, 'delivered'));
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/text\/xml/);
    expect(r.text).toContain('<Response>');
    expect(await message(id)).toMatchObject({ status: 'delivered', activityStatus: 'delivered' });
    expect((await twilioPost(statusUrl(), statusForm(sid, 'sent'))).status).toBe(200);
    expect(await message(id)).toMatchObject({ status: 'delivered', activityStatus: 'delivered' });
  });

  it('undelivered is failed with Twilio’s error code', async () => {
    const id = await send('WH-B-1', 'sms');
    const { sid } = await message(id);
    await twilioPost(statusUrl(), statusForm(sid, 'undelivered', { ErrorCode: '30003' }));
    const m = await message(id);
    expect(m.status).toBe('failed');
    expect(m.activityError).toBe('twilio.30003: unreachable destination handset');
  });

  it('a callback that beats the API answer is applied when the id is stored', async () => {
    duringSend = async (sid) => {
      const r = await twilioPost(statusUrl(), statusForm(sid, 'delivered'));
      expect(r.status).toBe(200);
    };
    try {
      const id = await send('WH-C-1', 'sms');
      expect(await message(id)).toMatchObject({ status: 'delivered', activityStatus: 'delivered' });
    } finally {
      duringSend = null;
    }
  });

  it('a bad signature, another token, another account or the internal URL are refused and change nothing', async () => {
    const id = await send('WH-W-1', 'sms');
    const { sid } = await message(id);
    const before = await eventCount();
    const wrongToken = await twilioPost(statusUrl(), statusForm(sid, 'delivered'), { token: 'another-token-0123456789' });
    expect(wrongToken.status).toBe(403);
    // signed correctly, but for the address the server sees behind the proxy, not the one Twilio was given
    expect((await twilioPost(statusUrl(), statusForm(sid, 'delivered'), { signedUrl: s.url + statusUrl() })).status).toBe(403);
    expect((await twilioPost(statusUrl(), statusForm(sid, 'delivered', { AccountSid: 'AC' + 'f'.repeat(32) }))).status).toBe(403);
    const unsigned = await fetch(s.url + statusUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(statusForm(sid, 'delivered')).toString(),
    });
    expect(unsigned.status).toBe(403);
    expect((await unsigned.json()).error.code).toBe('webhook_signature_invalid');
    expect(await eventCount()).toBe(before);
    expect((await message(id)).status).toBe('sent');
    // an organisation code with no Twilio set up
    expect((await twilioPost('/api/v1/webhooks/no-such-org/twilio/status', statusForm(sid, 'delivered'))).status).toBe(404);
  });
});

describe('replies by SMS', () => {
  it("a debtor's reply becomes an inbound activity of the account's agent, once per MessageSid", async () => {
    const t = await cpOf('WH-A-1', 'phone');
    const form = {
      AccountSid: TW.accountSid,
      MessageSid: 'SM' + 'a'.repeat(32),
      From: PHONES.A,
      To: '+15005550006',
      Body: 'Pago el viernes',
      NumMedia: '0',
    };
    expect((await twilioPost(inboundUrl(), form)).status).toBe(200);
    expect((await twilioPost(inboundUrl(), form)).status).toBe(200);
    const acts = await s.db.query<{ note: string; direction: string; agent: string }>(
      `SELECT a.note, a.direction, u.username AS agent FROM activities a JOIN users u ON u.id = a.agent_id
       WHERE a.account_id = $1 AND a.direction = 'inbound'`,
      [t.accountId],
    );
    expect(acts).toEqual([{ note: 'Pago el viernes', direction: 'inbound', agent: 'agente1' }]);
  });

  it('"NO MÁS" refuses SMS for the debtor at once, audited, and the next SMS is blocked', async () => {
    const t = await cpOf('WH-B-1', 'phone');
    const form = { AccountSid: TW.accountSid, MessageSid: 'SM' + 'b'.repeat(32), From: PHONES.B, To: '+15005550006', Body: '¡No más!' };
    expect((await twilioPost(inboundUrl(), form)).status).toBe(200);
    const [d] = await s.db.query<{ prefs: { refusedChannels?: string[] } }>('SELECT contact_prefs AS prefs FROM debtors WHERE id = $1', [
      t.debtorId,
    ]);
    expect(d!.prefs.refusedChannels).toEqual(['sms']);
    const audit = await s.db.query<{ action: string; after: { word: string } }>(
      `SELECT action, after FROM org_audit WHERE action = 'debtor.channel_refused' AND account_id = $1`,
      [t.accountId],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after.word).toBe('no mas');
    const id = randomUUID();
    await rawClient(s, agent).push('message.send', {
      id,
      accountId: t.accountId,
      contactPointId: t.cpId,
      channel: 'sms',
      templateId: templates.find((x) => x.channel === 'sms')!.id,
      body: 'x',
      createdAt: AT.toISOString(),
    });
    const [m] = await s.db.query<{ status: string; reasons: Array<{ ruleId: string }> }>(
      'SELECT status, reasons FROM outbound_messages WHERE id = $1',
      [id],
    );
    expect(m!.status).toBe('blocked');
    expect(m!.reasons.map((r) => r.ruleId)).toContain('hard.channel_refused');
  });

  it("an unknown sender's reply lands in the team lead's list (not the agent's)", async () => {
    const form = {
      AccountSid: TW.accountSid,
      MessageSid: 'SM' + 'c'.repeat(32),
      From: '+573009999999',
      To: '+15005550006',
      Body: '¿Quién es?',
    };
    expect((await twilioPost(inboundUrl(), form)).status).toBe(200);
    expect((await call(s, 'GET', '/api/v1/replies/unknown', { token: agent })).status).toBe(403);
    const list = await call(s, 'GET', '/api/v1/replies/unknown', { token: lead });
    expect(list.status).toBe(200);
    const mine = list.body.find((r: { from: string }) => r.from === '+573009999999');
    expect(mine).toMatchObject({ channel: 'sms', body: '¿Quién es?', handledBy: null });
    const done = await call(s, 'POST', `/api/v1/replies/${mine.id}/handled`, { token: lead });
    expect(done.body).toMatchObject({ handledBy: 'lider' });
    const after = await call(s, 'GET', '/api/v1/replies/unknown', { token: lead });
    expect(after.body.some((r: { id: string }) => r.id === mine.id)).toBe(false);
  });
});

describe('WhatsApp Cloud API webhook', () => {
  it('answers the verification handshake only with the organisation’s verify token', async () => {
    const q = (token: string) => `/api/v1/webhooks/${org}/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`;
    const ok = await fetch(s.url + q(WA.verifyToken));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await fetch(s.url + q('wrong-token-0123456789'))).status).toBe(403);
  });

  it('statuses delivered then read (and a late sent) reach the message; a reply is matched by wa_id', async () => {
    const id = await send('WH-X-1', 'whatsapp');
    const { sid } = await message(id);
    expect(await message(id)).toMatchObject({ status: 'sent', error: null });
    expect(sid).toMatch(/^wamid\./);
    const ts = String(Math.floor(Date.now() / 1000));
    const statuses = (status: string) =>
      waChange({ statuses: [{ id: sid, status, timestamp: ts, recipient_id: PHONES.X.slice(1), biz_opaque_callback_data: id }] });
    expect((await metaPost(statuses('delivered'))).status).toBe(200);
    expect((await metaPost(statuses('read'))).status).toBe(200);
    expect((await metaPost(statuses('sent'))).status).toBe(200);
    expect(await message(id)).toMatchObject({ status: 'read', activityStatus: 'read' });

    const t = await cpOf('WH-X-1', 'whatsapp');
    const reply = waChange({
      contacts: [{ profile: { name: 'Deudor X' }, wa_id: PHONES.X.slice(1) }],
      messages: [
        { from: PHONES.X.slice(1), id: 'wamid.HBgMNTczMDAxMTEwMDA0FQIAEhgg', timestamp: ts, type: 'text', text: { body: 'Ya pagué ayer' } },
      ],
    });
    expect((await metaPost(reply)).status).toBe(200);
    const acts = await s.db.query<{ note: string; channel: string }>(
      `SELECT note, channel FROM activities WHERE account_id = $1 AND direction = 'inbound'`,
      [t.accountId],
    );
    expect(acts).toEqual([{ note: 'Ya pagué ayer', channel: 'whatsapp' }]);
  });

  it('failed carries Meta’s error; a bad signature is refused and changes nothing', async () => {
    const id = await send('WH-Y-1', 'whatsapp');
    const { sid } = await message(id);
    const failed = waChange({
      statuses: [
        {
          id: sid,
          status: 'failed',
          timestamp: String(Math.floor(Date.now() / 1000)),
          recipient_id: PHONES.Y.slice(1),
          errors: [{ code: 131026, title: 'Message undeliverable', error_data: { details: 'Message Undeliverable.' } }],
        },
      ],
    });
    const before = await eventCount();
    expect((await metaPost(failed, 'not-the-app-secret-0123')).status).toBe(403);
    expect(await eventCount()).toBe(before);
    expect((await message(id)).status).toBe('sent');
    expect((await metaPost(failed)).status).toBe(200);
    expect(await message(id)).toMatchObject({
      status: 'failed',
      activityError: 'whatsapp.131026: Message undeliverable — Message Undeliverable.',
    });
  });

  it('BAJA on WhatsApp refuses WhatsApp only', async () => {
    const t = await cpOf('WH-C-1', 'whatsapp');
    const optOut = waChange({
      messages: [
        {
          from: PHONES.C.slice(1),
          id: 'wamid.optout-c',
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'text',
          text: { body: 'BAJA' },
        },
      ],
    });
    expect((await metaPost(optOut)).status).toBe(200);
    const [d] = await s.db.query<{ prefs: { refusedChannels?: string[] } }>('SELECT contact_prefs AS prefs FROM debtors WHERE id = $1', [
      t.debtorId,
    ]);
    expect(d!.prefs.refusedChannels).toEqual(['whatsapp']);
  });

  it('a reply opens the 24-hour window: free text goes inside it as type text, and is refused where the debtor never wrote', async () => {
    const z = await cpOf('WH-Z-1', 'whatsapp');
    const wrote = waChange({
      messages: [
        {
          from: PHONES.Z.slice(1),
          id: 'wamid.window-z',
          timestamp: String(AT.getTime() / 1000 - 600),
          type: 'text',
          text: { body: '¿Cuánto debo?' },
        },
      ],
    });
    expect((await metaPost(wrote)).status).toBe(200);
    const id = randomUUID();
    const free = {
      id,
      accountId: z.accountId,
      contactPointId: z.cpId,
      channel: 'whatsapp',
      freeText: true,
      body: 'Debe $ 1.200.000; le envío el enlace de pago.',
      createdAt: AT.toISOString(),
    };
    expect((await rawClient(s, agent).push('message.send', free)).status).toBe('applied');
    meta.requests.length = 0;
    await s.dispatcher.runOnce();
    expect(JSON.parse(meta.requests.at(-1)!.body)).toMatchObject({
      type: 'text',
      text: { body: 'Debe $ 1.200.000; le envío el enlace de pago.' },
      to: PHONES.Z.slice(1),
    });
    expect((await message(id)).status).toBe('sent');

    const y = await cpOf('WH-Y-1', 'whatsapp');
    const refused = await rawClient(s, agent).push('message.send', {
      ...free,
      id: randomUUID(),
      accountId: y.accountId,
      contactPointId: y.cpId,
    });
    expect(refused).toMatchObject({ status: 'rejected', error: { code: 'whatsapp_window_closed' } });
  });
});
