import type Database from 'better-sqlite3';
import { OrgComplianceState } from '../../shared/api/contract';
import type { ContactPoint, Debtor } from '../../shared/domain/entities';
import { ContactPreferences } from '../../shared/domain/entities';
import { RIGHT_PARTY_DISPOSITIONS, type AccountStatus, type Channel, type Disposition } from '../../shared/domain/enums';
import { checkContact, isContactableToday, type ComplianceInput, type ContactAttempt } from '../../shared/rules/compliance';

export interface Contactability { contactable_today: 0 | 1; not_contactable_reason: string | null }

type Cp = Pick<ContactPoint, 'kind' | 'value' | 'invalid' | 'doNotContact' | 'verified'>;

/** The channel the queue judges an account by: a call when the debtor has a usable phone. */
function pickChannel(debtor: Pick<Debtor, 'contactPrefs'>, cps: Cp[]): { channel: Channel; cp: Cp | null } {
  const usable = cps.filter((c) => !c.invalid && !c.doNotContact);
  const phone = usable.filter((c) => c.kind === 'phone').sort((a, b) => Number(b.verified) - Number(a.verified))[0];
  const preferred = debtor.contactPrefs.preferredChannel;
  if (phone && (!preferred || preferred === 'call')) return { channel: 'call', cp: phone };
  if (preferred === 'email') { const e = usable.find((c) => c.kind === 'email'); if (e) return { channel: 'email', cp: e }; }
  if (preferred === 'sms' && phone) return { channel: 'sms', cp: phone };
  if (preferred === 'whatsapp') { const w = usable.find((c) => c.kind === 'whatsapp') ?? phone; if (w) return { channel: 'whatsapp', cp: w }; }
  if (phone) return { channel: 'call', cp: phone };
  const any = usable.find((c) => c.kind === 'email');
  return any ? { channel: 'email', cp: any } : { channel: 'call', cp: cps.find((c) => c.kind === 'phone') ?? null };
}

/**
 * Computes the queue's contactability column with the shared rules (never a second copy): the
 * debtor's attempts in this store (unsynced ones included, refused messages excluded) and the
 * organisation's cached rules. The reason kept is the first rule that refuses.
 */
export function createContactability(db: Database.Database) {
  const stmts = {
    account: db.prepare(`SELECT a.id, a.status, a.debtor_id AS debtorId, d.country, d.time_zone AS timeZone, d.contact_prefs AS prefs
      FROM accounts a JOIN debtors d ON d.id = a.debtor_id WHERE a.id = ?`),
    cps: db.prepare('SELECT kind, value, invalid, do_not_contact AS doNotContact, verified FROM contact_points WHERE debtor_id = ?'),
    attempts: db.prepare(`SELECT t.account_id, t.channel, t.direction, t.started_at, t.disposition FROM activities t
      JOIN accounts a ON a.id = t.account_id WHERE a.debtor_id = ?
        AND NOT (t.channel IN ('sms', 'whatsapp', 'email') AND t.disposition IS NULL AND t.recorded_at IS NOT NULL)`),
    meta: db.prepare("SELECT value FROM meta WHERE key = 'orgCompliance'").pluck(),
  };

  return function at(now: Date) {
    let org: ComplianceInput['org'];
    const raw = stmts.meta.get() as string | undefined;
    if (raw) {
      const parsed = OrgComplianceState.safeParse(JSON.parse(raw));
      if (parsed.success) {
        const s = parsed.data;
        org = { country: s.country, timeZone: s.timeZone, dncNumbers: s.rules.dncNumbers, overrides: s.rules.overrides };
      }
    }
    return function judge(accountId: string): Contactability {
      const a = stmts.account.get(accountId) as { id: string; status: AccountStatus; debtorId: string; country: string; timeZone: string; prefs: string } | undefined;
      if (!a) return { contactable_today: 1, not_contactable_reason: null };
      const prefsParsed = ContactPreferences.safeParse(JSON.parse(a.prefs || '{}'));
      const debtor = { id: a.debtorId, country: a.country, timeZone: a.timeZone, contactPrefs: prefsParsed.success ? prefsParsed.data : ContactPreferences.parse({}) };
      const cps: Cp[] = (stmts.cps.all(a.debtorId) as Array<{ kind: Cp['kind']; value: string; invalid: number; doNotContact: number; verified: number }>)
        .map((c) => ({ ...c, invalid: !!c.invalid, doNotContact: !!c.doNotContact, verified: !!c.verified }));
      const history: ContactAttempt[] = (stmts.attempts.all(a.debtorId) as Array<{ account_id: string; channel: Channel; direction: 'outbound' | 'inbound'; started_at: string; disposition: Disposition | null }>)
        .map((r) => ({ accountId: r.account_id, debtorId: a.debtorId, channel: r.channel, direction: r.direction, at: r.started_at,
          conversation: r.disposition !== null && RIGHT_PARTY_DISPOSITIONS.has(r.disposition) }));
      const { channel, cp } = pickChannel(debtor, cps);
      const input: ComplianceInput = { channel, contactPoint: cp, debtor, account: { id: a.id, status: a.status }, history, at: now, ...(org ? { org } : {}) };
      try {
        if (isContactableToday(input)) return { contactable_today: 1, not_contactable_reason: null };
        const first = checkContact(input).reasons[0];
        return { contactable_today: 0, not_contactable_reason: first ? JSON.stringify({ ruleId: first.ruleId, es: first.es, en: first.en, channel }) : null };
      } catch {
        // data the rules cannot read (a zone typo): keep the account visible rather than hide it silently
        return { contactable_today: 1, not_contactable_reason: null };
      }
    };
  };
}
