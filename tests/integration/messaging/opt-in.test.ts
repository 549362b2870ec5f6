import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../../src/server/messaging/webhook-signatures';
import { PROTOCOL_VERSION } from '../../../src/shared/sync/protocol';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';

const TW = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'twilio-auth-token-0123456789' };

/**
 * A debtor's "ALTA" / "START" on PostgreSQL, through Twilio's signed inbound webhook: it lifts the
 * refusal the debtor made by a word (audited, synced with the debtor's version), never one an
 * agent recorded as a legal instruction, and an agent's edit of the preferences never lifts one.
 */
describe('opt-in by reply (PostgreSQL)', () => {
  let s: TestServer;
  let org: string;
  let agentToken: string;
  let debtor: { id: string; accountId: string; phone: string };

  beforeAll(async () => {
    s = await startTestServer({ backend: 'pg', seed: { accounts: 8 } });
    const admin = (await login(s, 'admin', 'admin123')).token;
    agentToken = (await login(s, 'agente1', 'agente123')).token;
    const cfg = await call(s, 'PUT', '/api/v1/org/messaging', {
      token: admin,
      body: {
        twilioAccountSid: TW.accountSid,
        twilioAuthToken: TW.authToken,
        whatsappPhoneNumberId: null,
        whatsappAppSecret: null,
        whatsappVerifyToken: null,
      },
    });
    expect(cfg.status).toBe(200);
    org = (await s.db.query<{ code: string }>('SELECT code FROM organizations LIMIT 1'))[0]!.code;
    const [d] = await s.db.query<{ id: string; accountId: string }>(
      `SELECT a.debtor_id AS id, a.id AS "accountId" FROM accounts a JOIN users u ON u.id = a.assigned_agent_id
       WHERE u.username = 'agente1' ORDER BY a.id LIMIT 1`,
    );
    // a number only this debtor has, written as people write it
    debtor = { ...d!, phone: '+57 300 999 0001' };
    await s.db.query(`UPDATE debtors SET country = 'CO' WHERE id = $1`, [debtor.id]);
    await s.db.query(`INSERT INTO contact_points (debtor_id, kind, value) VALUES ($1, 'phone', $2)`, [debtor.id, debtor.phone]);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  let n = 0;
  async function sms(body: string) {
    const path = `/api/v1/webhooks/${org}/twilio/inbound`;
    const form = new URLSearchParams({
      AccountSid: TW.accountSid,
      MessageSid: `SM${String(++n).padStart(32, '0')}`,
      From: '+573009990001',
      To: '+15005550006',
      Body: body,
    });
    const r = await fetch(s.url + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(s.url + path, [...form.entries()], TW.authToken),
      },
      body: form.toString(),
    });
    expect(r.status).toBe(200);
  }
  const prefs = async () =>
    (
      await s.db.query<{ prefs: { refusedChannels?: string[]; refusedByReply?: string[] }; version: string }>(
        'SELECT contact_prefs AS prefs, version::text FROM debtors WHERE id = $1',
        [debtor.id],
      )
    )[0]!;
  const audit = (action: string) =>
    s.db.query<{ actor: string | null; after: { word: string; channel: string } }>(
      `SELECT actor_id AS actor, after FROM org_audit WHERE action = $1 AND account_id = $2 ORDER BY seq`,
      [action, debtor.accountId],
    );

  it('STOP then ALTA: the SMS refusal is lifted, audited, and the debtor syncs again', async () => {
    await sms('STOP');
    const refused = await prefs();
    expect(refused.prefs.refusedChannels).toEqual(['sms']);
    expect(refused.prefs.refusedByReply).toEqual(['sms']);
    // a word of another country does nothing for a Colombian debtor
    await sms('Activar');
    expect((await prefs()).prefs.refusedChannels).toEqual(['sms']);
    await sms('¡Alta!');
    const lifted = await prefs();
    expect(lifted.prefs.refusedChannels).toEqual([]);
    expect(lifted.prefs.refusedByReply).toEqual([]);
    expect(BigInt(lifted.version)).toBeGreaterThan(BigInt(refused.version));
    expect(await audit('debtor.channel_reauthorized')).toEqual([
      { actor: null, after: expect.objectContaining({ word: 'alta', channel: 'sms', refusedChannels: [] }) },
    ]);
    // the reply itself is kept like any other
    const [r] = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_messages WHERE debtor_id = $1`, [debtor.id]);
    expect(r!.n).toBe(3);
  });

  it("an agent's edit of the preferences keeps the debtor's refusal", async () => {
    await sms('BAJA');
    expect((await prefs()).prefs.refusedChannels).toEqual(['sms']);
    const push = await call(s, 'POST', '/api/v1/sync/push', {
      token: agentToken,
      body: {
        protocolVersion: PROTOCOL_VERSION,
        clientId: randomUUID(),
        mutations: [
          {
            id: 1,
            name: 'debtor.setPreferences',
            args: {
              debtorId: debtor.id,
              contactPrefs: { authorizedChannels: ['call', 'sms'], preferredChannel: 'sms', windows: [], preferredPaymentDay: 5 },
            },
            clientTime: new Date().toISOString(),
          },
        ],
      },
    });
    expect(push.status).toBe(200);
    expect(push.body.results[0].status).toBe('applied');
    const p = await prefs();
    expect(p.prefs).toMatchObject({ preferredPaymentDay: 5, refusedChannels: ['sms'], refusedByReply: ['sms'] });
    // the debtor's own word still lifts it
    await sms('autorizo');
    expect((await prefs()).prefs.refusedChannels).toEqual([]);
  });

  it("does not lift a refusal an agent recorded as the debtor's legal instruction", async () => {
    await s.db.query(
      `UPDATE debtors SET contact_prefs = contact_prefs || '{"refusedChannels": ["sms"], "refusedByReply": []}'::jsonb WHERE id = $1`,
      [debtor.id],
    );
    const before = (await audit('debtor.channel_reauthorized')).length;
    await sms('START');
    expect((await prefs()).prefs.refusedChannels).toEqual(['sms']);
    expect(await audit('debtor.channel_reauthorized')).toHaveLength(before);
  });
});
