import type { Account, Activity, ContactPoint, Debtor, Note, Payment, PaymentPromise } from '../../shared/domain/entities';
import { ContactPreferences, PromiseInstallment } from '../../shared/domain/entities';
import { z } from 'zod';
import { reverseDigits } from './text';

/** Row shapes as SQLite returns them, and the mapping to and from the shared entities. */
type Row = Record<string, unknown>;

const str = (v: unknown) => v as string;
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : (v as string));
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const bool = (v: unknown) => v === 1 || v === true;

export function debtorParams(d: Debtor) {
  return {
    id: d.id,
    org_id: d.orgId,
    external_id: d.externalId,
    name: d.name,
    national_id: d.nationalId,
    country: d.country,
    time_zone: d.timeZone,
    debtor_type: d.debtorType,
    segment: d.segment,
    contact_prefs: JSON.stringify(d.contactPrefs),
    version: d.version,
  };
}
export function debtorFromRow(r: Row): Debtor {
  return {
    id: str(r.id),
    orgId: str(r.org_id),
    externalId: str(r.external_id),
    name: str(r.name),
    nationalId: str(r.national_id),
    country: str(r.country),
    timeZone: str(r.time_zone),
    debtorType: r.debtor_type as Debtor['debtorType'],
    segment: r.segment as Debtor['segment'],
    contactPrefs: ContactPreferences.parse(JSON.parse(str(r.contact_prefs))),
    version: str(r.version),
  };
}

/** The folded text searched by name, national id and account reference: the shared rule. */
export { searchText } from '../../shared/domain/search';

export function accountParams(a: Account) {
  return {
    id: a.id,
    org_id: a.orgId,
    debtor_id: a.debtorId,
    external_ref: a.externalRef,
    product: a.product,
    currency: a.currency,
    principal_minor: a.principalMinor,
    balance_minor: a.balanceMinor,
    due_date: a.dueDate,
    installments_total: a.installmentsTotal,
    installments_paid: a.installmentsPaid,
    installment_amount_minor: a.installmentAmountMinor,
    status: a.status,
    assigned_agent_id: a.assignedAgentId,
    callback_at: a.callbackAt,
    callback_note: a.callbackNote,
    last_contact_at: a.lastContactAt,
    version: a.version,
  };
}
export function accountFromRow(r: Row): Account {
  return {
    id: str(r.id),
    orgId: str(r.org_id),
    debtorId: str(r.debtor_id),
    externalRef: str(r.external_ref),
    product: str(r.product),
    currency: r.currency as Account['currency'],
    principalMinor: Number(r.principal_minor),
    balanceMinor: Number(r.balance_minor),
    dueDate: strOrNull(r.due_date),
    installmentsTotal: Number(r.installments_total),
    installmentsPaid: Number(r.installments_paid),
    installmentAmountMinor: numOrNull(r.installment_amount_minor),
    status: r.status as Account['status'],
    assignedAgentId: strOrNull(r.assigned_agent_id),
    callbackAt: strOrNull(r.callback_at),
    callbackNote: strOrNull(r.callback_note),
    lastContactAt: strOrNull(r.last_contact_at),
    version: str(r.version),
  };
}

export function contactPointParams(c: ContactPoint) {
  return {
    id: c.id,
    debtor_id: c.debtorId,
    kind: c.kind,
    value: c.value,
    label: c.label,
    verified: c.verified ? 1 : 0,
    invalid: c.invalid ? 1 : 0,
    do_not_contact: c.doNotContact ? 1 : 0,
    version: c.version,
    digits_rev: c.kind === 'phone' || c.kind === 'whatsapp' ? reverseDigits(c.value) : null,
  };
}
export function contactPointFromRow(r: Row): ContactPoint {
  return {
    id: str(r.id),
    debtorId: str(r.debtor_id),
    kind: r.kind as ContactPoint['kind'],
    value: str(r.value),
    label: strOrNull(r.label),
    verified: bool(r.verified),
    invalid: bool(r.invalid),
    doNotContact: bool(r.do_not_contact),
    version: str(r.version),
  };
}

