import { randomUUID } from 'node:crypto';
import type { Db } from '../../../src/server/db';

/**
 * A hand-built history in Bogotá (UTC−5) around the as-of day 2026-06-15, whose cut instant is
 * 2026-06-15T05:00Z. tests/integration/risk/features.test.ts holds the values computed by hand.
 */
export const AS_OF = '2026-06-15';

export interface History {
  orgId: string;
  otherOrgId: string;
  accountId: string;
  quietAccountId: string;
  agent1: string;
  agent2: string;
}

async function org(db: Db, code: string, tz: string): Promise<string> {
  const [o] = await db.query<{ id: string }>(
    `INSERT INTO organizations (name, country, time_zone, code) VALUES ($1, 'CO', $2, $1) RETURNING id`,
    [code, tz],
  );
  return o!.id;
}

async function user(db: Db, orgId: string, name: string): Promise<string> {
  const [u] = await db.query<{ id: string }>(
    `INSERT INTO users (org_id, username, display_name, role, password_hash) VALUES ($1, $2, $2, 'agent', 'x') RETURNING id`,
    [orgId, name],
  );
  return u!.id;
}

async function account(
  db: Db,
  orgId: string,
  ref: string,
  createdAt: string,
  agent: string | null,
  due: string | null,
  balance: number,
): Promise<string> {
  const [d] = await db.query<{ id: string }>(
    `INSERT INTO debtors (org_id, external_id, name, national_id, country, time_zone, debtor_type, segment)
     VALUES ($1, $2, 'Ana Pérez', '123', 'CO', 'America/Bogota', 'individual', 'medium') RETURNING id`,
    [orgId, `d-${ref}`],
  );
  const [a] = await db.query<{ id: string }>(
    `INSERT INTO accounts (org_id, debtor_id, external_ref, product, currency, principal_minor, balance_minor, due_date, assigned_agent_id, created_at)
     VALUES ($1, $2, $3, 'tarjeta', 'COP', 1000000, $4, $5, $6, $7) RETURNING id`,
    [orgId, d!.id, ref, balance, due, agent, createdAt],
  );
  return a!.id;
}

export async function buildHistory(db: Db): Promise<History> {
  const orgId = await org(db, 'riesgo', 'America/Bogota');
  const otherOrgId = await org(db, 'otra', 'America/Bogota');
  const agent1 = await user(db, orgId, 'a1');
  const agent2 = await user(db, orgId, 'a2');
  const otherAgent = await user(db, otherOrgId, 'o1');
  const accountId = await account(db, orgId, 'A', '2026-01-10T12:00:00Z', agent1, '2026-05-01', 400_000);
  const quietAccountId = await account(db, orgId, 'Q', '2026-06-01T12:00:00Z', agent1, null, 5_000);
  // created after the as-of day: not in its rows
  await account(db, orgId, 'LATE', '2026-06-20T12:00:00Z', agent1, '2026-05-01', 1);
  const otherAccount = await account(db, otherOrgId, 'X', '2026-01-10T12:00:00Z', otherAgent, '2026-05-01', 9);

  const pay = (
    acc: string,
    o: string,
    ref: string,
    amount: number,
    paidAt: string,
    extra: { reversedAt?: string; recordedAt?: string } = {},
  ) =>
    db.query(
      `INSERT INTO payments (org_id, account_id, reference, amount_minor, currency, paid_at, reversed_at, recorded_at)
       VALUES ($1, $2, $3, $4, 'COP', $5, $6, $7)`,
      [o, acc, ref, amount, paidAt, extra.reversedAt ?? null, extra.recordedAt ?? paidAt],
    );
  await pay(accountId, orgId, 'p1', 100_000, '2026-06-15T04:30:00Z'); // 14 June 23:30 in Bogotá: before the cut
  await pay(accountId, orgId, 'p2', 50_000, '2026-06-15T05:30:00Z'); // 15 June 00:30 in Bogotá: the outcome
  await pay(accountId, orgId, 'p3', 100_000, '2026-04-20T15:00:00Z');
  await pay(accountId, orgId, 'p4', 70_000, '2026-02-01T15:00:00Z', { reversedAt: '2026-02-05T15:00:00Z' });
  await pay(accountId, orgId, 'p5', 30_000, '2026-05-20T15:00:00Z', { recordedAt: '2026-06-20T15:00:00Z' }); // loaded late
  await pay(otherAccount, otherOrgId, 'x1', 1, '2026-06-10T15:00:00Z');

  const promise = async (createdAt: string, status: string, dues: string[]) => {
    const id = randomUUID();
    await db.query(
      `INSERT INTO promises (id, account_id, agent_id, channel, currency, created_at, status, recorded_at) VALUES ($1, $2, $3, 'call', 'COP', $4, $5, $4)`,
      [id, accountId, agent1, createdAt, status],
    );
    for (const [i, due] of dues.entries())
      await db.query(`INSERT INTO promise_installments (promise_id, seq, due_date, amount_minor) VALUES ($1, $2, $3, 1000)`, [
        id,
        i + 1,
        due,
      ]);
  };
  await promise('2026-05-01T15:00:00Z', 'kept', ['2026-05-10']);
  await promise('2026-06-01T15:00:00Z', 'broken', ['2026-06-05']);
  await promise('2026-06-10T15:00:00Z', 'pending', ['2026-06-20']);
  await promise('2026-06-16T15:00:00Z', 'pending', ['2026-06-30']); // after the cut

  const act = (agent: string, channel: string, direction: string, disposition: string, startedAt: string) =>
    db.query(
      `INSERT INTO activities (id, account_id, agent_id, channel, direction, disposition, started_at, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
      [randomUUID(), accountId, agent, channel, direction, disposition, startedAt],
    );
  await act(agent1, 'call', 'outbound', 'no_answer', '2026-06-01T15:00:00Z');
  await act(agent1, 'call', 'outbound', 'no_answer', '2026-05-01T15:00:00Z'); // older than 30 days
  await act(agent1, 'call', 'outbound', 'dispute', '2026-04-01T15:00:00Z');
  // reassigned from agent 1 to agent 2: the account's history is the account's, whoever worked it
  await db.query('UPDATE accounts SET assigned_agent_id = $2 WHERE id = $1', [accountId, agent2]);
  await act(agent2, 'call', 'outbound', 'rpc', '2026-06-10T15:00:00Z');
  await act(agent2, 'sms', 'outbound', 'message_sent', '2026-06-12T15:00:00Z');
  await act(agent2, 'call', 'inbound', 'rpc', '2026-06-14T20:00:00Z');
  await act(agent2, 'call', 'outbound', 'rpc', '2026-06-15T06:00:00Z'); // after the cut

  const reply = (at: string, ref: string) =>
    db.query(
      `INSERT INTO inbound_messages (org_id, channel, provider_message_id, from_address, body, account_id, received_at, recorded_at)
       VALUES ($1, 'sms', $2, '+573001112233', 'ok', $3, $4, $4)`,
      [orgId, ref, accountId, at],
    );
  await reply('2026-06-14T23:00:00Z', 'm1');
  await reply('2026-06-15T05:10:00Z', 'm2'); // after the cut

  // what the risk job saw 30 days before: DPD 10 (the file's due date then was later than today's)
  await db.query(`INSERT INTO risk_account_days (org_id, account_id, day, dpd, balance_minor) VALUES ($1, $2, '2026-05-16', 10, 600000)`, [
    orgId,
    accountId,
  ]);
  return { orgId, otherOrgId, accountId, quietAccountId, agent1, agent2 };
}
