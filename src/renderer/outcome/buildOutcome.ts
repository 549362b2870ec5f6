import type { OutcomeInput } from '../../shared/api/contract';
import type { Channel, Disposition } from '../../shared/domain/enums';
import { parseAmount, type CurrencyCode } from '../../shared/domain/money';
import { localDate, zonedTimeToUtc } from '../../shared/domain/time';

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
  contactPointId: string | null;
  note: string;
  installments: InstallmentDraft[];
  callbackDate: string;
  callbackTime: string;
}

export interface OutcomeContext {
  accountId: string;
  currency: CurrencyCode;
  balanceMinor: number;
  /** The debtor's IANA zone: promise dates and callback times are the debtor's calendar. */
  timeZone: string;
  now: Date;
  callActivityId?: string | null;
}

/** An i18n key under `outcome.errors.` plus its parameters. */
export interface FieldError {
  key: string;
  params?: Record<string, string | number>;
}
export type FieldErrors = Record<string, FieldError>;

export type BuildResult = { ok: true; input: OutcomeInput } | { ok: false; errors: FieldErrors };

export const MAX_INSTALLMENTS = 250;
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
    const installments: { dueDate: string; amountMinor: number }[] = [];
    if (draft.installments.length === 0) errors.installments = { key: 'installments_required' };
    if (draft.installments.length > MAX_INSTALLMENTS) {
      errors.installments = { key: 'installments_too_many', params: { max: MAX_INSTALLMENTS } };
    }
    let previousDate: string | null = null;
    let total = 0;
    draft.installments.forEach((row, i) => {
      const parsed = parseAmount(row.amount, ctx.currency);
      let amountMinor = 0;
      if (!parsed.ok) errors[`installments.${i}.amount`] = amountError(parsed.reason, ctx.currency);
      else if (parsed.minor <= 0) errors[`installments.${i}.amount`] = { key: 'amount_positive' };
      else amountMinor = parsed.minor;
      total += amountMinor;

      const date = row.date.trim();
      if (date === '') errors[`installments.${i}.date`] = { key: 'date_required' };
      else if (!isRealDate(date)) errors[`installments.${i}.date`] = { key: 'date_invalid' };
      else if (date < today) errors[`installments.${i}.date`] = { key: 'date_past', params: { today } };
      else if (previousDate && date <= previousDate) errors[`installments.${i}.date`] = { key: 'date_order' };
      if (isRealDate(date)) previousDate = date;
      installments.push({ dueDate: date, amountMinor });
    });
    if (!errors.installments && total > ctx.balanceMinor && Object.keys(errors).every((k) => !k.endsWith('.amount'))) {
      errors.installments = { key: 'total_exceeds_balance' };
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
      contactPointId: draft.contactPointId,
      disposition: draft.disposition,
      note: note === '' ? null : note,
      callActivityId: ctx.callActivityId ?? null,
      callbackAt,
      promise,
    },
  };
}
