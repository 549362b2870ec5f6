import type Database from 'better-sqlite3-multiple-ciphers';
import { OrgComplianceState } from '../../shared/api/contract';
import type { ContactPoint, Debtor } from '../../shared/domain/entities';
import { ContactPreferences } from '../../shared/domain/entities';
import { RIGHT_PARTY_DISPOSITIONS, type AccountStatus, type Channel, type Disposition } from '../../shared/domain/enums';
import { checkContact, isContactableToday, type ComplianceInput, type ContactAttempt } from '../../shared/rules/compliance';
import { isValidTimeZone } from '../../shared/rules/compliance/timezone';
import { MESSAGE_CHANNELS, sqlList } from '../../shared/domain/channels';

/** The message channels as an SQL list (constants, never input). */
const MESSAGE_SQL = sqlList(MESSAGE_CHANNELS);

export interface Contactability {
  contactable_today: 0 | 1;
  not_contactable_reason: string | null;
}

type Cp = Pick<ContactPoint, 'kind' | 'value' | 'invalid' | 'doNotContact' | 'verified'>;

/** The channel the queue judges an account by: a call when the debtor has a usable phone. */
function pickChannel(debtor: Pick<Debtor, 'contactPrefs'>, cps: Cp[]): { channel: Channel; cp: Cp | null } {
  const usable = cps.filter((c) => !c.invalid && !c.doNotContact);
  const phone = usable.filter((c) => c.kind === 'phone').sort((a, b) => Number(b.verified) - Number(a.verified))[0];
  const preferred = debtor.contactPrefs.preferredChannel;
  if (phone && (!preferred || preferred === 'call')) return { channel: 'call', cp: phone };
  if (preferred === 'email') {
    const e = usable.find((c) => c.kind === 'email');
    if (e) return { channel: 'email', cp: e };
  }
  if (preferred === 'sms' && phone) return { channel: 'sms', cp: phone };
  if (preferred === 'whatsapp') {
    const w = usable.find((c) => c.kind === 'whatsapp') ?? phone;
    if (w) return { channel: 'whatsapp', cp: w };
  }
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
        AND NOT (t.channel IN (${MESSAGE_SQL}) AND t.disposition IS NULL AND t.recorded_at IS NOT NULL)`),
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
    const orgDnc = (org?.dncNumbers?.length ?? 0) > 0;
    // Within one batch `now` and the org rules are fixed, so for a debtor with no attempts the
    // verdict depends only on what the key below holds: at 100k accounts most share a handful
    // of keys, and the rules run once per key instead of once per account.
    const verdicts = new Map<string, Contactability>();
    const prefsByRaw = new Map<string, ContactPreferences>();
    const prefsOf = (rawPrefs: string) => {
      let p = prefsByRaw.get(rawPrefs);
      if (!p) {
        const parsed = ContactPreferences.safeParse(JSON.parse(rawPrefs || '{}'));
        p = parsed.success ? parsed.data : ContactPreferences.parse({});
        prefsByRaw.set(rawPrefs, p);
      }
      return p;
    };
    /** `mayHaveAttempts: false` when the caller knows the debtor has none (skips that query). */
    function judgeKnown(a: JudgedAccount, mayHaveAttempts = true, debtorCps?: Cp[]): Contactability {
      const debtor = { id: a.debtorId, country: a.country, timeZone: a.timeZone, contactPrefs: prefsOf(a.prefs) };
      const cps: Cp[] = debtorCps ?? (stmts.cps.all(a.debtorId) as CpRow[]).map(cpFromRow);
      const history: ContactAttempt[] = mayHaveAttempts
        ? (
            stmts.attempts.all(a.debtorId) as Array<{
              account_id: string;
              channel: Channel;
              direction: 'outbound' | 'inbound';
              started_at: string;
              disposition: Disposition | null;
            }>
          ).map((r) => ({
            accountId: r.account_id,
            debtorId: a.debtorId,
            channel: r.channel,
            direction: r.direction,
            at: r.started_at,
            conversation: r.disposition !== null && RIGHT_PARTY_DISPOSITIONS.has(r.disposition),
          }))
        : [];
      const { channel, cp } = pickChannel(debtor, cps);
      const input: ComplianceInput = {
        channel,
        contactPoint: cp,
        debtor,
        account: { id: a.id, status: a.status },
        history,
        at: now,
        ...(org ? { org } : {}),
      };
      if (history.length > 0) return decide(input);
      const key = memoKey(a, channel, cp, orgDnc);
      let v = verdicts.get(key);
      if (!v) {
        v = decide(input);
        verdicts.set(key, v);
      }
      return v;
    }
    function judge(accountId: string): Contactability {
      const a = stmts.account.get(accountId) as JudgedAccount | undefined;
      if (!a) return { contactable_today: 1, not_contactable_reason: null };
      return judgeKnown(a);
    }
    return Object.assign(judge, { known: judgeKnown });
  };
}

type CpRow = { kind: Cp['kind']; value: string; invalid: number; doNotContact: number; verified: number };
const cpFromRow = (c: CpRow): Cp => ({
  kind: c.kind,
  value: c.value,
  invalid: !!c.invalid,
  doNotContact: !!c.doNotContact,
  verified: !!c.verified,
});

/**
 * The contact points of many debtors in one query (json array of ids), for judging a pulled
 * page: the same rows the per-account query reads, grouped by debtor.
 */
export function createContactPointsOfDebtors(db: Database.Database) {
  const all = db.prepare(`SELECT debtor_id AS debtorId, kind, value, invalid, do_not_contact AS doNotContact, verified
    FROM contact_points WHERE debtor_id IN (SELECT value FROM json_each(?))`);
  return function contactPointsOf(debtorIds: string[]): Map<string, Cp[]> {
    const byDebtor = new Map<string, Cp[]>();
    for (const id of debtorIds) byDebtor.set(id, []);
    for (const r of all.all(JSON.stringify(debtorIds)) as Array<CpRow & { debtorId: string }>) byDebtor.get(r.debtorId)?.push(cpFromRow(r));
    return byDebtor;
  };
}

/** What judging an account reads of it and its debtor (contact points and attempts are queried). */
export interface JudgedAccount {
  id: string;
  status: AccountStatus;
  debtorId: string;
  country: string;
  timeZone: string;
  prefs: string;
}

/** The verdict an account gets before it is judged: visible. */
export const UNJUDGED: Contactability = { contactable_today: 1, not_contactable_reason: null };

/**
 * What the rules read when the debtor has no attempts (caps and the account id then play no
 * part): status, country, zone, preferences, channel and the contact point's flags. The number
 * itself only when it can matter: as the source of the zone (no valid debtor zone) or against
 * the organisation's do-not-call list.
 */
function memoKey(
  a: { status: string; country: string; timeZone: string; prefs: string },
  channel: Channel,
  cp: Cp | null,
  orgDnc: boolean,
): string {
  const phoneMatters = cp !== null && (cp.kind === 'phone' || cp.kind === 'whatsapp') && (orgDnc || !isValidTimeZone(a.timeZone));
  const cpKey = cp ? `${cp.kind}|${Number(cp.invalid)}${Number(cp.doNotContact)}|${phoneMatters ? cp.value : ''}` : '-';
  return `${a.status}\u0001${a.country}\u0001${a.timeZone}\u0001${channel}\u0001${cpKey}\u0001${a.prefs}`;
}

function decide(input: ComplianceInput): Contactability {
  try {
    if (isContactableToday(input)) return { contactable_today: 1, not_contactable_reason: null };
    const first = checkContact(input).reasons[0];
    return {
      contactable_today: 0,
      not_contactable_reason: first ? JSON.stringify({ ruleId: first.ruleId, es: first.es, en: first.en, channel: input.channel }) : null,
    };
  } catch {
    // data the rules cannot read (a zone typo): keep the account visible rather than hide it silently
    return { contactable_today: 1, not_contactable_reason: null };
  }
}
