import { useTranslation } from 'react-i18next';
import type { AccountDetail } from '../../shared/api/contract';
import { formatMoney } from '../../shared/domain/money';
import { formatCalendarDate, formatDateTime } from '../lib/datetime';
import { PromiseStatusChip } from '../components/Chips';
import { promiseStatus } from '../../shared/rules/promises';

/**
 * A promise the server has not seen yet (version 0) has no server status: it is judged here with
 * the same shared function the server runs (strictest policy: no grace, full amount), labelled
 * provisional until the server's answer arrives with the next pull.
 */
function provisional(detail: AccountDetail) {
  const local = detail.promises.filter((p) => p.version === '0');
  if (local.length === 0) return new Map<string, ReturnType<typeof promiseStatus>['promises'][number]>();
  const r = promiseStatus(
    detail.promises,
    detail.payments,
    { graceDays: 0, keptThresholdPercent: 100 },
    new Date(),
    detail.debtor.timeZone,
  );
  return new Map(r.promises.filter((p) => local.some((l) => l.id === p.promiseId)).map((p) => [p.promiseId, p]));
}

export function PromisesPanel({ detail }: { detail: AccountDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const promises = [...detail.promises].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const prov = provisional(detail);
  return (
    <section className="card" aria-labelledby="promises-title">
      <h3 id="promises-title">{t('promises.title')}</h3>
      {promises.length === 0 ? (
        <p className="muted">{t('promises.none')}</p>
      ) : (
        promises.map((p) => {
          const total = p.installments.reduce((s, i) => s + i.amountMinor, 0);
          const local = prov.get(p.id);
          return (
            <div key={p.id} className="promise" data-testid="promise">
              <div className="promise-head">
                <PromiseStatusChip status={local?.status ?? p.status} />
                {local && (
                  <span className="chip" data-testid="provisional">
                    {t('promises.provisional')}
                  </span>
                )}
                {p.planId && <span className="chip">{t('negotiation.plan')}</span>}
                <strong className="num">{formatMoney(total, p.currency, lang)}</strong>
                <span className="muted small">
                  {t('promises.created', { time: formatDateTime(p.createdAt, detail.debtor.timeZone, lang) })} · {t(`channel.${p.channel}`)}
                </span>
              </div>
              <table className="table compact">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>{t('promises.dueDate')}</th>
                    <th className="num">{t('promises.amount')}</th>
                    <th className="num">{t('promises.paid')}</th>
                    <th>{t('promises.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.installments
                    .map((i) => ({ ...i, ...(local?.installments.find((x) => x.seq === i.seq) ?? {}) }))
                    .map((i) => (
                      <tr key={i.seq}>
                        <td>{i.seq}</td>
                        <td>{formatCalendarDate(i.dueDate, lang)}</td>
                        <td className="num">{formatMoney(i.amountMinor, p.currency, lang)}</td>
                        <td className="num">{formatMoney(i.paidMinor, p.currency, lang)}</td>
                        <td>
                          <PromiseStatusChip status={i.status} />
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          );
        })
      )}
    </section>
  );
}
