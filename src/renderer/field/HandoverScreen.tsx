import { useTranslation } from 'react-i18next';
import type { Handover } from '../../shared/domain/field';
import { formatMoneyCode } from '../../shared/domain/money';
import { formatDay } from '../../shared/domain/time';
import { formatReceiptNumber } from '../../shared/field/receipt-book';
import { getApi } from '../api';
import { errorText } from '../lib/errors';
import { useLoad } from '../lib/useAction';
import { useSync } from '../stores/sync';

/**
 * The collector's end of the day (docs/field-collection.md), from the local store so it works
 * offline: visits, promises, cash and transfers per currency (never summed across currencies),
 * the receipts issued and what is still to reach the server.
 */
export function HandoverScreen() {
  const { t, i18n } = useTranslation();
  const pending = useSync((s) => s.state?.pending ?? 0);
  const { data: h, error } = useLoad<Handover>(() => getApi().getHandover(), [pending]);
  return (
    <section className="card" aria-labelledby="handover-title" data-testid="handover">
      <h2 id="handover-title">{t('field.handoverTitle')}</h2>
      {error && (
        <p className="field-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {h && (
        <>
          <p className="muted">{formatDay(h.day, i18n.language)}</p>
          <dl className="facts">
            <dt>{t('field.visits')}</dt>
            <dd data-testid="handover-visits">{h.visits}</dd>
            <dt>{t('field.promises')}</dt>
            <dd>{h.promises}</dd>
            <dt>{t('field.cashCollected')}</dt>
            <dd data-testid="handover-cash">
              {h.cash.length === 0
                ? '—'
                : h.cash.map((c) => <div key={c.currency}>{formatMoneyCode(c.amountMinor, c.currency, i18n.language)}</div>)}
            </dd>
            <dt>{t('field.transfers')}</dt>
            <dd>
              {h.transfers.length === 0
                ? '—'
                : h.transfers.map((c) => <div key={c.currency}>{formatMoneyCode(c.amountMinor, c.currency, i18n.language)}</div>)}
            </dd>
            <dt>{t('field.toSync')}</dt>
            <dd data-testid="handover-pending">
              {t('field.pendingCount', { count: h.pendingMutations })} · {t('field.pendingReceipts', { count: h.pendingReceipts })}
            </dd>
            <dt>{t('field.numbersLeft')}</dt>
            <dd>{h.numbersLeft}</dd>
          </dl>
          <h3>{t('field.receiptsIssued', { count: h.receipts.length })}</h3>
          {h.receipts.length > 0 && (
            <table className="table">
              <thead>
                <tr>
                  <th>{t('field.number')}</th>
                  <th>{t('violations.debtor')}</th>
                  <th>{t('field.method')}</th>
                  <th className="num">{t('payments.amount')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {h.receipts.map((r) => (
                  <tr key={r.id} data-testid="handover-receipt">
                    <td>{formatReceiptNumber(r.number)}</td>
                    <td>{r.debtorName}</td>
                    <td>{t(`field.${r.method}`)}</td>
                    <td className="num">{formatMoneyCode(r.amountMinor, r.currency, i18n.language)}</td>
                    <td>
                      {r.unsynced && <span className="chip">{t('field.unsynced')}</span>}
                      {r.voidedAt && <span className="chip chip-bad">{t('field.voided')}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
