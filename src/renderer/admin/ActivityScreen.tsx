import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CurrencyCode } from '../../shared/domain/money';
import { formatMoneyCode } from '../../shared/domain/money';
import {
  contactRate,
  keptRate,
  type ActivityReport,
  type AgentActivity,
  type MoneyByCurrency,
  type ReportPeriodPreset,
} from '../../shared/reports/activity';
import { getApi } from '../api';
import { formatCalendarDate, formatDateTime } from '../lib/datetime';
import { errorText } from '../lib/errors';
import { useLoad } from '../lib/useAction';
import { useLiveNav } from '../live/store';

const PERIODS: ReportPeriodPreset[] = ['today', '7d', '30d', 'month'];

/** Amounts per currency on separate lines: pesos and soles are never added together. */
function Money({ list, locale }: { list: MoneyByCurrency; locale: string }) {
  if (list.length === 0) return <>—</>;
  return (
    <>
      {list.map((m) => (
        <div key={m.currency}>{formatMoneyCode(m.amountMinor, m.currency as CurrencyCode, locale)}</div>
      ))}
    </>
  );
}

function sumMoney(lists: MoneyByCurrency[]): MoneyByCurrency {
  const by = new Map<string, number>();
  for (const l of lists) for (const m of l) by.set(m.currency, (by.get(m.currency) ?? 0) + m.amountMinor);
  return [...by].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amountMinor]) => ({ currency, amountMinor }));
}

const COUNTS = [
  'assignedAccounts',
  'calls',
  'messages',
  'visits',
  'rightPartyContacts',
  'promisesMade',
  'promisesKept',
  'promisesPartiallyKept',
  'promisesBroken',
  'promisesPending',
  'violations',
] as const;

function totalOf(agents: AgentActivity[]): AgentActivity {
  const t = Object.fromEntries(COUNTS.map((k) => [k, agents.reduce((n, a) => n + a[k], 0)])) as Record<(typeof COUNTS)[number], number>;
  return {
    agentId: '00000000-0000-0000-0000-000000000000',
    username: '',
    displayName: '',
    role: 'agent',
    teamName: null,
    disabled: false,
    ...t,
    assignedBalance: sumMoney(agents.map((a) => a.assignedBalance)),
    promised: sumMoney(agents.map((a) => a.promised)),
    collected: sumMoney(agents.map((a) => a.collected)),
    lastActivityAt:
      agents
        .map((a) => a.lastActivityAt)
        .filter((x): x is string => x !== null)
        .sort()
        .at(-1) ?? null,
  };
}

/**
 * The team lead's view of the team's work: per agent, in days of the organisation's time zone.
 * Rates are the shared definitions (src/shared/reports/activity.ts). Online only.
 */
