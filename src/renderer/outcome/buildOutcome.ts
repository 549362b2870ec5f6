import type { OutcomeInput } from '../../shared/api/contract';
import type { Channel, Disposition } from '../../shared/domain/enums';
import { parseAmount, type CurrencyCode } from '../../shared/domain/money';
import { localDate, zonedTimeToUtc } from '../../shared/domain/time';
import { MAX_INSTALLMENTS, PromisePolicy, validatePromise } from '../../shared/rules/promises';

export { MAX_INSTALLMENTS };

/** What the agent typed in the outcome form, as raw strings (amounts in major units). */
export interface InstallmentDraft {
  /** Stable React key; never sent. */
  key: string;
  amount: string;
  date: string;
}

export interface OutcomeDraft {
  disposition: Disposition | null;
  channel: Channel;
  /** Outbound: we contacted the debtor (checked like placing the contact); inbound: the debtor called or wrote. */
  direction?: 'outbound' | 'inbound';
  contactPointId: string | null;
  note: string;
  installments: InstallmentDraft[];
  callbackDate: string;
  callbackTime: string;
}

export interface OutcomeContext {
  /** The organisation's promise policy for this product, when the workstation knows it. */
  policy?: PromisePolicy | null;
  accountId: string;
  currency: CurrencyCode;
  balanceMinor: number;
  /** The debtor's IANA zone: promise dates and callback times are the debtor's calendar. */
  timeZone: string;
  now: Date;
  callActivityId?: string | null;
}

/** An i18n key under `outcome.errors.` plus its parameters, or a shared rule's own es/en text. */
export interface FieldError {
  key: string;
  params?: Record<string, string | number>;
  text?: { es: string; en: string };
}
export type FieldErrors = Record<string, FieldError>;

export type BuildResult = { ok: true; input: OutcomeInput } | { ok: false; errors: FieldErrors };

/**
 * Without the organisation's policy only the rules every promise obeys apply (positive amounts,
 * no past first date, dates in order, no more than the balance, at most 250 payments); the
 * server re-checks against the real policy.
 */
const OPEN_POLICY: PromisePolicy = PromisePolicy.parse({ maxInstallments: MAX_INSTALLMENTS, maxDaysToFirstPayment: 366 });

/** Shared rule ids the form words itself (with the debtor's date in the message). */
const RULE_KEYS: Record<string, string> = {
  'promise.empty': 'installments_required',
  'promise.amount_positive': 'amount_positive',
  'promise.first_due_past': 'date_past',
  'promise.dates_order': 'date_order',
  'promise.exceeds_balance': 'total_exceeds_balance',
};

/** `installments[2].amountMinor` (the rules' field names) → `installments.2.amount` (the form's). */
function formFieldOfRule(field: string): string {
  const m = /^installments\[(\d+)\]\.(amountMinor|dueDate)$/.exec(field);
  if (m) return `installments.${m[1]}.${m[2] === 'amountMinor' ? 'amount' : 'date'}`;
  return 'installments';
}
const NOTE_MAX = 4000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

function amountError(reason: string, currency: CurrencyCode): FieldError {
  if (reason === 'empty') return { key: 'amount_required' };
  if (reason === 'negative') return { key: 'amount_negative' };
  if (reason === 'too large') return { key: 'amount_too_large' };
  const decimals = /^more than (\d+) decimals/.exec(reason);
  if (decimals) return { key: 'amount_decimals', params: { digits: Number(decimals[1]), currency } };
  return { key: 'amount_invalid' };
}

function isRealDate(date: string): boolean {
  if (!DATE_RE.test(date)) return false;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * Turns the form into the API's OutcomeInput, or into one error per field the agent must fix.
 * Field names: disposition, note, installments, installments.N.amount, installments.N.date,
 * callbackDate, callbackTime.
 */
export function buildOutcome(draft: OutcomeDraft, ctx: OutcomeContext): BuildResult {
  const errors: FieldErrors = {};
  if (!draft.disposition) errors.disposition = { key: 'disposition_required' };
  const note = draft.note.trim();
  if (note.length > NOTE_MAX) errors.note = { key: 'note_too_long', params: { max: NOTE_MAX } };

  const today = localDate(ctx.now, ctx.timeZone);
  let promise: OutcomeInput['promise'] = null;
  if (draft.disposition === 'promise_to_pay') {
    // Only the typing is checked here (amount and date syntax); whether the promise is
    // acceptable is the one shared rule, validatePromise in src/shared/rules/promises.ts.
    const installments: { dueDate: string; amountMinor: number }[] = [];
    let parsedAll = true;
    draft.installments.forEach((row, i) => {
      const parsed = parseAmount(row.amount, ctx.currency);
      if (!parsed.ok) {
        errors[`installments.${i}.amount`] = amountError(parsed.reason, ctx.currency);
        parsedAll = false;
      }
      const date = row.date.trim();
      if (date === '' || !isRealDate(date)) {
        errors[`installments.${i}.date`] = { key: date === '' ? 'date_required' : 'date_invalid' };
        parsedAll = false;
      }
      installments.push({ dueDate: date, amountMinor: parsed.ok ? parsed.minor : 0 });
    });
    if (parsedAll) {
      const verdict = validatePromise(
        ctx.policy ?? OPEN_POLICY,
        { balanceMinor: ctx.balanceMinor, currency: ctx.currency },
        installments,
        today,
      );
      if (!verdict.ok) {
        for (const broken of verdict.errors) {
          const field = formFieldOfRule(broken.field);
          if (errors[field]) continue;
          const known = RULE_KEYS[broken.ruleId];
          errors[field] = known ? { key: known, params: { today } } : { key: 'rule', text: { es: broken.es, en: broken.en } };
        }
      }
    }
    promise = { installments };
  }

  let callbackAt: string | null = null;
  if (draft.disposition === 'callback_requested') {
    const date = draft.callbackDate.trim();
    const time = draft.callbackTime.trim();
    if (date === '') errors.callbackDate = { key: 'date_required' };
    else if (!isRealDate(date)) errors.callbackDate = { key: 'date_invalid' };
    if (time === '') errors.callbackTime = { key: 'time_required' };
    else if (!TIME_RE.test(time)) errors.callbackTime = { key: 'time_invalid' };
    if (!errors.callbackDate && !errors.callbackTime) {
      const at = zonedTimeToUtc(date, time, ctx.timeZone);
      if (at.getTime() <= ctx.now.getTime()) errors.callbackTime = { key: 'callback_past' };
      else callbackAt = at.toISOString();
    }
  }

  if (Object.keys(errors).length > 0 || !draft.disposition) return { ok: false, errors };
  return {
    ok: true,
    input: {
      accountId: ctx.accountId,
      channel: draft.channel,
      direction: draft.direction ?? 'outbound',
      contactPointId: draft.contactPointId,
      disposition: draft.disposition,
      note: note === '' ? null : note,
      callActivityId: ctx.callActivityId ?? null,
      callbackAt,
      promise,
    },
  };
}
