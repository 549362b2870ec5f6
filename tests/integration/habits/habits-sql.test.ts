import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeHabits, runHabits } from '../../../src/server/habits/compute';
import { hourCounts } from '../../../src/server/habits/sql';
import { describeBestHours } from '../../../src/shared/rules/contact-habits';
import { addUser, SyncClient } from '../server/fixtures';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';

/**
 * The habits SQL on a hand-built history. Two debtors in segment "high": D1 in Bogotá (UTC−5, no
 * DST) whose account moved from agent A to agent B halfway, D2 in Mexico City (UTC−6, no DST
 * since 2022); D3 in segment "low" with no calls. Instants are UTC; the comments give the
 * debtor's wall clock and the hour-of-week cell (weekday × 24 + hour, 0 = Sunday).
 */
const NOW = new Date('2026-12-01T12:00:00Z');

describe('contact habits on a hand-built history', () => {
  let s: TestServer;
  let orgId: string;
  const ids = { d1: '', d2: '', d3: '' };
  const ids_ = ids;
  let adminToken = '';

  beforeAll(async () => {
    s = await startTestServer({ backend: 'pg' });
    const [org] = await s.db.query<{ id: string }>(
      `INSERT INTO organizations (name, country, time_zone) VALUES ('Hábitos S.A.S.', 'CO', 'America/Bogota') RETURNING id`,
    );
    orgId = org!.id;
    const agentA = await addUser(s.db, orgId, 'hab-a', { teamName: 'T' });
    const agentB = await addUser(s.db, orgId, 'hab-b', { teamName: 'T' });
    await addUser(s.db, orgId, 'hab-admin', { role: 'admin' });
    adminToken = (await login(s, 'hab-admin', 'clave123')).token;
    const debtor = async (ext: string, country: string, zone: string, segment: string, agent: string) => {
      const [d] = await s.db.query<{ id: string }>(
        `INSERT INTO debtors (org_id, external_id, name, national_id, country, time_zone, debtor_type, segment, contact_prefs)
         VALUES ($1, $2, $2, $2, $3, $4, 'individual', $5, $6::jsonb) RETURNING id`,
        [orgId, ext, country, zone, segment, JSON.stringify({ authorizedChannels: ['call', 'sms'], windows: [] })],
      );
      const [a] = await s.db.query<{ id: string }>(
        `INSERT INTO accounts (org_id, debtor_id, external_ref, product, currency, principal_minor, balance_minor, due_date, assigned_agent_id)
         VALUES ($1, $2, $3, 'Tarjeta de crédito', 'COP', 1000000, 800000, '2026-11-11', $4) RETURNING id`,
        [orgId, d!.id, `${ext}-1`, agent],
      );
      await s.db.query(`INSERT INTO contact_points (debtor_id, kind, value) VALUES ($1, 'phone', $2)`, [d!.id, `+57300${ext}`]);
      return { debtorId: d!.id, accountId: a!.id };
    };
    const d1 = await debtor('1000001', 'CO', 'America/Bogota', 'high', agentA);
    const d2 = await debtor('1000002', 'MX', 'America/Mexico_City', 'high', agentA);
    const d3 = await debtor('1000003', 'CO', 'America/Bogota', 'low', agentB);
    Object.assign(ids, { d1: d1.debtorId, d2: d2.debtorId, d3: d3.debtorId });
    const act = (
      accountId: string,
      agent: string,
      at: string,
      disposition: string | null,
      extra: { channel?: string; direction?: string; blocked?: boolean; status?: string } = {},
    ) =>
      s.db.query(
        `INSERT INTO activities (id, account_id, agent_id, channel, direction, disposition, started_at, compliance_blocked, message_status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          randomUUID(),
          accountId,
          agent,
          extra.channel ?? 'call',
          extra.direction ?? 'outbound',
          disposition,
          at,
          extra.blocked ?? false,
          extra.status ?? null,
        ],
      );
    // D1, agent A
    await act(d1.accountId, agentA, '2026-11-03T23:30:00Z', 'rpc'); // Tue 18:30 → 66
    await act(d1.accountId, agentA, '2026-11-04T23:15:00Z', 'promise_to_pay'); // Wed 18:15 → 90
    await act(d1.accountId, agentA, '2026-11-04T14:00:00Z', 'no_answer'); // Wed 09:00 → 81
    await act(d1.accountId, agentA, '2026-11-05T14:30:00Z', 'voicemail'); // Thu 09:30 → 105
    // the account moves to agent B: his calls are the same debtor's history
    await s.db.query('UPDATE accounts SET assigned_agent_id = $2 WHERE id = $1', [d1.accountId, agentB]);
    await act(d1.accountId, agentB, '2026-11-10T23:10:00Z', 'callback_requested'); // Tue 18:10 → 66
    // Tue 20:00–20:10 local are Wednesday in UTC, and outside Colombia's legal hours (calls logged anyway)
    await act(d1.accountId, agentB, '2026-11-11T01:00:00Z', 'rpc'); // Tue 20:00 → 68
    await act(d1.accountId, agentB, '2026-11-18T01:05:00Z', 'rpc'); // Tue 20:05 → 68
    await act(d1.accountId, agentB, '2026-11-25T01:10:00Z', 'refused'); // Tue 20:10 → 68
    // D2
    await act(d2.accountId, agentA, '2026-11-05T16:00:00Z', 'rpc'); // Thu 10:00 → 106
    await act(d2.accountId, agentA, '2026-11-12T16:30:00Z', 'promise_to_pay'); // Thu 10:30 → 106
    await act(d2.accountId, agentA, '2026-11-06T02:30:00Z', 'no_answer'); // Thu 20:30 → 116
    // not attempts of ours: the debtor calling in, a call the server blocked, a text message
    await act(d2.accountId, agentA, '2026-11-07T16:00:00Z', 'rpc', { direction: 'inbound' });
    await act(d2.accountId, agentA, '2026-11-08T16:00:00Z', null, { blocked: true });
    await act(d2.accountId, agentA, '2026-11-06T15:00:00Z', null, { channel: 'sms', status: 'read' });
    // older than the 180 days read
    await act(d2.accountId, agentA, '2026-05-01T16:00:00Z', 'rpc');
  }, 60_000);

  afterAll(async () => {
    await s?.close();
  });

  it('counts attempts and right-party contacts per debtor and hour of the week in the debtor zone, across agents', async () => {
    const counts = await hourCounts(s.db, orgId, NOW);
    const sorted = (id: string) => [...(counts.get(id) ?? [])].sort((a, b) => a.how - b.how);
    expect(sorted(ids.d1)).toEqual([
      { how: 66, attempts: 2, rpc: 2 },
      { how: 68, attempts: 3, rpc: 3 },
      { how: 81, attempts: 1, rpc: 0 },
      { how: 90, attempts: 1, rpc: 1 },
      { how: 105, attempts: 1, rpc: 0 },
    ]);
    expect(sorted(ids.d2)).toEqual([
      { how: 106, attempts: 2, rpc: 2 },
      { how: 116, attempts: 1, rpc: 0 },
    ]);
    expect(counts.has(ids.d3)).toBe(false);
  });

  it('smooths towards the segment and keeps only legal hours (hand-computed with M = 4)', async () => {
    const rows = new Map((await computeHabits(s.db, orgId, NOW)).map((r) => [r.debtorId, r]));
    // Segment high pooled by hour of day: 18 h 3/3, 9 h 0/2, 20 h 3/4, 10 h 2/2; overall 8/11.
    // p_seg(18) = (3 + 4·8/11)/7 = 65/77; p_D1(18) = (3 + 4·65/77)/7 = 491/539;
    // cell Tue 18 = (2 + 4·491/539)/6 = 0.94063; Wed 18 = (1 + 4·491/539)/5 = 0.92876; other 18 h 0.91095.
    // Tue 20 h (0.91466) would rank third, but Colombia closes at 19:00: it is dropped; Saturday 18 h too
    // (Saturdays close at 15:00). The sixth is 10 h (D1 never called then: p_seg(10) = 9/11).
    const d1 = rows.get(ids.d1)!;
    expect(d1.bestHours).toEqual([66, 90, 42, 114, 138, 34]);
    expect(d1.bestRate).toBeCloseTo(0.9406, 3);
    expect(d1).toMatchObject({ attempts: 8, rpc: 6, segment: 'high', segmentRule: null });
    expect(describeBestHours(d1.bestHours, 'es')).toBe('lun–vie 10–11, 18–19 h');
    // D2 (Mexico, 07:00–22:00 every day): p_seg(10) = 9/11, p_D2(10) = (2 + 36/11)/6 = 29/33,
    // Thu 10 h = (2 + 4·29/33)/6 = 91/99; then 10 h on the other days, earliest in the week first.
    const d2 = rows.get(ids.d2)!;
    expect(d2.bestHours).toEqual([106, 10, 34, 58, 82, 130]);
    expect(d2.bestRate).toBeCloseTo(91 / 99, 3);
    // D3: nothing known of it or its segment: 0.2 everywhere, the first legal hours of the week
    expect(rows.get(ids.d3)!.bestHours).toEqual([31, 32, 33, 34, 35, 36]);
  });

  it('recommends a channel with its reason, counting a reply within 3 days as the answer to the contact before it', async () => {
    const rows = new Map((await computeHabits(s.db, orgId, NOW)).map((r) => [r.debtorId, r]));
    // D2's unanswered call of Thu 20:30 was followed by the debtor calling in within 3 days: a
    // response. So D2's calls are 3/3, D1's 6/8 (two unanswered); segment high, stage 1-30: calls
    // 9/11, texts 1/1 (read); base 10/12. call_seg = (9 + 4·5/6)/15 = 0.8222, sms_seg = (1 + 10/3)/5
    // = 0.8667. D2: call (3 + 4·0.8222)/7 = 0.8984 beats sms (1 + 4·0.8667)/5 = 0.8933.
    expect(rows.get(ids.d2)!.channel).toEqual({
      channel: 'call',
      stage: '1-30',
      reason: { code: 'own_responses', params: { channel: 'call', responses: 3, attempts: 3, payments: 0, pct: 90 } },
    });
    // D1 (6/8 on calls, no text ever): (6 + 3.2889)/12 = 0.774 loses to the segment's 0.8667 for texts
    expect(rows.get(ids.d1)!.channel).toEqual({
      channel: 'sms',
      stage: '1-30',
      reason: { code: 'segment', params: { channel: 'sms', pct: 87, attempts: 1 } },
    });
  });

  it('segments by the admin rules: field errors, preview count, audit, and the job applies them', async () => {
    const bad = await call(s, 'PUT', '/api/v1/segments/rules', {
      token: adminToken,
      body: { rules: [{ name: 'Mora alta', segment: 'high', conditions: [{ field: 'dpd', min: 90, max: 30 }] }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('rules.0.conditions.0.max');
    const rules = [{ name: 'México', segment: 'low', conditions: [{ field: 'country', in: ['MX'] }] }];
    const preview = await call(s, 'POST', '/api/v1/segments/preview', { token: adminToken, body: { rules } });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      debtors: 3,
      bySegment: { low: 2, medium: 0, high: 1 },
      byRule: [{ name: 'México', debtors: 1 }],
      unmatched: 2,
    });
    const saved = await call(s, 'PUT', '/api/v1/segments/rules', { token: adminToken, body: { rules } });
    expect(saved.status).toBe(200);
    expect(saved.body.revision).toBe(1);
    const audit = await call(s, 'GET', '/api/v1/segments/rules/audit', { token: adminToken });
    expect(audit.body.entries[0]).toMatchObject({ action: 'segments.rules', actorUsername: 'hab-admin', before: [], after: rules });
    const agent = (await login(s, 'hab-a', 'clave123')).token;
    expect((await call(s, 'GET', '/api/v1/segments/rules', { token: agent })).status).toBe(403);

    const run = await runHabits(s.db, orgId, NOW);
    expect(run.debtors).toBe(3);
    const [row] = await s.db.query<{ segment: string; rule: string; version: string }>(
      'SELECT segment, segment_rule AS rule, version FROM contact_habits WHERE debtor_id = $1',
      [ids.d2],
    );
    expect(row).toMatchObject({ segment: 'low', rule: 'México' });
    // the accounts list filters and shows the rules' segment, not the file's ("high")
    const low = await call(s, 'GET', '/api/v1/accounts?segment=low', { token: adminToken });
    expect(low.body.items.map((i: { debtorId: string; segment: string }) => [i.debtorId, i.segment]).sort()).toEqual(
      [
        [ids.d2, 'low'],
        [ids.d3, 'low'],
      ].sort(),
    );
    // a second run with nothing new changes no row, so nothing is pulled again
    expect((await runHabits(s.db, orgId, NOW)).changed).toBe(0);
  });

  it("syncs each agent's debtors' rows: the full pull carries them, an incremental pull only what the job changed", async () => {
    const b = await SyncClient.login(s, 'hab-b', 'clave123');
    const full = await b.pull(null);
    expect(full.status).toBe(200);
    const ids = (body: { patch: { contactHabits?: Array<{ debtorId: string }> } }) =>
      (body.patch.contactHabits ?? []).map((h) => h.debtorId).sort();
    expect(ids(full.body)).toEqual([ids_.d1, ids_.d3].sort());
    expect(full.body.patch.contactHabits.find((h: { debtorId: string }) => h.debtorId === ids_.d1)).toMatchObject({
      // D2 left segment "high" by the México rule: the prior moved, D1's own best two stay
      bestHours: expect.arrayContaining([66, 90]),
      attempts: 8,
      rpc: 6,
    });
    // one more answered call for D1 (agent B, Thursday 18:00 in Bogotá): the job changes D1's row only
    const [acc] = await s.db.query<{ id: string; agent: string }>(
      'SELECT id, assigned_agent_id AS agent FROM accounts WHERE debtor_id = $1',
      [ids_.d1],
    );
    await s.db.query(
      `INSERT INTO activities (id, account_id, agent_id, channel, direction, disposition, started_at) VALUES ($1, $2, $3, 'call', 'outbound', 'rpc', '2026-11-26T23:00:00Z')`,
      [randomUUID(), acc!.id, acc!.agent],
    );
    expect((await runHabits(s.db, orgId, NOW)).changed).toBeGreaterThanOrEqual(1);
    const inc = await b.pull(full.body.cursor);
    expect(ids(inc.body)).toEqual([ids_.d1]);
    expect(inc.body.patch.contactHabits[0]).toMatchObject({ attempts: 9, rpc: 7 });
  });
});