export function activityParams(a: Activity) {
  return {
    id: a.id,
    account_id: a.accountId,
    agent_id: a.agentId,
    channel: a.channel,
    direction: a.direction,
    contact_point_id: a.contactPointId,
    address: a.address,
    disposition: a.disposition,
    note: a.note,
    started_at: a.startedAt,
    answered_at: a.answeredAt,
    ended_at: a.endedAt,
    duration_sec: a.durationSec,
    sip_status: a.sipStatus,
    hangup_by: a.hangupBy,
    promise_id: a.promiseId,
    manual_dial: a.manualDial ? 1 : 0,
    recorded_at: a.recordedAt,
    message_status: a.messageStatus ?? null,
    message_error: a.messageError ?? null,
    version: a.version,
  };
}
export function activityFromRow(r: Row): Activity {
  return {
    id: str(r.id),
    accountId: str(r.account_id),
    agentId: str(r.agent_id),
    channel: r.channel as Activity['channel'],
    direction: r.direction as Activity['direction'],
    contactPointId: strOrNull(r.contact_point_id),
    address: strOrNull(r.address),
    disposition: (r.disposition ?? null) as Activity['disposition'],
    note: strOrNull(r.note),
    startedAt: str(r.started_at),
    answeredAt: strOrNull(r.answered_at),
    endedAt: strOrNull(r.ended_at),
    durationSec: numOrNull(r.duration_sec),
    sipStatus: numOrNull(r.sip_status),
    hangupBy: (r.hangup_by ?? null) as Activity['hangupBy'],
    promiseId: strOrNull(r.promise_id),
    manualDial: r.manual_dial === 1,
    recordedAt: strOrNull(r.recorded_at),
    messageStatus: (r.message_status ?? null) as Activity['messageStatus'],
    messageError: strOrNull(r.message_error),
    version: str(r.version),
  };
}

export function noteParams(n: Note) {
  return {
    id: n.id,
    account_id: n.accountId,
    author_id: n.authorId,
    body: n.body,
    created_at: n.createdAt,
    recorded_at: n.recordedAt,
    version: n.version,
  };
}
export function noteFromRow(r: Row): Note {
  return {
    id: str(r.id),
    accountId: str(r.account_id),
    authorId: str(r.author_id),
    body: str(r.body),
    createdAt: str(r.created_at),
    recordedAt: strOrNull(r.recorded_at),
    version: str(r.version),
  };
}

export function paymentParams(p: Payment) {
  return {
    id: p.id,
    account_id: p.accountId,
    reference: p.reference,
    amount_minor: p.amountMinor,
    currency: p.currency,
    paid_at: p.paidAt,
    reversed_at: p.reversedAt,
    version: p.version,
  };
}
export function paymentFromRow(r: Row): Payment {
  return {
    id: str(r.id),
    accountId: str(r.account_id),
    reference: str(r.reference),
    amountMinor: Number(r.amount_minor),
    currency: r.currency as Payment['currency'],
    paidAt: str(r.paid_at),
    reversedAt: strOrNull(r.reversed_at),
    version: str(r.version),
  };
}

const Installments = z.array(PromiseInstallment);
export function promiseParams(p: PaymentPromise) {
  return {
    id: p.id,
    account_id: p.accountId,
    agent_id: p.agentId,
    channel: p.channel,
    currency: p.currency,
    created_at: p.createdAt,
    status: p.status,
    installments: JSON.stringify(p.installments),
    plan_id: p.planId,
    version: p.version,
  };
}
export function promiseFromRow(r: Row): PaymentPromise {
  return {
    id: str(r.id),
    accountId: str(r.account_id),
    agentId: str(r.agent_id),
    channel: r.channel as PaymentPromise['channel'],
    currency: r.currency as PaymentPromise['currency'],
    createdAt: str(r.created_at),
    status: r.status as PaymentPromise['status'],
    installments: Installments.parse(JSON.parse(str(r.installments))),
    planId: strOrNull(r.plan_id),
    version: str(r.version),
  };
}

/**
 * `INSERT … ON CONFLICT(id) DO UPDATE` for every named column: the server's row wins. Positional
 * parameters (see `inColumnOrder`): binding a named object costs a property lookup per column.
 */
export function upsertSql(table: string, columns: readonly string[]): string {
  const cols = columns.join(', ');
  const vals = columns.map(() => '?').join(', ');
  const sets = columns
    .filter((c) => c !== 'id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `INSERT INTO ${table} (${cols}) VALUES (${vals}) ON CONFLICT(id) DO UPDATE SET ${sets}`;
}

/** The values of `row` in the order of `columns`, for a statement built by upsertSql. */
export function inColumnOrder(columns: readonly string[], row: Record<string, unknown>): unknown[] {
  const out = new Array<unknown>(columns.length);
  for (let i = 0; i < columns.length; i++) out[i] = row[columns[i]!];
  return out;
}
