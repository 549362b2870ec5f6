import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../../src/server/auth/password';
import type { Db } from '../../../src/server/db';
import { PROTOCOL_VERSION } from '../../../src/shared/sync/protocol';
import { call, login, type TestServer } from '../../helpers/server';

/** A user in a new or existing team of the organisation; returns its id. */
export async function addUser(
  db: Db,
  orgId: string,
  username: string,
  opts: { teamName?: string | null; role?: string; password?: string } = {},
): Promise<string> {
  let teamId: string | null = null;
  if (opts.teamName) {
    const [team] = await db.query<{ id: string }>(
      `INSERT INTO teams (org_id, name) VALUES ($1, $2) ON CONFLICT (org_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [orgId, opts.teamName],
    );
    teamId = team!.id;
  }
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO users (org_id, team_id, username, display_name, role, password_hash) VALUES ($1, $2, $3, $3, $4, $5) RETURNING id`,
    [orgId, teamId, username, opts.role ?? 'agent', await hashPassword(opts.password ?? 'clave123')],
  );
  if (opts.role === 'team_lead' && teamId) await db.query('UPDATE teams SET lead_id = $2 WHERE id = $1', [teamId, row!.id]);
  return row!.id;
}

export async function accountsOf(db: Db, userId: string): Promise<{ id: string; debtorId: string }[]> {
  return db.query('SELECT id, debtor_id AS "debtorId" FROM accounts WHERE assigned_agent_id = $1 ORDER BY id', [userId]);
}

export async function contactPointOf(db: Db, debtorId: string): Promise<string> {
  const [cp] = await db.query<{ id: string }>('SELECT id FROM contact_points WHERE debtor_id = $1 ORDER BY id LIMIT 1', [debtorId]);
  if (!cp) throw new Error(`debtor ${debtorId} has no contact point`);
  return cp.id;
}

export async function assign(db: Db, accountId: string, agentId: string | null): Promise<void> {
  await db.query('UPDATE accounts SET assigned_agent_id = $2 WHERE id = $1', [accountId, agentId]);
}

const now = () => new Date().toISOString();
/** YYYY-MM-DD `n` days from today (UTC), for promise dates the demo policy accepts. */
export const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

export async function balanceOf(db: Db, accountId: string): Promise<number> {
  const [row] = await db.query<{ b: number }>('SELECT balance_minor AS b FROM accounts WHERE id = $1', [accountId]);
  return row!.b;
}

export function mutation(id: number, name: string, args: unknown) {
  return { id, name, args, clientTime: now() };
}

/**
 * Args of every mutation kind against one account (and its debtor and a contact point). The
 * promise pays the whole balance in a week, which the demo promise policy accepts.
 */
export function everyMutation(accountId: string, debtorId: string, contactPointId: string, activityId: string, balanceMinor: number) {
  return [
    ['activity.log', { id: randomUUID(), accountId, channel: 'call', disposition: 'no_answer', startedAt: now() }],
    ['activity.setOutcome', { activityId, disposition: 'rpc' }],
    ['note.add', { id: randomUUID(), accountId, body: 'nota', createdAt: now() }],
    [
      'promise.create',
      { id: randomUUID(), accountId, channel: 'call', createdAt: now(), installments: [{ dueDate: inDays(7), amountMinor: balanceMinor }] },
    ],
    ['contactPoint.flag', { contactPointId, invalid: true }],
    ['account.setCallback', { accountId, callbackAt: '2030-01-01T15:00:00.000Z', note: 'llamar' }],
    ['account.setStatus', { accountId, status: 'dispute', reason: null }],
    [
      'debtor.setPreferences',
      { debtorId, contactPrefs: { authorizedChannels: ['sms'], preferredChannel: 'sms', windows: [], preferredPaymentDay: 5 } },
    ],
  ] as const;
}

export class SyncClient {
  readonly clientId = randomUUID();
  private next = 1;
  constructor(
    private readonly server: TestServer,
    readonly token: string,
  ) {}

  static async login(server: TestServer, username: string, password: string): Promise<SyncClient> {
    return new SyncClient(server, (await login(server, username, password)).token);
  }

  /** Builds mutations with this client's next ids. */
  make(...items: ReadonlyArray<readonly [string, unknown]>) {
    return items.map(([name, args]) => mutation(this.next++, name, args));
  }

  push(mutations: unknown[], protocolVersion = PROTOCOL_VERSION) {
    return call(this.server, 'POST', '/api/v1/sync/push', {
      token: this.token,
      body: { protocolVersion, clientId: this.clientId, mutations },
    });
  }

  pull(cursor: string | null, limit?: number, tuples?: boolean) {
    return call(this.server, 'POST', '/api/v1/sync/pull', {
      token: this.token,
      body: {
        protocolVersion: PROTOCOL_VERSION,
        clientId: this.clientId,
        cursor,
        ...(limit ? { limit } : {}),
        ...(tuples ? { tuples } : {}),
      },
    });
  }
}
