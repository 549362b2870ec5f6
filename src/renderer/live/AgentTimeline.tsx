import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TIMELINE_KINDS, type Timeline, type TimelineKind } from '../../shared/live/presence';
import { formatMoneyCode, type CurrencyCode } from '../../shared/domain/money';
import { getApi } from '../api';
import { DateField } from '../components/DateField';
import { formatCalendarDate, formatClock, formatDuration } from '../lib/datetime';
import { errorText } from '../lib/errors';
import { useLoad } from '../lib/useAction';
import { useNav } from '../stores/nav';
import { useLiveNav } from './store';

/**
 * One agent's day (organisation's time zone): calls with SIP status and duration, messages, visits,
 * outcomes, promises, notes, pauses; filtered by kind; each item opens its account.
 */
export function AgentTimeline({ agentId }: { agentId: string }) {
  const { t, i18n } = useTranslation();
  const [day, setDay] = useState<string | undefined>(undefined);
  const [kinds, setKinds] = useState<TimelineKind[]>([...TIMELINE_KINDS]);
  const { data, error } = useLoad<Timeline>(() => getApi().getAgentTimeline({ agentId, day, kinds }), [agentId, day, kinds.join(',')]);
  const close = useLiveNav((s) => s.closeTimeline);
  const open = (accountId: string) => {
    useNav.getState().openAccount(accountId);
  };
  const toggle = (k: TimelineKind) => setKinds((ks) => (ks.includes(k) ? ks.filter((x) => x !== k) : [...ks, k]));
  return (
    <section className="card live-screen" aria-labelledby="tl-title" data-testid="agent-timeline">
      <div className="live-head">
        <button type="button" className="link" onClick={close} data-testid="timeline-back">
          ← {t('live.backToBoard')}
        </button>
        <h2 id="tl-title">{t('live.timelineOf', { name: data?.agent.displayName ?? '' })}</h2>
        {data && <span className="muted">{formatCalendarDate(data.day, i18n.language)}</span>}
      </div>
      <div className="filters-row">
        <label>
          {t('live.day')} <DateField value={day ?? data?.day ?? ''} onChange={(d) => setDay(d || undefined)} testId="timeline-day" />
        </label>
        <fieldset className="chip-set">
          <legend className="sr-only">{t('live.kinds')}</legend>
          {TIMELINE_KINDS.map((k) => (
            <label key={k} className="chip-check">
              <input type="checkbox" checked={kinds.includes(k)} onChange={() => toggle(k)} data-testid={`timeline-kind-${k}`} />
              {t(`live.kind.${k}`)}
            </label>
          ))}
        </fieldset>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {!data && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {data && data.items.length === 0 && <p className="muted">{t('live.noItems')}</p>}
      {data && data.items.length > 0 && (
        <table className="audit">
          <thead>
            <tr>
              <th scope="col">{t('live.time')}</th>
              <th scope="col">{t('live.kindCol')}</th>
              <th scope="col">{t('live.account')}</th>
              <th scope="col">{t('live.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((it, i) => (
              <tr key={`${it.kind}-${it.at}-${i}`} data-testid="timeline-item" data-kind={it.kind} data-disposition={it.disposition ?? ''}>
                <td>{formatClock(it.at, data.timeZone, i18n.language)}</td>
                <td>{t(`live.kind.${it.kind}`)}</td>
                <td>
                  {it.accountId ? (
                    <button type="button" className="link" data-testid="timeline-account" onClick={() => open(it.accountId!)}>
                      {it.debtorName ?? t('admin.openAccount')}
                    </button>
                  ) : it.kind === 'pause' ? (
                    <span className="muted">—</span>
                  ) : (
                    <span className="muted">{t('live.notVisible')}</span>
                  )}
                  {it.accountRef && <span className="muted small"> · {it.accountRef}</span>}
                </td>
                <td>{detail(t, it, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function detail(t: (k: string, o?: Record<string, unknown>) => string, it: Timeline['items'][number], lang: string): string {
  const parts: string[] = [];
  if (it.kind === 'pause') {
    if (it.pauseReason) parts.push(t(`live.reason.${it.pauseReason}`));
    if (it.durationSec !== null) parts.push(formatDuration(it.durationSec));
    return parts.join(' · ');
  }
  if (it.kind === 'promise') {
    if (it.amountMinor !== null && it.currency) parts.push(formatMoneyCode(it.amountMinor, it.currency as CurrencyCode, lang));
    if (it.disposition) parts.push(t(`live.promiseStatus.${it.disposition}`, { defaultValue: it.disposition }));
    return parts.join(' · ');
  }
  if (it.channel && it.kind !== 'call') parts.push(t(`channel.${it.channel}`));
  if (it.sipStatus !== null) parts.push(t('live.sip', { status: it.sipStatus }));
  if (it.durationSec !== null) parts.push(formatDuration(it.durationSec));
  if (it.disposition) parts.push(t(`disposition.${it.disposition}`, { defaultValue: it.disposition }));
  if (it.text) parts.push(it.text);
  return parts.join(' · ');
}
