import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';

/**
 * Keeps open the way past one database for a single huge tenant (docs/scaling.md): Citus, or any
 * sharding by organisation, needs every tenant row to carry its organisation and every unique key
 * to include it. Every table of the schema must be classified here; a new table that is neither
 * a tenant table with org_id nor listed below with a reason fails this test, and so does a natural
 * unique key that leaves org_id out.
 */

/** Installation-wide by nature: no organisation owns their rows. */
const GLOBAL_TABLES: Record<string, string> = {
  organizations: 'the tenants themselves (their id is the org_id); under Citus distributed on id, co-located with the rest',
  schema_migrations: 'the schema version, one per database',
  login_throttle: 'login counters keyed by address and installation-wide, counted before the organisation is known',
  scheduled_jobs: 'claims of periodic jobs, one row per job for the whole installation',
  portal_secret: 'the key the self-service links are signed with, one per installation (a link names its organisation only once checked)',
  channel_send_slots:
    "the per-second send budget of the installation's provider accounts (PROVIDER env), shared by every organisation sending through them",
};

/**
 * Tenant rows that reach their organisation through a parent (column → parent table, checked as a
 * foreign key below) and do not carry org_id yet. Before distribution each gets org_id, filled
 * from the parent, and its keys widened with it (docs/scaling.md, "Past one database").
 */
const CHILD_TABLES: Record<string, { via: string; parent: string }> = {
  activities: { via: 'account_id', parent: 'accounts' },
  notes: { via: 'account_id', parent: 'accounts' },
  promises: { via: 'account_id', parent: 'accounts' },
  promise_installments: { via: 'promise_id', parent: 'promises' },
  assignment_log: { via: 'account_id', parent: 'accounts' },
  contact_points: { via: 'debtor_id', parent: 'debtors' },
  sessions: { via: 'user_id', parent: 'users' },
  sync_clients: { via: 'user_id', parent: 'users' },
  sync_rejections: { via: 'client_id', parent: 'sync_clients' },
  wipe_orders: { via: 'user_id', parent: 'users' },
  strategy_letters: { via: 'account_id', parent: 'accounts' },
};

/** Unique keys without org_id that are not a surrogate primary key, each with why it may stay so. */
const KEY_EXCEPTIONS: Record<string, string> = {
  organizations_code: "the directory: an organisation's login code names one organisation in the installation",
  contact_points_debtor_id_kind_value_key:
    'scoped by the debtor, who belongs to one organisation; becomes (org_id, debtor_id, kind, value)',
  promise_installments_pkey: 'scoped by the promise (one organisation); becomes (org_id, promise_id, seq)',
  sync_rejections_pkey: 'scoped by the client (one user, one organisation); becomes (org_id, client_id, mutation_id)',
  org_messaging_twilio:
    "a provider account belongs to one organisation: a webhook's AccountSid must not name two (it stays unique installation-wide)",
  org_messaging_whatsapp: 'a WhatsApp phone number id belongs to one organisation (the webhook finds its organisation by it)',
  outbound_messages_strategy_run: 'scoped by the strategy run (one organisation); becomes (org_id, strategy_run_id)',
  strategy_runs_strategy_id_account_id_step_key_occurrence_key:
    'scoped by the strategy (one organisation); becomes (org_id, strategy_id, account_id, step_key, occurrence)',
  sessions_pkey: 'a bearer token is looked up before anything else is known; 256 random bits, unique by construction',
};

interface KeyRow {
  table: string;
  index: string;
  primary: boolean;
  columns: string[];
  /** Types of the key's columns and whether each has a default drawing a new value. */
  types: string[];
  defaults: Array<string | null>;
  expression: boolean;
}

