import { useTranslation } from 'react-i18next';
import type { AccountDetail } from '../../shared/api/contract';
import { formatMoney } from '../../shared/domain/money';
import { formatDateTime } from '../lib/datetime';

export function PaymentsPanel({ detail }: { detail: AccountDetail }) {
  const { t, i18n } = useTranslation();
  const payments = [...detail.payments].sort((a, b) => b.paidAt.localeCompare(a.paidAt));
  return (
    <section className="card" aria-labelledby="payments-title">
      <h3 id="payments-title">{t('payments.title')}</h3>
      {payments.length === 0 ? (
        <p className="muted">{t('payments.none')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('payments.date')}</th>
              <th className="num">{t('payments.amount')}</th>
              <th>{t('payments.reference')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {payments.map((p) => (
              <tr key={p.id} className={p.reversedAt ? 'reversed' : ''}>
                <td>{formatDateTime(p.paidAt, detail.debtor.timeZone, i18n.language)}</td>
                <td className="num">{formatMoney(p.amountMinor, p.currency, i18n.language)}</td>
                <td>{p.reference}</td>
                <td>{p.reversedAt && <span className="chip chip-bad">{t('payments.reversed')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
