import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollMailbox, type MailboxConfig } from '../../../src/server/messaging/imap-replies';
import { smtpEmail } from '../../../src/server/messaging/providers/smtp';
import { startDovecot, type DovecotHandle } from '../../helpers/dovecot';
import { call, login } from '../../helpers/server';
import { importRows, rawClient, row, startComplianceServer, type ComplianceServer } from '../compliance/helpers';
import { RELAY_PASS, RELAY_USER, startLocalRelay, type LocalRelay } from './smtp-relay';

// Wednesday 25 Nov 2026, 10:00 in Bogotá
const AT = new Date('2026-11-25T15:00:00Z');

let s: ComplianceServer;
let dovecot: DovecotHandle;
let relay: LocalRelay;
let mailbox: MailboxConfig;
let agent: string;

beforeAll(async () => {
  dovecot = await startDovecot();
  relay = await startLocalRelay();
  s = await startComplianceServer(
    {
      email: smtpEmail({
        url: relay.url,
        user: RELAY_USER,
        pass: RELAY_PASS,
        from: 'Cartera <cartera@acme.example>',
        replyTo: 'respuestas@acme.example',
        retry: { attempts: 2, baseDelayMs: 5, timeoutMs: 3000 },
      }),
    },
    AT,
  );
  await importRows(s, [
    row({
      debtorExternalId: 'IM-A',
      name: 'Ana Mail',
      nationalId: '71000001',
      accountRef: 'IM-A-1',
      emails: ['ana.mail@example.com'],
      phones: [],
      whatsapp: [],
    }),
    row({
      debtorExternalId: 'IM-B',
      name: 'Beto Mail',
      nationalId: '71000002',
      accountRef: 'IM-B-1',
      emails: ['beto@example.com'],
      phones: [],
      whatsapp: [],
    }),
  ]);
  agent = (await login(s, 'agente1', 'agente123')).token;
  const orgId = (await s.db.query<{ id: string }>('SELECT id FROM organizations LIMIT 1'))[0]!.id;
  mailbox = { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, pass: dovecot.pass, orgId };
}, 90_000);

afterAll(async () => {
  await s?.close();
  await relay?.close();
  await dovecot?.stop();
});

/** Delivers a message into the reply mailbox (what the organisation's MX would do). */
async function deliver(raw: string) {
  const c = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.pass },
    logger: false,
  });
  await c.connect();
  await c.append('INBOX', raw.replace(/\n/g, '\r\n'));
  await c.logout();
}

async function unseen(): Promise<number> {
  const c = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.pass },
    logger: false,
  });
  await c.connect();
  const st = await c.status('INBOX', { unseen: true });
  await c.logout();
  return st.unseen ?? -1;
}

async function accountOf(ref: string) {
  const [r] = await s.db.query<{ accountId: string; debtorId: string; emailId: string }>(
    `SELECT a.id AS "accountId", a.debtor_id AS "debtorId", c.id AS "emailId" FROM accounts a
     JOIN contact_points c ON c.debtor_id = a.debtor_id AND c.kind = 'email' WHERE a.external_ref = $1`,
    [ref],
  );
  return r!;
}

const inbound = (accountId: string) =>
  s.db.query<{ note: string; channel: string }>(
    `SELECT note, channel FROM activities WHERE account_id = $1 AND direction = 'inbound' ORDER BY started_at`,
    [accountId],
  );

describe('e-mail replies over IMAP (Dovecot)', () => {
  it('a reply in the thread of our message is matched by In-Reply-To, even from another address, and read once', async () => {
    const a = await accountOf('IM-A-1');
    const templates = (await call(s, 'GET', '/api/v1/messages/templates', { token: agent })).body as Array<{ id: string; channel: string }>;
    const id = randomUUID();
    const r = await rawClient(s, agent).push('message.send', {
      id,
      accountId: a.accountId,
      contactPointId: a.emailId,
      channel: 'email',
      templateId: templates.find((t) => t.channel === 'email')!.id,
      body: 'x',
      createdAt: AT.toISOString(),
    });
    expect(r.status).toBe('applied');
    await s.dispatcher.runOnce();
    const sent = relay.received.at(-1)!;
    const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(sent.raw)![1]!;
    expect(messageId).toBe(`<${id}@acme.example>`);

    await deliver(`From: Ana <ana.trabajo@empresa.example>
To: respuestas@acme.example
Subject: Re: Recordatorio de pago
Message-ID: <reply-1@empresa.example>
In-Reply-To: ${messageId}
References: ${messageId}
Date: Wed, 25 Nov 2026 10:30:00 -0500
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hola, pago el lunes 30.

El mié, 25 nov 2026 a las 10:00, Cartera escribió:
> Estimada Ana, su saldo vence...
`);
    const out = await pollMailbox(s.db, mailbox);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ accountId: a.accountId, debtorId: a.debtorId, optOut: null, duplicate: false });
    expect(await inbound(a.accountId)).toEqual([{ note: 'Re: Recordatorio de pago\n\nHola, pago el lunes 30.', channel: 'email' }]);
    expect(await unseen()).toBe(0);
    // read again (as after a crash before \Seen): still one reply
    expect(await pollMailbox(s.db, mailbox)).toEqual([]);
  });

  it('BAJA from the debtor’s address refuses e-mail; an unknown sender waits for the lead; an auto-reply is skipped', async () => {
    const b = await accountOf('IM-B-1');
    await deliver(`From: beto@example.com
To: respuestas@acme.example
Subject: BAJA
Message-ID: <baja-1@example.com>
Date: Wed, 25 Nov 2026 11:00:00 -0500

Baja
`);
    await deliver(`From: desconocido@otro.example
To: respuestas@acme.example
Subject: consulta
Message-ID: <unknown-1@otro.example>
Date: Wed, 25 Nov 2026 11:05:00 -0500

¿De qué deuda me hablan?
`);
    await deliver(`From: ana.mail@example.com
To: respuestas@acme.example
Subject: Fuera de la oficina
Auto-Submitted: auto-replied
Message-ID: <ooo-1@example.com>
Date: Wed, 25 Nov 2026 11:06:00 -0500

Estoy de vacaciones.
`);
    const out = await pollMailbox(s.db, mailbox);
    expect(out).toHaveLength(2);
    expect(out.find((o) => o.debtorId === b.debtorId)).toMatchObject({ optOut: 'baja' });
    const [d] = await s.db.query<{ prefs: { refusedChannels?: string[] } }>('SELECT contact_prefs AS prefs FROM debtors WHERE id = $1', [
      b.debtorId,
    ]);
    expect(d!.prefs.refusedChannels).toEqual(['email']);
    const lead = (await login(s, 'lider', 'lider123')).token;
    const list = (await call(s, 'GET', '/api/v1/replies/unknown', { token: lead })).body as Array<{ from: string; subject: string }>;
    expect(list).toEqual([expect.objectContaining({ from: 'desconocido@otro.example', subject: 'consulta', channel: 'email' })]);
    expect(await unseen()).toBe(0);
    const a = await accountOf('IM-A-1');
    expect((await inbound(a.accountId)).some((x) => x.note.includes('vacaciones'))).toBe(false);
  });
});
