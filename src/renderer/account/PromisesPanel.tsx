import { useTranslation } from 'react-i18next';
import type { AccountDetail } from '../../shared/api/contract';
import { formatMoney } from '../../shared/domain/money';
import { formatCalendarDate, formatDateTime } from '../lib/datetime';
import { PromiseStatusChip } from '../components/Chips';

export function PromisesPanel({ detail }: { detail: AccountDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const promises = [...detail.promises].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <section className="card" aria-labelledby="promises-title">
      <h3 id="promises-title">{t('promises.title')}</h3>
      {promises.length === 0 ? <p className="muted">{t('promises.none')}</p> : promises.map((p) => {
        const total = p.installments.reduce((s, i) => s + i.amountMinor, 0);
        return (
          <div key={p.id} className="promise" data-testid="promise">
            <div className="promise-head">
              <PromiseStatusChip status={p.status} />
              <strong className="num">{formatMoney(total, p.currency, lang)}</strong>
              <span className="muted small">
                {t('promises.created', { time: formatDateTime(p.createdAt, detail.debtor.timeZone, lang) })} · {t(`channel.${p.channel}`)}
              </span>
            </div>
            <table className="table compact">
              <thead><tr><th>#</th><th>{t('promises.dueDate')}</th><th className="num">{t('promises.amount')}</th><th className="num">{t('promises.paid')}</th><th>{t('promises.status')}</th></tr></thead>
              <tbody>
                {p.installments.map((i) => (
                  <tr key={i.seq}>
                    <td>{i.seq}</td>
                    <td>{formatCalendarDate(i.dueDate, lang)}</td>
                    <td className="num">{formatMoney(i.amountMinor, p.currency, lang)}</td>
                    <td className="num">{formatMoney(i.paidMinor, p.currency, lang)}</td>
                    <td><PromiseStatusChip status={i.status} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </section>
  );
}
