import { StrategyInput, type Strategy, type StrategyDef } from '../../shared/domain/strategy';
import type { Db } from '../db';

interface Row {
  id: string;
  name: string;
  active: boolean;
  rank: number;
  scope: unknown;
  steps: unknown;
  challenger: unknown;
  revision: number;
  updatedAt: Date;
}

const COLUMNS = `id, name, active, rank, scope, steps, challenger, revision, updated_at AS "updatedAt"`;

function toStrategy(r: Row): Strategy {
  // stored rows were validated when written; parse fills defaults added to the schema since
  const def = StrategyInput.parse({
    name: r.name,
    active: r.active,
    rank: r.rank,
    scope: r.scope,
    steps: r.steps,
    challenger: r.challenger,
  });
  return { id: r.id, ...def, revision: r.revision, updatedAt: r.updatedAt.toISOString() };
}

export async function listStrategies(db: Db, orgId: string, opts: { activeOnly?: boolean } = {}): Promise<Strategy[]> {
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM strategies WHERE org_id = $1 AND ($2::boolean IS NOT TRUE OR active) ORDER BY rank, name`,
    [orgId, opts.activeOnly ?? false],
  );
  return rows.map(toStrategy);
}

export async function getStrategy(db: Db, orgId: string, id: string): Promise<Strategy | null> {
  const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM strategies WHERE org_id = $1 AND id = $2`, [orgId, id]);
  return row ? toStrategy(row) : null;
}

export class StrategyNameTaken extends Error {}

/** Creates (id null) or replaces a strategy; null when the id is not the organisation's. */
export async function saveStrategy(db: Db, orgId: string, userId: string, id: string | null, def: StrategyDef): Promise<Strategy | null> {
  const params = [
    orgId,
    def.name,
    def.active,
    def.rank,
    JSON.stringify(def.scope),
    JSON.stringify(def.steps),
    def.challenger ? JSON.stringify(def.challenger) : null,
    userId,
  ];
  try {
    const [row] = id
      ? await db.query<Row>(
          `UPDATE strategies SET name = $2, active = $3, rank = $4, scope = $5::jsonb, steps = $6::jsonb, challenger = $7::jsonb,
             updated_by = $8, revision = revision + 1, updated_at = now()
           WHERE org_id = $1 AND id = $9 RETURNING ${COLUMNS}`,
          [...params, id],
        )
      : await db.query<Row>(
          `INSERT INTO strategies (org_id, name, active, rank, scope, steps, challenger, updated_by)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8) RETURNING ${COLUMNS}`,
          params,
        );
    return row ? toStrategy(row) : null;
  } catch (e) {
    if ((e as { code?: string }).code === '23505' || /strategies_org_id_name_key/.test(String(e))) throw new StrategyNameTaken(def.name);
    throw e;
  }
}

/**
 * The user automated contacts are recorded as, one per organisation: activities name who made
 * each attempt and caps name who holds them. Disabled, with no usable password: nobody logs in as it.
 */
export async function strategyUserId(db: Db, orgId: string): Promise<string> {
  const found = await db.query<{ id: string }>(`SELECT id FROM users WHERE org_id = $1 AND system AND username = 'estrategias'`, [orgId]);
  if (found[0]) return found[0].id;
  await db.query(
    `INSERT INTO users (org_id, username, display_name, role, password_hash, disabled, system)
     VALUES ($1, 'estrategias', 'Estrategias automáticas', 'agent', '!', true, true) ON CONFLICT (org_id, username) DO NOTHING`,
    [orgId],
  );
  const [row] = await db.query<{ id: string }>(`SELECT id FROM users WHERE org_id = $1 AND username = 'estrategias'`, [orgId]);
  return row!.id;
}
