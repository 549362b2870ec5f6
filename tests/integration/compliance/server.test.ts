import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSms } from '../../../src/server/messaging/providers/twilio';
import { startFakeTwilio, type FakeProvider } from '../../helpers/fake-providers';
import { call, login } from '../../helpers/server';
import { importRows, lookup, rawClient, row, startComplianceServer, type ComplianceServer } from './helpers';

// Wednesday 25 Nov 2026, 10:00 in Bogotá: inside Ley 2300's hours, not a Colombian holiday.
const AT = new Date('2026-11-25T15:00:00Z');
const TW = { accountSid: 'AC00000000000000000000000000000001', authToken: 'tok' };

let s: ComplianceServer;
let twilio: FakeProvider;
let admin: string;
let lider: string;
let agent1: string;
let agent2: string;

beforeAll(async () => {
  twilio = await startFakeTwilio(TW);
  s = await startComplianceServer(
    { sms: twilioSms({ baseUrl: twilio.url, ...TW, from: '+15005550006', retry: { attempts: 2, baseDelayMs: 5, timeoutMs: 2000 } }) },
    AT,
  );
  await importRows(s, [
    // one debtor, two debts, two agents: neither sees the other's account
    row({ accountRef: 'SHARED-1', assignedAgent: 'agente1' }),
    row({ accountRef: 'SHARED-2', assignedAgent: 'agente2' }),
    row({
      debtorExternalId: 'D-2',
      name: 'Beto Ruiz',
      nationalId: '79111222',
      accountRef: 'FRESH-1',
      phones: ['+573105556677'],
      whatsapp: [],
      emails: [],
      assignedAgent: 'agente2',
    }),
    row({
      debtorExternalId: 'D-3',
      name: 'Carla Díaz',
      nationalId: '79333444',
      accountRef: 'DNC-1',
      phones: ['+573209998877'],
      whatsapp: [],
      emails: [],
      assignedAgent: 'agente1',
    }),
  ]);
  [admin, lider, agent1, agent2] = (await Promise.all([
    login(s, 'admin', 'admin123'),
    login(s, 'lider', 'lider123'),
    login(s, 'agente1', 'agente123'),
    login(s, 'agente2', 'agente123'),
  ]).then((r) => r.map((x) => x.token))) as [string, string, string, string];
}, 60_000);

afterAll(async () => {
  await s?.close();
  await twilio?.close();
});