export function ActivityScreen() {
  const { t, i18n } = useTranslation();
  const [period, setPeriod] = useState<ReportPeriodPreset>('today');
  const { data: report, error } = useLoad<ActivityReport>(() => getApi().getActivityReport({ period }), [period]);
  const pct = (x: number | null) =>
    x === null ? '—' : new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 }).format(x);
  const day = (d: string) => formatCalendarDate(d, i18n.language);
  const when = (iso: string | null) => (iso === null || !report ? '—' : formatDateTime(iso, report.timeZone, i18n.language));

  const row = (a: AgentActivity, total = false) => (
    <tr
      key={total ? 'total' : a.agentId}
      data-testid={total ? 'activity-total' : 'activity-row'}
      data-username={a.username}
      className={total ? 'total' : undefined}
    >
      <th scope="row">
        {total ? (
          t('activity.total')
        ) : (
          <>
            {a.displayName}
            {a.disabled && <small className="muted"> · {t('activity.disabled')}</small>}
            <div>
              <small className="muted">{a.username}</small>{' '}
              <button
                type="button"
                className="link small"
                data-testid="activity-timeline"
                onClick={() => useLiveNav.getState().openTimeline(a.agentId)}
              >
                {t('live.timeline')}
                <span className="sr-only"> {a.displayName}</span>
              </button>
            </div>
          </>
        )}
      </th>
      <td className="num" data-col="assigned">
        {a.assignedAccounts}
      </td>
      <td className="num">
        <Money list={a.assignedBalance} locale={i18n.language} />
      </td>
      <td className="num" data-col="calls">
        {a.calls}
      </td>
      <td className="num" data-col="messages">
        {a.messages}
      </td>
      <td className="num" data-col="visits">
        {a.visits}
      </td>
      <td className="num" data-col="rpc">
        {a.rightPartyContacts} <small className="muted">{pct(contactRate(a))}</small>
      </td>
      <td className="num" data-col="promises">
        {a.promisesMade}
      </td>
      <td className="num">
        <Money list={a.promised} locale={i18n.language} />
      </td>
      <td
        className="num"
        data-col="kept"
        title={t('activity.keptTitle', {
          kept: a.promisesKept,
          partial: a.promisesPartiallyKept,
          broken: a.promisesBroken,
          pending: a.promisesPending,
        })}
      >
        {a.promisesKept}/{a.promisesKept + a.promisesPartiallyKept + a.promisesBroken} <small className="muted">{pct(keptRate(a))}</small>
      </td>
      <td className="num" data-col="collected">
        <Money list={a.collected} locale={i18n.language} />
      </td>
      <td className="num" data-col="violations">
        {a.violations > 0 ? <strong className="field-error">{a.violations}</strong> : 0}
      </td>
      <td className="when">{when(a.lastActivityAt)}</td>
    </tr>
  );

  return (
    <section className="card" aria-labelledby="activity-title" data-testid="activity">
      <h2 id="activity-title">{t('activity.title')}</h2>
      <div className="activity-periods" role="group" aria-label={t('activity.period')}>
        {PERIODS.map((p) => (
          <button key={p} type="button" aria-pressed={period === p} data-testid={`activity-period-${p}`} onClick={() => setPeriod(p)}>
            {t(`activity.periods.${p}`)}
          </button>
        ))}
        {report && (
          <span className="muted" data-testid="activity-range">
            {t('activity.range', { from: day(report.from), to: day(report.to), zone: report.timeZone })}
          </span>
        )}
        {report?.readFrom?.source === 'replica' && (
          <span className="muted" data-testid="activity-replica" title={t('activity.replicaHelp')}>
            {t('activity.replica', { count: Math.ceil(report.readFrom.staleSeconds) })}
          </span>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {report === null && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {report && (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="activity-title">
          <table className="audit activity-table">
            <thead>
              <tr>
                <th scope="col">{t('activity.agent')}</th>
                <th scope="col" className="num">
                  {t('activity.accounts')}
                </th>
                <th scope="col" className="num">
                  {t('activity.balance')}
                </th>
                <th scope="col" className="num">
                  {t('activity.calls')}
                </th>
                <th scope="col" className="num">
                  {t('activity.messages')}
                </th>
                <th scope="col" className="num">
                  {t('activity.visits')}
                </th>
                <th scope="col" className="num" title={t('activity.rpcTitle')}>
                  {t('activity.rpc')}
                </th>
                <th scope="col" className="num">
                  {t('activity.promises')}
                </th>
                <th scope="col" className="num">
                  {t('activity.promised')}
                </th>
                <th scope="col" className="num" title={t('activity.keptHelp')}>
                  {t('activity.kept')}
                </th>
                <th scope="col" className="num" title={t('activity.collectedTitle')}>
                  {t('activity.collected')}
                </th>
                <th scope="col" className="num">
                  {t('activity.violations')}
                </th>
                <th scope="col">{t('activity.last')}</th>
              </tr>
            </thead>
            <tbody>
              {report.agents.length === 0 && (
                <tr>
                  <td colSpan={13} className="muted">
                    {t('activity.nobody')}
                  </td>
                </tr>
              )}
              {report.agents.map((a) => row(a))}
            </tbody>
            {report.agents.length > 1 && <tfoot>{row(totalOf(report.agents), true)}</tfoot>}
          </table>
        </div>
      )}
      <p className="muted">
        <small>{t('activity.definitions')}</small>
      </p>
    </section>
  );
}
