import type { Account, ContactPoint, Debtor } from '../../shared/domain/entities';
import {
  ACCOUNT_COLUMNS as WIRE_ACCOUNT_COLUMNS,
  CONTACT_POINT_COLUMNS as WIRE_CONTACT_POINT_COLUMNS,
  DEBTOR_COLUMNS as WIRE_DEBTOR_COLUMNS,
} from '../../shared/sync/snapshot';
import { accountParams, contactPointParams, debtorParams } from './rows';

/** Column lists of the store's positional upserts, derived from the row builders (one source of truth). */
export const DERIVED_COLUMNS = ['debtor_name', 'search_text', 'segment', 'time_zone', 'dpd', 'bucket', 'priority', 'priority_reason'];
// a pulled account is judged in the transaction that brings it (see pull.ts)
export const JUDGED_COLUMNS = ['contactable_today', 'not_contactable_reason', 'contactable_judged'];

// Samples only used to derive column lists from the param builders.
const sampleDebtor: Debtor = {
  id: '',
  orgId: '',
  externalId: '',
  name: '',
  nationalId: '',
  country: 'CO',
  timeZone: 'UTC',
  debtorType: 'individual',
  segment: 'low',
  contactPrefs: { authorizedChannels: [], preferredChannel: null, windows: [], preferredPaymentDay: null },
  version: '0',
};
const sampleAccount: Account = {
  id: '',
  orgId: '',
  debtorId: '',
  externalRef: '',
  product: '',
  currency: 'COP',
  principalMinor: 0,
  balanceMinor: 0,
  dueDate: null,
  installmentsTotal: 0,
  installmentsPaid: 0,
  installmentAmountMinor: null,
  status: 'active',
  assignedAgentId: null,
  callbackAt: null,
  callbackNote: null,
  lastContactAt: null,
  version: '0',
};
const sampleContactPoint: ContactPoint = {
  id: '',
  debtorId: '',
  kind: 'phone',
  value: '',
  label: null,
  verified: false,
  invalid: false,
  doNotContact: false,
  version: '0',
};

export const DEBTOR_COLS = Object.keys(debtorParams(sampleDebtor));
export const ACCOUNT_COLS = [...Object.keys(accountParams(sampleAccount)), ...DERIVED_COLUMNS, ...JUDGED_COLUMNS];
export const CONTACT_POINT_COLS = Object.keys(contactPointParams(sampleContactPoint));
export const ACTIVITY_COLS = [
  'id',
  'account_id',
  'agent_id',
  'channel',
  'direction',
  'contact_point_id',
  'address',
  'disposition',
  'note',
  'started_at',
  'answered_at',
  'ended_at',
  'duration_sec',
  'sip_status',
  'hangup_by',
  'promise_id',
  'manual_dial',
  'recorded_at',
  'message_status',
  'message_error',
  'version',
];
export const NOTE_COLS = ['id', 'account_id', 'author_id', 'body', 'created_at', 'recorded_at', 'version'];
export const PAYMENT_COLS = ['id', 'account_id', 'reference', 'amount_minor', 'currency', 'paid_at', 'reversed_at', 'version'];
export const PROMISE_COLS = [
  'id',
  'account_id',
  'agent_id',
  'channel',
  'currency',
  'created_at',
  'status',
  'installments',
  'plan_id',
  'version',
];

// A tuple of the wire is a row of the store: the same columns in the same order (see snapshot.ts).
for (const [wire, cols, extra] of [
  [WIRE_DEBTOR_COLUMNS, DEBTOR_COLS, 0],
  [WIRE_CONTACT_POINT_COLUMNS, CONTACT_POINT_COLS, 1],
  [WIRE_ACCOUNT_COLUMNS, ACCOUNT_COLS, DERIVED_COLUMNS.length + JUDGED_COLUMNS.length],
] as const) {
  const snake = wire.map((c) => c.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`));
  if (snake.join() !== cols.slice(0, cols.length - extra).join())
    throw new Error(`store columns ${cols.join()} do not follow the wire tuple ${wire.join()}`);
}
