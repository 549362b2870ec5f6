import { useTranslation } from 'react-i18next';
import { formatMoneyCode, type CurrencyCode } from '../../shared/domain/money';
import { getApi } from '../api';
import { errorText } from '../lib/errors';
import { useLoad } from '../lib/useAction';

/**
 * Champion against challenger for a saved strategy: per arm the accounts counted, cure rate and
 * contacts per cure; per currency (never summed across them) what was collected, what the
 * contacts cost at the organisation's prices, and the cost per peso collected.
 */
export function StrategyResultsView({ strategyId, reload }: { strategyId: string; reload: number }) {
  const { t, i18n } = useTranslation();
  const { data, error } = useLoad(() => getApi().getStrategyResults({ id: strategyId }), [strategyId, reload]);
  const pct = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 });
  const dec = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 });
  const ratio = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 4 });
  const money = (minor: number, currency: string) => formatMoneyCode(Math.round(minor), currency as CurrencyCode, i18n.language);
  return (
    <div className="strat-results" data-testid="strategy-results" role="region" aria-labelledby="strat-results-title">
      <h4 id="strat-results-title">{t('strategies.results.title')}</h4>
      <p className="muted small">{t('strategies.results.help')}</p>
      {error && (
        <p className="form-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {data && data.variants.length === 0 && (
        <p className="muted" data-testid="strategy-results-empty">
          {t('strategies.results.empty')}
        </p>
      )}
      {data && data.variants.length > 0 && (
        <table className="table strat-results-table">
          <caption className="sr-only">{t('strategies.results.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('strategies.results.arm')}</th>
              <th scope="col" className="num">
                {t('strategies.results.accounts')}
              </th>
              <th scope="col" className="num">
                {t('strategies.results.cureRate')}
              </th>
              <th scope="col" className="num">
                {t('strategies.results.contactsPerCure')}
              </th>
              <th scope="col" className="num">
                {t('strategies.results.collected')}
              </th>
              <th scope="col" className="num">
                {t('strategies.results.cost')}
              </th>
              <th scope="col" className="num">
                {t('strategies.results.costPerPeso')}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.variants.flatMap((v) => {
              const lines = v.currencies.length ? v.currencies : [null];
              return lines.map((c, i) => (
                <tr
                  key={`${v.variant}-${c?.currency ?? 'none'}`}
                  data-testid="strategy-result"
                  data-variant={v.variant}
                  data-currency={c?.currency ?? ''}
                >
                  {i === 0 && (
                    <>
                      <th scope="row" rowSpan={lines.length}>
                        {t(`strategies.results.${v.variant}`)}
                      </th>
                      <td className="num" rowSpan={lines.length} data-testid="result-accounts">
                        {v.accounts}
                      </td>
                      <td className="num" rowSpan={lines.length} data-testid="result-cure-rate">
                        {pct.format(v.cureRate)} ({v.cured})
                      </td>
                      <td className="num" rowSpan={lines.length} data-testid="result-contacts-per-cure">
                        {v.contactsPerCure === null ? '—' : dec.format(v.contactsPerCure)}
                      </td>
                    </>
                  )}
                  <td className="num" data-testid="result-collected">
                    {c ? money(c.collectedMinor, c.currency) : '—'}
                    {c && <span className="muted small"> · {t('strategies.results.accountCount', { count: c.accounts })}</span>}
                  </td>
                  <td className="num" data-testid="result-cost">
                    {c ? money(c.costMinor, c.currency) : '—'}
                  </td>
                  <td className="num" data-testid="result-cost-per-peso">
                    {c?.costPerPeso == null ? '—' : ratio.format(c.costPerPeso)}
                  </td>
                </tr>
              ));
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
