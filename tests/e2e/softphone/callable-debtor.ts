import type { ContactPreferences } from '../../../src/shared/domain/entities';
import { checkContact } from '../../../src/shared/rules/compliance';
import type { Db } from '../../../src/server/db';

/** Zones around the globe: at any instant some of them are inside default calling hours. */
export const ZONES = [
  'Pacific/Auckland',
  'Asia/Tokyo',
  'Asia/Shanghai',
  'Asia/Bangkok',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Europe/Moscow',
  'Europe/Madrid',
  'Europe/London',
  'Atlantic/Azores',
  'America/Sao_Paulo',
  'America/Santiago',
  'America/Bogota',
  'America/Mexico_City',
  'America/Denver',
  'America/Los_Angeles',
  'Pacific/Honolulu',
];

export type CallableDebtor = { accountId: string; debtorId: string; debtorName: string; contactPointId: string; phone: string };

/**
 * One of the agent's uncontacted debtors with a phone, moved (before the workstation pulls) to a
 * zone where a call is allowed right now: calling hours follow the debtor's clock, not the test
 * machine's (country without a law profile → default hours).
 */
export async function callableDebtor(db: Db, username: string): Promise<CallableDebtor | undefined> {
  const [target] = await db.query<CallableDebtor>(
    `SELECT a.id AS "accountId", d.id AS "debtorId", d.name AS "debtorName", cp.id AS "contactPointId", cp.value AS phone
       FROM accounts a JOIN users u ON u.id = a.assigned_agent_id JOIN debtors d ON d.id = a.debtor_id
       JOIN contact_points cp ON cp.debtor_id = d.id
      WHERE u.username = $1 AND a.status = 'active' AND cp.kind = 'phone' AND NOT cp.invalid AND NOT cp.do_not_contact
        AND NOT EXISTS (SELECT 1 FROM activities x JOIN accounts y ON y.id = x.account_id WHERE y.debtor_id = d.id)
      ORDER BY a.id LIMIT 1`,
    [username],
  );
  if (!target) return undefined;
  const prefs: ContactPreferences = { authorizedChannels: ['call'], preferredChannel: null, windows: [], preferredPaymentDay: null };
  const zone = ZONES.find(
    (tz) =>
      checkContact({
        channel: 'call',
        contactPoint: { kind: 'phone', value: target.phone, invalid: false, doNotContact: false },
        debtor: { id: target.debtorId, country: 'ZZ', timeZone: tz, contactPrefs: prefs },
        account: { id: target.accountId, status: 'active' },
        history: [],
        at: new Date(Date.now() + 5 * 60_000),
      }).allowed,
  );
  if (!zone) return undefined;
  await db.query(
    `UPDATE debtors SET country = 'ZZ', time_zone = $2, contact_prefs = $3::jsonb, version = next_change_version() WHERE id = $1`,
    [target.debtorId, zone, JSON.stringify(prefs)],
  );
  return target;
}
