import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { effectiveState, type BoardAgent, type LiveAlert, type LiveBoard } from '../../shared/live/presence';
import { getApi } from '../api';
import { formatDuration } from '../lib/datetime';
import { errorText, toUiError, type UiError } from '../lib/errors';
import { useSession } from '../stores/session';
import { AgentTimeline } from './AgentTimeline';
import { LiveSettingsForm } from './LiveSettingsForm';
import { useLiveNav } from './store';

/** How often the screen reads the board the workstation keeps (no request: the server streams to it). */
const READ_MS = 1_000;

interface Feed {
  board: LiveBoard | null;
  connected: boolean;
}

function useLiveBoard(): { feed: Feed | null; error: UiError | null } {
  const [feed, setFeed] = useState<Feed | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  useEffect(() => {
    let live = true;
    const read = () =>
      getApi()
        .getLiveBoard()
        .then(
          (f) => {
            if (!live) return;
            setFeed(f);
            setError(null);
          },
          (e) => live && setError(toUiError(e)),
        );
    void read();
    const t = setInterval(() => void read(), READ_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, []);
  return { feed, error };
}

function StateCell({ a, now }: { a: BoardAgent; now: Date }) {
  const { t } = useTranslation();
  const state = effectiveState(a, now);
  const since = state === 'on_call' && a.call ? a.call.startedAt : a.stateSince;
  const secs = since && state !== 'offline' ? Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000)) : null;
  return (
    <td>
      <span className={`live-state live-${state}`} data-testid="live-state" data-state={state}>
        {t(`live.state.${state}`)}
        {state === 'paused' && a.pauseReason && <> · {t(`live.reason.${a.pauseReason}`)}</>}
      </span>
      {secs !== null && (
        <span className="muted small" data-testid="live-duration">
          {' '}
          {formatDuration(secs)}
        </span>
      )}
    </td>
  );
}

function alertText(t: (k: string, o?: Record<string, unknown>) => string, a: LiveAlert, name: string): string {
  switch (a.kind) {
    case 'idle':
      return t('live.alert.idle', { name });
    case 'block_spike':
      return t('live.alert.block_spike', { name, count: a.count, minutes: a.windowMinutes });
    case 'promises_unreminded':
      return t('live.alert.promises_unreminded', { name, count: a.count });
    case 'store_unsynced':
      return t('live.alert.store_unsynced', { name, count: a.days });
  }
}

/**
 * "En vivo": the lead's team as it is now (state, with whom and for how long) and the alerts,
 * kept current by the server's stream (docs/live-board.md); a row opens the agent's timeline.
 */
export function LiveScreen() {
  const { t } = useTranslation();
  const timelineAgentId = useLiveNav((s) => s.timelineAgentId);
  const openTimeline = useLiveNav((s) => s.openTimeline);
  const { feed, error } = useLiveBoard();
  const isAdmin = useSession((s) => s.session?.user.role === 'admin');
  // read again every second, so durations tick
  const now = new Date();
  if (timelineAgentId) return <AgentTimeline agentId={timelineAgentId} />;
  const board = feed?.board ?? null;
  const nameOf = (id: string) => board?.agents.find((a) => a.userId === id)?.displayName ?? '';
  return (
    <section className="card live-screen" aria-labelledby="live-title" data-testid="live-board">
      <div className="live-head">
        <h2 id="live-title">{t('live.title')}</h2>
        <span className={`sync-pill ${feed?.connected ? 'sync-online' : 'sync-offline'}`} role="status" data-testid="live-connection">
          {feed?.connected ? t('live.connected') : t('live.reconnecting')}
        </span>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {!board && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {board && (
        <div className="live-layout">
          <table className="audit live-table">
            <caption className="sr-only">{t('live.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('live.agent')}</th>
                <th scope="col">{t('live.stateCol')}</th>
                <th scope="col">{t('live.with')}</th>
                <th scope="col">
                  <span className="sr-only">{t('live.timeline')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {board.agents.map((a) => (
                <tr key={a.userId} data-testid="live-row" data-username={a.username}>
                  <td>
                    {a.displayName}
                    {a.teamName && <div className="muted small">{a.teamName}</div>}
                  </td>
                  <StateCell a={a} now={now} />
                  <td data-testid="live-with">
                    {effectiveState(a, now) === 'on_call' && a.call ? (
                      <>
                        {a.call.debtorName ?? '—'}
                        {a.call.accountRef && <span className="muted small"> · {a.call.accountRef}</span>}
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    <button type="button" className="link" data-testid="open-timeline" onClick={() => openTimeline(a.userId)}>
                      {t('live.timeline')}
                      <span className="sr-only"> {a.displayName}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <aside className="live-alerts" aria-labelledby="live-alerts-title" data-testid="live-alerts">
            <h3 id="live-alerts-title">{t('live.alerts')}</h3>
            {board.alerts.length === 0 && <p className="muted">{t('live.noAlerts')}</p>}
            <ul role="list">
              {board.alerts.map((a) => (
                <li key={`${a.kind}-${a.userId}`} data-testid="live-alert" data-kind={a.kind}>
                  <button type="button" className="link" onClick={() => openTimeline(a.userId)}>
                    {alertText(t, a, nameOf(a.userId))}
                  </button>
                </li>
              ))}
            </ul>
            <p className="muted small">
              {t('live.alertsHelp', { minutes: board.settings.idleMinutes, days: board.settings.unsyncedDays })}
            </p>
          </aside>
        </div>
      )}
    </section>
  );
}
