import type { AccountScore } from '../../shared/risk/score';
import type {
  Account,
  Activity,
  ContactPoint,
  Debtor,
  Note,
  Payment,
  PaymentPromise,
  PromiseInstallment,
} from '../../shared/domain/entities';
import { ContactPreferences } from '../../shared/domain/entities';

/**
 * SQL column lists and row → entity mappers for the synced tables. Columns are aliased to the
 * entities' camelCase names; the mappers only turn timestamps into ISO strings and versions
 * into decimal strings (the wire form of Version). The bulk tables of a first pull (debtors,
 * accounts, contact points) are selected in their wire form already — text versions, ISO text
 * timestamps — so their rows go out as they come, without a copy per row.
 */
type Ts = Date | null;
const iso = (d: Ts): string | null => (d === null ? null : d.toISOString());
const isoReq = (d: Date): string => d.toISOString();
/** timestamptz as text exactly like Date.prototype.toISOString (UTC, milliseconds, Z). */
const isoSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const DEFAULT_PREFS: ContactPreferences = ContactPreferences.parse({});
function contactPrefsOf(stored: unknown): ContactPreferences {
  const p = stored as Partial<ContactPreferences> | null;
  // Written complete (by the import or a validated mutation): taken as is, no parse per debtor.
  if (p && Array.isArray(p.authorizedChannels) && Array.isArray(p.windows) && 'preferredChannel' in p && 'preferredPaymentDay' in p) {
    return p as ContactPreferences;
  }
  // Stored preferences may predate fields added later; defaults fill them in.
  const parsed = ContactPreferences.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_PREFS;
}

export const DEBTOR_COLUMNS = `d.id, d.org_id AS "orgId", d.external_id AS "externalId", d.name,
  d.national_id AS "nationalId", d.country, d.time_zone AS "timeZone", d.debtor_type AS "debtorType",
  d.segment, d.contact_prefs AS "contactPrefs", d.version::text AS version`;
type DebtorRow = Omit<Debtor, 'contactPrefs'> & { contactPrefs: unknown };
export function toDebtor(r: DebtorRow): Debtor {
  const row = r as Debtor;
  row.contactPrefs = contactPrefsOf(r.contactPrefs);
  return row;
}

export const ACCOUNT_COLUMNS = `a.id, a.org_id AS "orgId", a.debtor_id AS "debtorId", a.external_ref AS "externalRef",
  a.product, a.currency, a.principal_minor AS "principalMinor", a.balance_minor AS "balanceMinor",
  a.due_date AS "dueDate", a.installments_total AS "installmentsTotal", a.installments_paid AS "installmentsPaid",
  a.installment_amount_minor AS "installmentAmountMinor", a.status, a.assigned_agent_id AS "assignedAgentId",
  ${isoSql('a.callback_at')} AS "callbackAt", a.callback_note AS "callbackNote", ${isoSql('a.last_contact_at')} AS "lastContactAt",
  a.version::text AS version`;
type AccountRow = Account;
export function toAccount(r: AccountRow): Account {
  return r;
}

export const CONTACT_POINT_COLUMNS = `c.id, c.debtor_id AS "debtorId", c.kind, c.value, c.label, c.verified, c.invalid,
  c.do_not_contact AS "doNotContact", c.version::text AS version`;
type ContactPointRow = ContactPoint;
export function toContactPoint(r: ContactPointRow): ContactPoint {
  return r;
}

export const ACTIVITY_COLUMNS = `t.id, t.account_id AS "accountId", t.agent_id AS "agentId", t.channel, t.direction,
  t.contact_point_id AS "contactPointId", t.address, t.disposition, t.note, t.started_at AS "startedAt",
  t.answered_at AS "answeredAt", t.ended_at AS "endedAt", t.duration_sec AS "durationSec", t.sip_status AS "sipStatus",
  t.hangup_by AS "hangupBy", t.promise_id AS "promiseId", t.manual_dial AS "manualDial", t.recorded_at AS "recordedAt",
  t.message_status AS "messageStatus", t.message_error AS "messageError", t.version`;
type ActivityRow = Omit<Activity, 'version' | 'startedAt' | 'answeredAt' | 'endedAt' | 'recordedAt'> & {
  version: number;
  startedAt: Date;
  answeredAt: Ts;
  endedAt: Ts;
  recordedAt: Ts;
};
export function toActivity(r: ActivityRow): Activity {
  return {
    ...r,
    startedAt: isoReq(r.startedAt),
    answeredAt: iso(r.answeredAt),
    endedAt: iso(r.endedAt),
    recordedAt: iso(r.recordedAt),
    version: String(r.version),
  };
}

export const NOTE_COLUMNS = `n.id, n.account_id AS "accountId", n.author_id AS "authorId", n.body,
  n.created_at AS "createdAt", n.recorded_at AS "recordedAt", n.version`;
type NoteRow = Omit<Note, 'version' | 'createdAt' | 'recordedAt'> & { version: number; createdAt: Date; recordedAt: Ts };
export function toNote(r: NoteRow): Note {
  return { ...r, createdAt: isoReq(r.createdAt), recordedAt: iso(r.recordedAt), version: String(r.version) };
}

export const PAYMENT_COLUMNS = `p.id, p.account_id AS "accountId", p.reference, p.amount_minor AS "amountMinor",
  p.currency, p.paid_at AS "paidAt", p.reversed_at AS "reversedAt", p.version`;
type PaymentRow = Omit<Payment, 'version' | 'paidAt' | 'reversedAt'> & { version: number; paidAt: Date; reversedAt: Ts };
export function toPayment(r: PaymentRow): Payment {
  return { ...r, paidAt: isoReq(r.paidAt), reversedAt: iso(r.reversedAt), version: String(r.version) };
}

/** Installments are folded in as a JSON array, ordered by seq, so a promise is one row. */
export const PROMISE_COLUMNS = `pr.id, pr.account_id AS "accountId", pr.agent_id AS "agentId", pr.channel, pr.currency,
  pr.created_at AS "createdAt", pr.status, pr.plan_id AS "planId", pr.version,
  (SELECT coalesce(json_agg(json_build_object('seq', i.seq, 'dueDate', i.due_date, 'amountMinor', i.amount_minor,
     'paidMinor', i.paid_minor, 'status', i.status) ORDER BY i.seq), '[]'::json)
   FROM promise_installments i WHERE i.promise_id = pr.id) AS installments`;
type PromiseRow = Omit<PaymentPromise, 'version' | 'createdAt' | 'installments'> & {
  version: number;
  createdAt: Date;
  installments: PromiseInstallment[];
};
export function toPromise(r: PromiseRow): PaymentPromise {
  return { ...r, createdAt: isoReq(r.createdAt), version: String(r.version) };
}

export type { AccountRow, ActivityRow, ContactPointRow, DebtorRow, NoteRow, PaymentRow, PromiseRow };

export const SCORE_COLUMNS = `sc.account_id AS "accountId", sc.pay_probability AS "payProbability", sc.roll_probability AS "rollProbability",
  sc.reasons, sc.as_of AS "asOf", sc.version`;
export type ScoreRow = Omit<AccountScore, 'version'> & { version: number };
export function toScore(r: ScoreRow): AccountScore {
  return { ...r, version: String(r.version) };
}
