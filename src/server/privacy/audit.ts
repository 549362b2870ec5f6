import type { Db } from '../db';

export type PrivacyAction = 'export' | 'erase' | 'erase_refused' | 'settings';

/**
 * Appends one row to privacy_audit (append-only, 0015-debtor-privacy.sql). Called in the same
 * transaction as the change it records, so there is no erasure without its record; the detail
 * holds counts, formats and reasons, never the personal data itself.
 */
export async function recordPrivacy(
  tx: Db,
  f: { orgId: string; actorId: string; action: PrivacyAction; debtorId?: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  await tx.query('INSERT INTO privacy_audit (org_id, actor_id, action, debtor_id, detail) VALUES ($1, $2, $3, $4, $5::jsonb)', [
    f.orgId,
    f.actorId,
    f.action,
    f.debtorId ?? null,
    JSON.stringify(f.detail ?? {}),
  ]);
}