describe('tenant schema stays distributable by organisation (PostgreSQL catalog)', () => {
  let tdb: TestDatabase;
  let db: Db;
  let tables: Array<{ table: string; hasOrg: boolean }>;
  let keys: KeyRow[];
  beforeAll(async () => {
    tdb = await createTestDatabase('schema');
    db = await openDb({ url: tdb.url });
    await migrate(db);
    tables = await db.query(
      `SELECT c.relname AS table,
              EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped) AS "hasOrg"
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
    );
    keys = await db.query(
      `SELECT c.relname AS table, ic.relname AS index, i.indisprimary AS primary,
              i.indexprs IS NOT NULL AS expression,
              array_agg(coalesce(a.attname::text, '(expr)') ORDER BY k.ord)::text[] AS columns,
              array_agg(coalesce(format_type(a.atttypid, a.atttypmod), '') ORDER BY k.ord)::text[] AS types,
              array_agg(pg_get_expr(d.adbin, d.adrelid) ORDER BY k.ord)::text[] AS defaults
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = k.attnum
       WHERE n.nspname = 'public' AND i.indisunique
       GROUP BY c.relname, ic.relname, i.indisprimary, i.indexprs ORDER BY 1, 2`,
    );
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  it('every table is a tenant table with org_id, a listed child reaching its organisation by a foreign key, or listed as global', async () => {
    const unclassified = tables.filter((t) => !t.hasOrg && !(t.table in GLOBAL_TABLES) && !(t.table in CHILD_TABLES)).map((t) => t.table);
    expect(unclassified, 'tables with no org_id and no reason: add org_id, or list them with one').toEqual([]);
    // the lists hold no stale names, and a listed child that gained org_id leaves the list
    const names = new Set(tables.map((t) => t.table));
    for (const t of [...Object.keys(GLOBAL_TABLES), ...Object.keys(CHILD_TABLES)]) expect(names.has(t), t).toBe(true);
    for (const t of tables.filter((x) => x.hasOrg)) {
      expect(t.table in CHILD_TABLES, `${t.table} carries org_id now: remove it from CHILD_TABLES`).toBe(false);
      expect(t.table in GLOBAL_TABLES, `${t.table} carries org_id: it is not global`).toBe(false);
    }
    for (const [table, { via, parent }] of Object.entries(CHILD_TABLES)) {
      const [fk] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_constraint k
         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
         WHERE k.contype = 'f' AND k.conrelid = $1::regclass AND k.confrelid = $2::regclass AND a.attname = $3
           AND cardinality(k.conkey) = 1`,
        [table, parent, via],
      );
      expect(fk?.n, `${table}.${via} → ${parent}`).toBe(1);
      // and the parent reaches an organisation itself
      const parentHasOrg = tables.find((t) => t.table === parent)?.hasOrg ?? false;
      expect(parentHasOrg || parent in CHILD_TABLES, `${parent} reaches no organisation`).toBe(true);
    }
  });

  it('every unique key of a tenant table includes org_id, but for a surrogate primary key (a uuid or a drawn number) and the listed exceptions', () => {
    const tenant = new Set(tables.filter((t) => t.hasOrg || t.table in CHILD_TABLES).map((t) => t.table));
    const offending: string[] = [];
    const surrogates: string[] = [];
    for (const k of keys) {
      if (!tenant.has(k.table) && !(k.index in KEY_EXCEPTIONS)) continue;
      if (k.columns.includes('org_id') && !k.expression) continue;
      if (k.index in KEY_EXCEPTIONS) continue;
      // A single-column primary key that is a random uuid or a number drawn from a sequence is
      // unique across the installation by construction; under Citus it is widened to (org_id, id).
      const surrogate =
        k.primary &&
        k.columns.length === 1 &&
        (k.types[0] === 'uuid' || (k.types[0] === 'bigint' && /nextval|next_change_version/.test(k.defaults[0] ?? '')));
      if (surrogate) {
        surrogates.push(`${k.table}.${k.columns[0]}`);
        continue;
      }
      offending.push(`${k.index} on ${k.table} (${k.columns.join(', ')})`);
    }
    expect(offending, 'unique keys without org_id: include it, or list the key in KEY_EXCEPTIONS with a reason').toEqual([]);
    // the exceptions are real keys of this schema (a renamed index must be looked at again)
    const indexNames = new Set(keys.map((k) => k.index));
    for (const name of Object.keys(KEY_EXCEPTIONS)) expect(indexNames.has(name), name).toBe(true);
    // the check looked at something: the main tenant tables' surrogate keys were seen
    expect(surrogates).toEqual(expect.arrayContaining(['accounts.id', 'debtors.id', 'activities.id', 'payments.id']));
  });

  it('natural keys of the main tenant tables are per organisation', () => {
    const natural = keys.filter((k) => !k.primary && ['accounts', 'debtors', 'users', 'teams', 'payments'].includes(k.table));
    expect(natural.length).toBeGreaterThanOrEqual(5);
    for (const k of natural) expect(k.columns[0], k.index).toBe('org_id');
  });
});
