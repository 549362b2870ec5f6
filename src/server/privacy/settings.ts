import { DEFAULT_RETENTION_YEARS, type PrivacySettings } from '../../shared/api/privacy';
import type { Db } from '../db';
import { recordPrivacy } from './audit';

/** The organisation's retention period; the default until an administrator sets one. */
export async function loadPrivacySettings(db: Db, orgId: string): Promise<PrivacySettings> {
  const [row] = await db.query<{ retentionYears: number }>(
    'SELECT retention_years AS "retentionYears" FROM org_privacy WHERE org_id = $1',
    [orgId],
  );
  return { retentionYears: row?.retentionYears ?? DEFAULT_RETENTION_YEARS };
}

export async function savePrivacySettings(db: Db, orgId: string, actorId: string, next: PrivacySettings): Promise<PrivacySettings> {
  return db.transaction(async (tx) => {
    const before = await loadPrivacySettings(tx, orgId);
    await tx.query(
      `INSERT INTO org_privacy (org_id, retention_years, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (org_id) DO UPDATE SET retention_years = EXCLUDED.retention_years, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [orgId, next.retentionYears, actorId],
    );
    if (before.retentionYears !== next.retentionYears) {
      await recordPrivacy(tx, { orgId, actorId, action: 'settings', detail: { before, after: next } });
    }
    return next;
  });
}
