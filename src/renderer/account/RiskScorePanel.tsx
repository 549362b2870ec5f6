import { useTranslation } from 'react-i18next';
import type { AccountDetail } from '../../shared/api/contract';
import type { ReasonCode } from '../../shared/risk/score';
import { formatCalendarDate } from '../lib/datetime';

/** The reason as a sentence an agent reads ("pagó en 5 de sus últimos 6 meses"), from its i18n key. */
export function riskReasonText(t: (key: string, opts?: Record<string, unknown>) => string, r: ReasonCode): string {
  return t(`riskScore.feature.${r.feature}`, { ...r.params, defaultValue: r.feature });
}

/**
 * The account's learned propensity to pay with the three features that moved it most
 * (docs/risk.md), as the workstation last synced it: offline it shows the last score it has.
 */
export function RiskScorePanel({ detail }: { detail: AccountDetail }) {
  const { t, i18n } = useTranslation();
  const score = detail.score;
  return (
    <section className="card risk-score" aria-labelledby="risk-score-title" data-testid="risk-score">
      <h3 id="risk-score-title">{t('riskScore.title')}</h3>
      {!score ? (
        <p className="muted">{t('riskScore.none')}</p>
      ) : (
        <>
          <p className="risk-figure">
            <strong data-testid="risk-percent">{Math.round(score.payProbability * 100)} %</strong>{' '}
            <span className="muted">{t('riskScore.payHint')}</span>
          </p>
          {score.rollProbability !== null && (
            <p className="muted">{t('riskScore.roll', { percent: Math.round(score.rollProbability * 100) })}</p>
          )}
          <h4 className="risk-why">{t('riskScore.reasonsTitle')}</h4>
          <ul className="risk-reasons" data-testid="risk-reasons">
            {score.reasons.map((r) => (
              <li key={r.feature}>
                <span
                  className={`chip ${r.direction === 'up' ? 'chip-ok' : 'chip-bad'}`}
                  title={t(r.direction === 'up' ? 'riskScore.upLabel' : 'riskScore.downLabel')}
                >
                  {r.direction === 'up' ? '▲' : '▼'} {t(r.direction === 'up' ? 'riskScore.up' : 'riskScore.down')}
                </span>{' '}
                {riskReasonText(t, r)}
              </li>
            ))}
          </ul>
          <p className="muted small">{t('riskScore.asOf', { date: formatCalendarDate(score.asOf, i18n.language) })}</p>
        </>
      )}
    </section>
  );
}
