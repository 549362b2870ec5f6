import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Clock, LogOut, RefreshCw } from 'lucide-react';
import { SoftphoneBar } from '../softphone';
import { PauseControl } from './PauseControl';
import { useSession } from '../stores/session';
import { useSync } from '../stores/sync';
import { LOCALES, type Locale } from '../i18n';
import { errorText, rejectionText } from '../lib/errors';
import { formatClock, localZone } from '../lib/datetime';

function SyncStatus() {
  const { t, i18n } = useTranslation();
  const state = useSync((s) => s.state);
  const error = useSync((s) => s.error);
  const syncNow = useSync((s) => s.syncNow);
  const [showRejected, setShowRejected] = useState(false);
  if (!state) return <span className="sync-pill">{t('sync.unknown')}</span>;

  // a full disk is not "offline": the agent has to free space, not wait for the network
  const mode = state.storageFull ? 'full' : state.syncing ? 'syncing' : state.online ? 'online' : 'offline';
  const last = state.lastSuccessAt ? formatClock(state.lastSuccessAt, localZone(), i18n.language) : t('sync.never');
  return (
    <div className="sync-status" data-testid="sync-status" data-mode={mode} data-pending={state.pending}>
      <span className={`sync-pill sync-${mode}`}>{t(`sync.mode.${mode}`)}</span>
      <span className="sync-pending" data-testid="sync-pending" title={t('sync.pendingHint')}>
        {t('sync.pending', { count: state.pending })}
      </span>
      {state.progress && <span className="muted">{t('sync.progress', { done: state.progress.done, total: state.progress.total })}</span>}
      {/* the time alone keeps the bar on one row at 1280 px; the words are for screen readers and the tooltip */}
      <span className="muted sync-last" title={state.lastError ?? t('sync.lastSuccess', { time: last })}>
        <Clock size={13} aria-hidden="true" />
        <span className="sr-only">{t('sync.lastSuccess', { time: '' })}</span>
        {last}
      </span>
      {state.rejected.length > 0 && (
        <span className="rejected-wrap">
          <button type="button" className="link danger" onClick={() => setShowRejected((v) => !v)} aria-expanded={showRejected}>
            {t('sync.rejected', { count: state.rejected.length })}
          </button>
          {showRejected && (
            <ul className="rejected-list" role="list">
              {state.rejected.map((r) => (
                <li key={r.mutationId}>
                  <strong>{t(`mutation.${r.name}`, { defaultValue: r.name })}</strong> — {rejectionText(t, r)}
                </li>
              ))}
            </ul>
          )}
        </span>
      )}
      <button
        type="button"
        className="icon-button"
        onClick={() => void syncNow()}
        disabled={state.syncing}
        data-testid="sync-now"
        aria-label={t('sync.now')}
        title={t('sync.now')}
      >
        <RefreshCw size={14} aria-hidden="true" />
      </button>
      {state.storageFull && (
        <span className="error-text" role="alert">
          {t('sync.storageFull')}
        </span>
      )}
      {error && <span className="error-text">{errorText(t, error)}</span>}
    </div>
  );
}

export function TopBar() {
  const { t, i18n } = useTranslation();
  const session = useSession((s) => s.session);
  const setLocale = useSession((s) => s.setLocale);
  const logout = useSession((s) => s.logout);
  return (
    <header className="topbar">
      <h1 className="brand">{t('app.title')}</h1>
      <SyncStatus />
      <div className="softphone-slot">
        <SoftphoneBar />
      </div>
      <div className="topbar-right">
        {session && session.user.role !== 'admin' && <PauseControl />}
        {session && (
          <span className="agent" data-testid="agent-name" title={session.user.displayName}>
            {session.user.displayName} <span className="muted">· {t(`role.${session.user.role}`)}</span>
          </span>
        )}
        <label className="lang">
          <span className="sr-only">{t('settings.language')}</span>
          <select
            aria-label={t('settings.language')}
            data-testid="language"
            value={i18n.language}
            onChange={(e) => void setLocale(e.target.value as Locale)}
          >
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {t(`settings.locale.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="link with-icon" onClick={() => void logout()}>
          <LogOut size={14} aria-hidden="true" />
          {t('login.logout')}
        </button>
      </div>
    </header>
  );
}