describe('organisation rules', () => {
  it('admin reads and replaces them; every change is audited with before and after', async () => {
    const first = await call(s, 'GET', '/api/v1/org/compliance', { token: admin });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ revision: 0, country: 'CO', rules: { dncNumbers: [] } });
    const put = await call(s, 'PUT', '/api/v1/org/compliance', {
      token: admin,
      body: { overrides: { closedDates: ['2026-12-24'], blockedChannels: ['letter'] }, dncNumbers: ['+57 320 999 8877'] },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      revision: 1,
      updatedBy: 'admin',
      rules: { overrides: { closedDates: ['2026-12-24'], blockedChannels: ['letter'] } },
    });
    const audit = await call(s, 'GET', '/api/v1/org/compliance/audit', { token: admin });
    expect(audit.status).toBe(200);
    expect(audit.body).toHaveLength(1);
    expect(audit.body[0]).toMatchObject({ username: 'admin', before: { dncNumbers: [] }, after: { dncNumbers: ['+57 320 999 8877'] } });
    // append-only, even for the database owner's application code
    await expect(s.db.query('DELETE FROM org_compliance_audit')).rejects.toThrow(/append-only/);
  });

  it('agents and team leads can never change them (403), nor read the admin view', async () => {
    for (const token of [agent1, lider]) {
      expect((await call(s, 'PUT', '/api/v1/org/compliance', { token, body: { overrides: {}, dncNumbers: [] } })).status).toBe(403);
      expect((await call(s, 'GET', '/api/v1/org/compliance/audit', { token })).status).toBe(403);
    }
    // …but every user reads them, for offline checks
    const rules = await call(s, 'GET', '/api/v1/compliance/rules', { token: agent1 });
    expect(rules.status).toBe(200);
    expect(rules.body.rules.dncNumbers).toEqual(['+57 320 999 8877']);
  });

  it('a bad override is a 400 naming the field', async () => {
    const bad = await call(s, 'PUT', '/api/v1/org/compliance', {
      token: admin,
      body: { overrides: { closedDates: ['24/12/2026'] }, dncNumbers: [] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('overrides.closedDates.0');
    const week = Array.from({ length: 7 }, () => ({ from: '09:00', to: '08:00' }));
    const hours = await call(s, 'PUT', '/api/v1/org/compliance', {
      token: admin,
      body: {
        overrides: {
          hourRules: [{ id: 'org.hours', source: 'política', es: 'x', en: 'x', channels: ['call'], week, closedOnHolidays: true }],
        },
      },
    });
    expect(hours.status).toBe(400);
    expect(hours.body.error.field).toBe('overrides.hourRules.0.week.0.to');
    const dnc = await call(s, 'PUT', '/api/v1/org/compliance', { token: admin, body: { overrides: {}, dncNumbers: ['call me'] } });
    expect(dnc.status).toBe(400);
    expect(dnc.body.error.field).toBe('dncNumbers.0');
    // nothing changed, nothing audited
    expect((await call(s, 'GET', '/api/v1/org/compliance/audit', { token: admin })).body).toHaveLength(1);
  });

  it("the org DNC list blocks on the server's check", async () => {
    const { accountId, phoneId } = await lookup(s.db, 'DNC-1');
    const r = await call(s, 'POST', '/api/v1/compliance/check', {
      token: agent1,
      body: { accountId, contactPointId: phoneId, channel: 'call' },
    });
    expect(r.status).toBe(200);
    expect(r.body.allowed).toBe(false);
    expect(r.body.reasons.map((x: { ruleId: string }) => x.ruleId)).toContain('hard.org_dnc');
    expect(r.body.nextAllowedAt).toBeNull();
  });
});

describe("the server judges with every agent's attempts", () => {
  it("refuses agent 2's message when agent 1 already called the debtor today (CO: one contact a day)", async () => {
    const shared1 = await lookup(s.db, 'SHARED-1');
    const shared2 = await lookup(s.db, 'SHARED-2');
    // before anything happened, agent 2 may message
    const before = await call(s, 'POST', '/api/v1/compliance/check', {
      token: agent2,
      body: { accountId: shared2.accountId, contactPointId: shared2.phoneId, channel: 'sms' },
    });
    expect(before.body).toMatchObject({ allowed: true, nextAllowedAt: AT.toISOString() });

    // agent 1 calls at 09:00 Bogotá
    const a1 = rawClient(s, agent1);
    expect(
      (
        await a1.push('activity.log', {
          id: randomUUID(),
          accountId: shared1.accountId,
          channel: 'call',
          contactPointId: shared1.phoneId,
          address: '+573001112233',
          disposition: 'no_answer',
          startedAt: '2026-11-25T14:00:00.000Z',
        })
      ).status,
    ).toBe('applied');

    // agent 2 was offline, never pulled agent 1's call: its workstation allowed the SMS and queued it
    const messageId = randomUUID();
    const templates = await call(s, 'GET', '/api/v1/messages/templates', { token: agent2 });
    const sms = templates.body.find((t: { channel: string }) => t.channel === 'sms');
    const a2 = rawClient(s, agent2);
    const result = await a2.push('message.send', {
      id: messageId,
      accountId: shared2.accountId,
      contactPointId: shared2.phoneId,
      channel: 'sms',
      templateId: sms.id,
      body: 'preview',
      createdAt: AT.toISOString(),
    });
    expect(result.status).toBe('applied'); // the refusal is a recorded fact, not a lost mutation
    await s.dispatcher.runOnce();
    const [msg] = await s.db.query<{ status: string; reasons: Array<{ ruleId: string }> }>(
      'SELECT status, reasons FROM outbound_messages WHERE id = $1',
      [messageId],
    );
    expect(msg!.status).toBe('blocked');
    expect(msg!.reasons.map((r) => r.ruleId)).toContain('co.freq.daily');
    expect(twilio.requests).toHaveLength(0);

    // the agent sees it after sync: a blocked activity with the reasons
    const bundle = await call(s, 'GET', `/api/v1/accounts/${shared2.accountId}`, { token: agent2 });
    const act = bundle.body.activities.find((x: { id: string }) => x.id === messageId);
    expect(act).toMatchObject({ channel: 'sms', disposition: null });
    expect(act.note).toMatch(/bloqueado/i);
    const listed = await call(s, 'GET', `/api/v1/accounts/${shared2.accountId}/messages`, { token: agent2 });
    expect(listed.body[0]).toMatchObject({ id: messageId, status: 'blocked' });

    // and /compliance/check says blocked: an SMS for a week (agent 1 used the phone), a call until tomorrow 07:00 Bogotá
    const after = await call(s, 'POST', '/api/v1/compliance/check', {
      token: agent2,
      body: { accountId: shared2.accountId, contactPointId: shared2.phoneId, channel: 'sms' },
    });
    expect(after.body.allowed).toBe(false);
    expect(after.body.reasons.map((r: { ruleId: string }) => r.ruleId)).toEqual(
      expect.arrayContaining(['co.freq.daily', 'co.freq.one_channel_week']),
    );
    expect(after.body.nextAllowedAt).toBe('2026-12-02T12:00:00.000Z');
    const call2 = await call(s, 'POST', '/api/v1/compliance/check', {
      token: agent2,
      body: { accountId: shared2.accountId, contactPointId: shared2.phoneId, channel: 'call' },
    });
    expect(call2.body).toMatchObject({ allowed: false, nextAllowedAt: '2026-11-26T12:00:00.000Z' });
  });

  it("an allowed message is sent once through the provider, and counts as the day's contact", async () => {
    const fresh = await lookup(s.db, 'FRESH-1');
    const templates = await call(s, 'GET', '/api/v1/messages/templates', { token: agent2 });
    const sms = templates.body.find((t: { channel: string }) => t.channel === 'sms');
    const messageId = randomUUID();
    const a2 = rawClient(s, agent2);
    expect(
      (
        await a2.push('message.send', {
          id: messageId,
          accountId: fresh.accountId,
          contactPointId: fresh.phoneId,
          channel: 'sms',
          templateId: sms.id,
          body: 'x',
          createdAt: AT.toISOString(),
        })
      ).status,
    ).toBe('applied');
    await s.dispatcher.runOnce();
    const [msg] = await s.db.query<{ status: string; providerMessageId: string; body: string }>(
      'SELECT status, provider_message_id AS "providerMessageId", body FROM outbound_messages WHERE id = $1',
      [messageId],
    );
    expect(msg!.status).toBe('sent');
    expect(msg!.providerMessageId).toMatch(/^SM/);
    expect(twilio.requests).toHaveLength(1);
    const sentBody = new URLSearchParams(twilio.requests[0]!.body);
    expect(sentBody.get('To')).toBe('+573105556677');
    // the server's own rendering: name, amount in pesos, days past due
    expect(sentBody.get('Body')).toContain('Beto Ruiz');
    expect(sentBody.get('Body')).toMatch(/\$\s?120\.000\.000/);
    // sending it again (a replayed id from another client) sends nothing more
    const again = rawClient(s, agent2);
    await again.push('message.send', {
      id: messageId,
      accountId: fresh.accountId,
      contactPointId: fresh.phoneId,
      channel: 'sms',
      templateId: sms.id,
      body: 'x',
      createdAt: AT.toISOString(),
    });
    await s.dispatcher.runOnce();
    expect(twilio.requests).toHaveLength(1);
    // a second message the same day is refused by the daily cap
    const check = await call(s, 'POST', '/api/v1/compliance/check', {
      token: agent2,
      body: { accountId: fresh.accountId, contactPointId: fresh.phoneId, channel: 'sms' },
    });
    expect(check.body.allowed).toBe(false);
  });

  it('an offline call pushed late is kept, flagged, and listed for team leads', async () => {
    const shared2 = await lookup(s.db, 'SHARED-2');
    const id = randomUUID();
    const a2 = rawClient(s, agent2);
    const r = await a2.push('activity.log', {
      id,
      accountId: shared2.accountId,
      channel: 'call',
      contactPointId: shared2.phoneId,
      address: '+573001112233',
      disposition: 'no_answer',
      startedAt: '2026-11-25T16:00:00.000Z',
    });
    expect(r.status).toBe('applied');
    const violations = await call(s, 'GET', '/api/v1/compliance/violations', { token: lider });
    expect(violations.status).toBe(200);
    const v = violations.body.find((x: { activityId: string }) => x.activityId === id);
    expect(v).toMatchObject({ agentUsername: 'agente2', channel: 'call' });
    expect(v.ruleIds).toContain('co.freq.daily');
    // agent 1's first call of the day was legal: not listed
    expect(violations.body.filter((x: { agentUsername: string }) => x.agentUsername === 'agente1')).toHaveLength(0);
    expect((await call(s, 'GET', '/api/v1/compliance/violations', { token: agent2 })).status).toBe(403);
  });

  it('an inbound call is not our attempt and is never flagged', async () => {
    const fresh = await lookup(s.db, 'DNC-1');
    const id = randomUUID();
    await rawClient(s, agent1).push('activity.log', {
      id,
      accountId: fresh.accountId,
      channel: 'call',
      direction: 'inbound',
      contactPointId: fresh.phoneId,
      address: '+573209998877',
      disposition: 'rpc',
      startedAt: '2026-11-25T23:30:00.000Z',
    });
    const [a] = await s.db.query<{ v: string[] | null }>('SELECT compliance_violation AS v FROM activities WHERE id = $1', [id]);
    expect(a!.v).toBeNull();
  });
});
