import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { CHANNELS, CONTACT_KINDS, MESSAGE_CHANNELS } from '../../../src/shared/domain/channels';
import { createTestDatabase } from '../../helpers/pg';
import { BACKENDS } from '../../helpers/server';

/**
 * The server's SQL CHECK constraints stay in its migrations (a shipped migration is never edited),
 * so they are a second spelling of src/shared/domain/channels.ts. This reads the constraints the
 * migrated database really has and holds them to the shared lists: a channel added to the shared
 * list without a migration (or a migration without the shared list) fails here.
 */
const EXPECTED: Record<string, readonly string[]> = {
  'activities.channel': CHANNELS,
  'message_templates.channel': MESSAGE_CHANNELS,
  'outbound_messages.channel': MESSAGE_CHANNELS,
  'inbound_messages.channel': MESSAGE_CHANNELS,
  'message_status_events.channel': MESSAGE_CHANNELS,
  'contact_points.kind': CONTACT_KINDS,
};
/** Columns named kind that are not a contact kind (what an import run loaded), with their own list. */
const OTHER_KINDS: Record<string, readonly string[]> = {
  'import_runs.kind': ['payments', 'portfolio'],
};

/** Every CHECK of the form `col IN (…)` on a column named channel or kind, by table.column. */
async function channelChecks(db: Db): Promise<Record<string, string[]>> {
  const rows = await db.query<{ tbl: string; def: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c WHERE c.contype = 'c' AND c.connamespace = 'public'::regnamespace`,
  );
  const out: Record<string, string[]> = {};
  for (const { tbl, def } of rows) {
    // PostgreSQL keeps `channel IN ('a', 'b')` as `(channel = ANY (ARRAY['a'::text, 'b'::text]))`
    const m = /\(\(?(channel|kind) = ANY \(+ARRAY\[([^\]]*)\]/.exec(def);
    if (!m) continue;
    out[`${tbl}.${m[1]}`] = [...m[2]!.matchAll(/'([^']*)'/g)].map((x) => x[1]!).sort();
  }
  return out;
}

describe.each(BACKENDS)('channel CHECK constraints on %s', (backend) => {
  let db: Db;
  let drop: (() => Promise<void>) | null = null;
  beforeAll(async () => {
    const pg = backend === 'pg' ? await createTestDatabase('chk') : null;
    drop = pg ? pg.drop : null;
    db = await openDb(pg ? { url: pg.url } : { dataDir: 'memory://' });
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
    await drop?.();
  });

  it('list exactly the channels and contact kinds of src/shared/domain/channels.ts', async () => {
    const found = await channelChecks(db);
    const expected = Object.fromEntries(Object.entries({ ...EXPECTED, ...OTHER_KINDS }).map(([k, v]) => [k, [...v].sort()]));
    // a new table with a channel/kind CHECK must be added to EXPECTED, so it is held to a shared list too
    expect(found).toEqual(expected);
  });
});
