import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../../src/server/app';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { seedDemo } from '../../../src/server/demo/seed';
import { createDispatcher, type Dispatcher } from '../../../src/server/messaging/dispatcher';
import type { MessageProvider } from '../../../src/server/messaging/providers/types';
import { portfolioRowsToCsv } from '../../../src/server/portfolio/write-csv';
import type { PortfolioRow } from '../../../src/shared/domain/portfolio';
import { PROTOCOL_VERSION } from '../../../src/shared/sync/protocol';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';
import { call, login } from '../../helpers/server';

/** A real server on PostgreSQL whose compliance clock the test moves, with its own dispatcher. */
export interface ComplianceServer {
  url: string;
  port: number;
  db: Db;
  dispatcher: Dispatcher;
  clock: { at: Date };
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startComplianceServer(
  providers: Partial<Record<'sms' | 'whatsapp' | 'email', MessageProvider>>,
  at: Date,
  dispatcherOpts: Parameters<typeof createDispatcher>[2] = {},
): Promise<ComplianceServer> {
  const pgDb: TestDatabase = await createTestDatabase('cmp');
  const db = await openDb({ url: pgDb.url });
  await migrate(db);
  await seedDemo(db, { accounts: 5 });
  const clock = { at };
  const dispatcher = createDispatcher(db, providers, dispatcherOpts);
  const make = () => createServer({ db, dispatcher, now: () => clock.at });
  let app: FastifyInstance = make();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr !== 'object') throw new Error('no port');
  const port = addr.port;
  let listening = true;
  const s: ComplianceServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    dispatcher,
    clock,
    async stop() {
      if (listening) {
        listening = false;
        await app.close();
      }
    },
    async restart() {
      if (listening) await app.close();
      app = make();
      await app.listen({ port, host: '127.0.0.1' });
      listening = true;
    },
    async close() {
      await s.stop();
      await dispatcher.close();
      await db.close();
      await pgDb.drop();
    },
  };
  return s;
}

export function row(over: Partial<PortfolioRow>): PortfolioRow {
  return {
    debtorExternalId: 'D-1',
    name: 'Ana Gómez',
    nationalId: '52123456',
    country: 'CO',
    timeZone: 'America/Bogota',
    debtorType: 'individual',
    segment: 'medium',
    accountRef: 'ACC-1',
    product: 'Tarjeta',
    currency: 'COP',
    principalMinor: 150_000_000,
    balanceMinor: 120_000_000,
    dueDate: '2026-10-01',
    installmentsTotal: 12,
    installmentsPaid: 2,
    installmentAmountMinor: 12_000_000,
    phones: ['+573001112233'],
    emails: ['ana@example.com'],
    whatsapp: ['+573001112233'],
    address: null,
    authorizedChannels: ['call', 'sms', 'whatsapp', 'email'],
    assignedAgent: 'agente1',
    ...over,
  };
}

export async function importRows(s: { url: string }, rows: PortfolioRow[]): Promise<void> {
  const { token } = await login(s, 'lider', 'lider123');
  const r = await call(s, 'POST', '/api/v1/imports/portfolio', { token, body: portfolioRowsToCsv(rows), contentType: 'text/csv' });
  if (r.status !== 200 || r.body.errors.length) throw new Error(`import failed: ${JSON.stringify(r.body)}`);
}

/** accountRef → { accountId, debtorId, phoneId } as the server stored them. */
export async function lookup(db: Db, accountRef: string) {
  const [r] = await db.query<{ accountId: string; debtorId: string; phoneId: string; emailId: string }>(
    `SELECT a.id AS "accountId", a.debtor_id AS "debtorId",
       (SELECT c.id FROM contact_points c WHERE c.debtor_id = a.debtor_id AND c.kind = 'phone' LIMIT 1) AS "phoneId",
       (SELECT c.id FROM contact_points c WHERE c.debtor_id = a.debtor_id AND c.kind = 'email' LIMIT 1) AS "emailId"
     FROM accounts a WHERE a.external_ref = $1`,
    [accountRef],
  );
  if (!r) throw new Error(`no account ${accountRef}`);
  return r;
}

/** A raw sync client: pushes mutations with its own counter. */
export function rawClient(s: { url: string }, token: string) {
  const clientId = randomUUID();
  let next = 1;
  return {
    async push(name: string, args: unknown) {
      const r = await call(s, 'POST', '/api/v1/sync/push', {
        token,
        body: {
          protocolVersion: PROTOCOL_VERSION,
          clientId,
          mutations: [{ id: next++, name, args, clientTime: new Date().toISOString() }],
        },
      });
      if (r.status !== 200) throw new Error(`push failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.results[0] as { status: string; error?: { code: string; message: string } };
    },
  };
}
