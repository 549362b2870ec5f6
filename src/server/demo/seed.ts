import type { ImportReport } from '../../shared/domain/portfolio';
import type { Role } from '../../shared/domain/enums';
import { hashPassword } from '../auth/password';
import { DEMO_WHATSAPP_TEMPLATES, ensureDefaultTemplates, ensureTemplates } from '../messaging/templates';
import { DEMO_POLICIES, savePolicies } from '../collections/policies';
import type { Db } from '../db';
import { generateDemoPortfolio } from '../portfolio/demo';
import { upsertPortfolio } from '../portfolio/upsert';

export const DEMO_ORG_NAME = 'Cobranza Demo S.A.S.';
export const DEMO_AGENTS = ['agente1', 'agente2', 'agente3'] as const;
export type DemoUsername = 'admin' | 'lider' | (typeof DEMO_AGENTS)[number];

interface DemoUser {
  username: DemoUsername;
  displayName: string;
  role: Role;
  password: string;
  sipExtension: string | null;
}

const DEMO_USERS: DemoUser[] = [
  { username: 'admin', displayName: 'Administración', role: 'admin', password: 'admin123', sipExtension: null },
  { username: 'lider', displayName: 'Laura Líder', role: 'team_lead', password: 'lider123', sipExtension: null },
  ...DEMO_AGENTS.map((username, i) => ({
    username,
    displayName: `Agente ${i + 1}`,
    role: 'agent' as const,
    password: 'agente123',
    sipExtension: String(1001 + i),
  })),
];

export interface SeedResult {
  orgId: string;
  teamId: string;
  /** username → user id */
  users: Record<DemoUsername, string>;
  portfolio: ImportReport;
}

/**
 * One demo organisation (Colombia) with a team lead, three agents, an admin and a generated
 * portfolio. Idempotent: everything is matched by name, so seeding twice adds nothing.
 */
export async function seedDemo(db: Db, opts: { accounts?: number; seed?: number } = {}): Promise<SeedResult> {
  const hashes = new Map(await Promise.all(DEMO_USERS.map(async (u) => [u.username, await hashPassword(u.password)] as const)));
  const { orgId, teamId, users } = await db.transaction(async (tx) => {
    const settings = { sip: { wsUrl: 'ws://127.0.0.1:8088', domain: '127.0.0.1' } };
    let [org] = await tx.query<{ id: string }>('SELECT id FROM organizations WHERE name = $1 ORDER BY created_at LIMIT 1', [DEMO_ORG_NAME]);
    org ??= (
      await tx.query<{ id: string }>(
        `INSERT INTO organizations (name, country, time_zone, settings) VALUES ($1, 'CO', 'America/Bogota', $2::jsonb) RETURNING id`,
        [DEMO_ORG_NAME, JSON.stringify(settings)],
      )
    )[0]!;
    const [team] = await tx.query<{ id: string }>(
      `INSERT INTO teams (org_id, name) VALUES ($1, 'Equipo Bogotá') ON CONFLICT (org_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [org.id],
    );
    const ids = {} as Record<DemoUsername, string>;
    for (const u of DEMO_USERS) {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO users (org_id, team_id, username, display_name, role, password_hash, sip_extension, sip_password)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (org_id, username) DO UPDATE SET username = EXCLUDED.username RETURNING id`,
        [
          org.id,
          u.role === 'admin' ? null : team!.id,
          u.username,
          u.displayName,
          u.role,
          hashes.get(u.username),
          u.sipExtension,
          u.sipExtension ? `sip-${u.username}` : null,
        ],
      );
      ids[u.username] = row!.id;
    }
    await tx.query('UPDATE teams SET lead_id = $2 WHERE id = $1', [team!.id, ids.lider]);
    const [hasPolicies] = await tx.query(`SELECT 1 FROM organizations WHERE id = $1 AND settings ? 'negotiationPolicy'`, [org.id]);
    if (!hasPolicies) await savePolicies(tx, org.id, DEMO_POLICIES);
    return { orgId: org.id, teamId: team!.id, users: ids };
  });
  await ensureDefaultTemplates(db, orgId);
  await ensureTemplates(db, orgId, DEMO_WHATSAPP_TEMPLATES);
  const rows = generateDemoPortfolio({ count: opts.accounts ?? 300, seed: opts.seed ?? 1, agents: DEMO_AGENTS });
  const portfolio = await upsertPortfolio(
    db,
    orgId,
    rows.map((row, i) => ({ rowNumber: i + 2, row })),
  );
  // Fresh statistics after a bulk load, or the planner guesses a handful of rows per organisation.
  await db.exec('ANALYZE organizations, users, debtors, accounts, contact_points, assignment_log');
  return { orgId, teamId, users, portfolio };
}
