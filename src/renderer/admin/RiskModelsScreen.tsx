import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { RiskModelEntry } from '../../shared/risk/card';
import { getApi } from '../api';
import { formatCalendarDate, formatDateTime } from '../lib/datetime';
import { errorText } from '../lib/errors';
import { useLoad } from '../lib/useAction';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const num = (x: number | null, digits = 3) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(digits));

/** A feature's name as the agents read it: its reason sentence with "n" for the numbers. */
function featureLabel(t: TFunction, name: string): string {
  if (name.startsWith('product:')) return t('riskScore.feature.product', { product: name.slice('product:'.length) });
  // the plural form's key first ("n días de mora"): a count that is not a number picks no form
  return t([`riskScore.feature.${name}_other`, `riskScore.feature.${name}`], {
    count: 'n',
    of: 6,
    percent: 'n',
    usd: 'n',
    defaultValue: name,
  });
}

function Card({ m }: { m: RiskModelEntry }) {
  const { t, i18n } = useTranslation();
  const c = m.card;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const day = (d: string) => formatCalendarDate(d, i18n.language);
  return (
    <article className="card risk-card" data-testid="risk-model-card" aria-labelledby={`rm-${m.id}`}>
      <h3 id={`rm-${m.id}`}>
        {t(`riskScore.card.target.${m.target}`)}{' '}
        <span className={`chip ${m.status === 'promoted' ? 'chip-ok' : ''}`}>{t(`riskScore.card.status.${m.status}`)}</span>
      </h3>
      <p className="muted">
        {t('riskScore.card.trainedAt', { date: formatDateTime(m.trainedAt, zone, i18n.language) })} ·{' '}
        {t(`riskScore.card.why.${c.why}`, { defaultValue: c.why })}
      </p>
      <p>{t('riskScore.card.window', { from: day(c.window.trainFrom), to: day(c.window.trainTo), holdout: day(c.window.holdout) })}</p>
      <p>{t('riskScore.card.rows', { train: c.rows.train, holdout: c.rows.holdout })}</p>
      <p>
        <strong>{t('riskScore.card.auc', { auc: num(c.holdoutAuc) })}</strong>
        {c.incumbentAuc !== null && <> · {t('riskScore.card.incumbentAuc', { auc: num(c.incumbentAuc) })}</>}
      </p>
      <p className={c.protectedCheck.passed ? '' : 'form-error'} data-testid="risk-protected">
        {c.protectedCheck.passed
          ? t('riskScore.card.protectedOk')
          : t('riskScore.card.protectedFound', { found: c.protectedCheck.found.join(', ') })}
      </p>
      <div className="risk-card-tables">
        <table className="table">
          <caption>{t('riskScore.card.features')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('riskScore.card.feature')}</th>
              <th scope="col" className="num">
                {t('riskScore.card.coefficient')}
              </th>
            </tr>
          </thead>
          <tbody>
            {c.features.map((f) => (
              <tr key={f.name}>
                <td>{featureLabel(t, f.name)}</td>
                <td className="num">{num(f.coefficient)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="table">
          <caption>{t('riskScore.card.deciles')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('riskScore.card.decile')}</th>
              <th scope="col" className="num">
                {t('riskScore.card.count')}
              </th>
              <th scope="col" className="num">
                {t('riskScore.card.predicted')}
              </th>
              <th scope="col" className="num">
                {t('riskScore.card.observed')}
              </th>
              <th scope="col" className="num">
                {t('riskScore.card.lift')}
              </th>
            </tr>
          </thead>
          <tbody>
            {c.deciles.map((d) => (
              <tr key={d.decile}>
                <td>{d.decile}</td>
                <td className="num">{d.count}</td>
                <td className="num">{pct(d.meanPredicted)}</td>
                <td className="num">{pct(d.observedRate)}</td>
                <td className="num">{num(d.lift, 2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}

/**
 * The admins' model cards (docs/risk.md): every model the risk job trained, the one in use first
 * per target, with what it learned from, how it did on the later hold-out, calibration and lift
 * by decile, and the protected-attribute check. Online only.
 */
export function RiskModelsScreen() {
  const { t } = useTranslation();
  const { data, error } = useLoad(() => getApi().listRiskModels(), []);
  return (
    <section className="card admin-risk" aria-labelledby="risk-models-title" data-testid="risk-models-admin">
      <h2 id="risk-models-title">{t('riskScore.card.title')}</h2>
      <p className="muted">{t('riskScore.card.intro')}</p>
      {error && (
        <p className="form-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {data === null && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {data && data.length === 0 && <p className="muted">{t('riskScore.card.none')}</p>}
      {data?.map((m) => (
        <Card key={m.id} m={m} />
      ))}
    </section>
  );
}
