import type { TFunction } from 'i18next';
import type { QueueReason } from '../../shared/api/contract';
import { formatMoney, type CurrencyCode } from '../../shared/domain/money';
import { formatCalendarDate, formatDateTime } from './datetime';

/**
 * The queue reason as a sentence. The rules give raw parameters (docs/priority.md): instants,
 * calendar dates, minor units, enum values; they are formatted here for the debtor's zone, the
 * account's currency and the UI language before i18next interpolates them.
 */
export function reasonText(t: TFunction, reason: QueueReason, ctx: { currency: CurrencyCode; timeZone: string; lang: string }): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(reason.params)) {
    if (k === 'amountMinor' && typeof v === 'number') params.amount = formatMoney(v, ctx.currency, ctx.lang);
    else if ((k === 'callbackAt' || k === 'lastContactAt') && typeof v === 'string') params[k] = formatDateTime(v, ctx.timeZone, ctx.lang);
    else if (k === 'dueDate' && typeof v === 'string') params[k] = formatCalendarDate(v, ctx.lang);
    else if (k === 'segment') params[k] = t(`segment.${v}`);
    else if (k === 'bucket') params[k] = t(`bucket.${v}`);
    else params[k] = v;
  }
  // days past due are counted words: "1 día de mora", "3 días de mora" (i18next plurals)
  if (typeof reason.params.dpd === 'number') params.count = reason.params.dpd;
  return t(`reason.${reason.code}`, { ...params, defaultValue: reason.code });
}
