import { useTranslation } from 'react-i18next';
import type { Simulation } from '../../shared/domain/strategy';
import { formatCalendarDate } from '../lib/datetime';

/** The simulation: by day and channel, what would go, wait or be held back; then why, counted. */
export function SimulationView({ sim, lang }: { sim: Simulation; lang: 'es' | 'en' }) {
  const { t, i18n } = useTranslation();
  const cells = [...sim.cells].sort((a, b) => a.date.localeCompare(b.date) || a.action.localeCompare(b.action));
  const total = (k: 'sent' | 'waited' | 'held') => cells.reduce((n, c) => n + c[k], 0);
  return (
    <div className="strat-sim" data-testid="strategy-simulation" role="region" aria-labelledby="strat-sim-title">
      <h4 id="strat-sim-title">{t('strategies.simTitle', { count: sim.days })}</h4>
      <p className="muted small" data-testid="strategy-sim-summary">
        {t('strategies.simSummary', { count: sim.accounts, from: formatCalendarDate(sim.from, i18n.language) })}
      </p>
      {cells.length === 0 ? (
        <p className="muted" data-testid="strategy-sim-empty">
          {t('strategies.simEmpty')}
        </p>
      ) : (
        <table className="table strat-sim-table" data-testid="strategy-sim-table">
          <caption className="sr-only">{t('strategies.simCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('strategies.date')}</th>
              <th scope="col">{t('strategies.action')}</th>
              <th scope="col" className="num">
                {t('strategies.sent')}
              </th>
              <th scope="col" className="num">
                {t('strategies.waited')}
              </th>
              <th scope="col" className="num">
                {t('strategies.held')}
              </th>
            </tr>
          </thead>
          <tbody>
            {cells.map((c) => (
              <tr key={`${c.date}-${c.action}`} data-testid="strategy-sim-row" data-date={c.date} data-action={c.action}>
                <td>{formatCalendarDate(c.date, i18n.language)}</td>
                <td>{t(`strategies.act.${c.action}`)}</td>
                <td className="num">{c.sent}</td>
                <td className="num">{c.waited}</td>
                <td className="num">{c.held}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="strategy-sim-total">
              <th scope="row" colSpan={2}>
                {t('strategies.total')}
              </th>
              <td className="num">{total('sent')}</td>
              <td className="num">{total('waited')}</td>
              <td className="num">{total('held')}</td>
            </tr>
          </tfoot>
        </table>
      )}
      {sim.heldReasons.length > 0 && (
        <>
          <h5>{t('strategies.heldReasons')}</h5>
          <table className="table strat-reasons" data-testid="strategy-sim-reasons">
            <thead>
              <tr>
                <th scope="col">{t('strategies.reason')}</th>
                <th scope="col" className="num">
                  {t('strategies.times')}
                </th>
              </tr>
            </thead>
            <tbody>
              {sim.heldReasons.map((r) => (
                <tr key={r.code} data-testid="strategy-sim-reason" data-code={r.code}>
                  <td>{r[lang]}</td>
                  <td className="num">{r.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
