import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollAllMailboxes } from '../../../src/server/messaging/imap-replies';
import { startDovecot, type DovecotHandle } from '../../helpers/dovecot';
import { freePort } from '../../helpers/kamailio';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';

/**
 * Each organisation's reply mailbox, set by its admin on the provider settings (PostgreSQL,
 * Debian's Dovecot): the password is write-only and audited only as changed, a save that leaves it
 * out keeps it, and the poller reads the organisation's own mailbox — another organisation's broken
 * mailbox is reported and keeps nobody else's replies from being read.
 */
describe('reply mailbox per organisation (Dovecot)', () => {
  let s: TestServer;
  let dovecot: DovecotHandle;
  let admin: string;
  let orgId: string;
  let debtorId: string;

  beforeAll(async () => {
    dovecot = await startDovecot();
    s = await startTestServer({ backend: 'pg', seed: { accounts: 6 } });
    admin = (await login(s, 'admin', 'admin123')).token;
    orgId = (await s.db.query<{ id: string }>('SELECT id FROM organizations LIMIT 1'))[0]!.id;
    debtorId = (await s.db.query<{ id: string }>('SELECT debtor_id AS id FROM accounts ORDER BY id LIMIT 1'))[0]!.id;
    await s.db.query(`INSERT INTO contact_points (debtor_id, kind, value) VALUES ($1, 'email', 'ana.buzon@example.com')`, [debtorId]);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await dovecot?.stop();
  });

  const put = (body: Record<string, unknown>, token = admin) =>
    call(s, 'PUT', '/api/v1/org/messaging', {
      token,
      body: { twilioAccountSid: null, whatsappPhoneNumberId: null, ...body },
    });

  it('stores the mailbox; the password is never answered back nor audited, and a save without it keeps it', async () => {
    const r = await put({
      imapHost: dovecot.host,
      imapPort: dovecot.port,
      imapSecure: false,
      imapUser: dovecot.user,
      imapPassword: dovecot.pass,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ imapHost: dovecot.host, imapPort: dovecot.port, imapUser: dovecot.user, imapPasswordSet: true });
    expect(JSON.stringify(r.body)).not.toContain(dovecot.pass);
    const again = await put({ imapMailbox: 'INBOX' });
    expect(again.body.imapPasswordSet).toBe(true);
    const audit = await s.db.query<{ after: { secretsChanged: string[] } }>(
      `SELECT after FROM org_audit WHERE org_id = $1 AND action = 'messaging.config' ORDER BY seq`,
      [orgId],
    );
    expect(audit.map((a) => a.after.secretsChanged)).toEqual([['imapPassword'], []]);
    expect(JSON.stringify(audit)).not.toContain(dovecot.pass);
    // field-level refusal, and only admins
    const bad = await put({ imapHost: 'not a host!' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('imapHost');
    const agent = (await login(s, 'agente1', 'agente123')).token;
    expect((await call(s, 'GET', '/api/v1/org/messaging', { token: agent })).status).toBe(403);
  });

  it("reads the organisation's own mailbox; another organisation's broken one is reported, not in the way", async () => {
    const c = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.pass },
      logger: false,
    });
    await c.connect();
    await c.append(
      'INBOX',
      [
        'From: Ana <ana.buzon@example.com>',
        'To: respuestas@acme.example',
        'Subject: Re: su saldo',
        'Message-ID: <reply-org-1@example.com>',
        'Date: Wed, 25 Nov 2026 10:00:00 -0500',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Pago el lunes.',
        '',
      ].join('\r\n'),
    );
    await c.logout();
    // a second organisation whose mailbox answers nowhere
    const [other] = await s.db.query<{ id: string }>(
      `INSERT INTO organizations (name, country, time_zone, code) VALUES ('Otra', 'MX', 'America/Mexico_City', 'otra') RETURNING id`,
    );
    await s.db.query(
      `INSERT INTO org_messaging_config (org_id, imap_host, imap_port, imap_secure, imap_user, imap_password) VALUES ($1, '127.0.0.1', $2, false, 'x', 'y')`,
      [other!.id, await freePort()],
    );
    const failed: string[] = [];
    const n = await pollAllMailboxes(s.db, null, (_e, org) => failed.push(org));
    expect(n).toBe(1);
    expect(failed).toEqual([other!.id]);
    const replies = await s.db.query<{ orgId: string; debtorId: string; body: string }>(
      `SELECT org_id AS "orgId", debtor_id AS "debtorId", body FROM inbound_messages WHERE channel = 'email'`,
    );
    expect(replies).toEqual([{ orgId, debtorId, body: 'Pago el lunes.' }]);
    // read once: the next round finds nothing new
    expect(await pollAllMailboxes(s.db, null, () => undefined)).toBe(0);
  });
});
