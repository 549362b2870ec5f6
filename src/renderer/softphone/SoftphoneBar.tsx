import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Phone, PhoneCall, PhoneOff, Settings } from 'lucide-react';
import { formatDuration } from './format';
import { SOFTPHONE_NS } from './i18n';
import { SipSettings } from './SipSettings';
import { useSoftphone } from './store';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

function useTicker(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [active]);
  return now;
}

function Keypad() {
  const { t } = useTranslation(SOFTPHONE_NS);
  const sent = useSoftphone((s) => s.call?.dtmfSent ?? '');
  return (
    <div className="softphone-keypad" role="group" aria-label={t('keypad')} data-testid="keypad">
      <output className="keypad-sent" data-testid="dtmf-sent">
        {sent}
      </output>
      {KEYS.map((k) => (
        <button key={k} type="button" className="key" onClick={() => void useSoftphone.getState().dtmf(k)}>
          {k}
        </button>
      ))}
    </div>
  );
}

function Transfer({ supervisorLabel }: { supervisorLabel: string }) {
  const { t } = useTranslation(SOFTPHONE_NS);
  const [target, setTarget] = useState('');
  return (
    <form
      className="softphone-transfer"
      onSubmit={(e) => {
        e.preventDefault();
        void useSoftphone.getState().transfer(target.trim() || undefined);
      }}
    >
      <label>
        {t('transferTo')}
        <input value={target} onChange={(e) => setTarget(e.target.value)} placeholder={supervisorLabel} inputMode="tel" />
      </label>
      <button type="submit">{target.trim() ? t('transfer') : t('transferSupervisor')}</button>
    </form>
  );
}

function ActiveCall() {
  const { t } = useTranslation(SOFTPHONE_NS);
  const call = useSoftphone((s) => s.call);
  const [panel, setPanel] = useState<'none' | 'keypad' | 'transfer'>('none');
  const now = useTicker(call !== null && call.phase !== 'ended');
  if (!call || call.phase === 'incoming') return null;
  const s = useSoftphone.getState();
  const since = call.answeredAt ?? call.startedAt;
  const until = call.endedAt ? Date.parse(call.endedAt) : now;
  const elapsed = formatDuration((until - Date.parse(since)) / 1000);
  const established = call.phase === 'active';
  return (
    <div className="softphone-call" data-testid="softphone-call" data-phase={call.phase}>
      <span className="softphone-who">{call.caller?.debtorName ?? call.address}</span>
      <span className="softphone-phase">{t(`phase.${call.phase}`)}</span>
      <span className="softphone-timer" data-testid="call-timer">
        {elapsed}
      </span>
      {call.recovering && (
        <span className="warning" role="status">
          {t('recovering')}
        </span>
      )}
      {call.held && <span className="chip">{t('held')}</span>}
      {call.muted && <span className="chip">{t('muted')}</span>}
      {call.quality && (
        <span
          className={`softphone-quality q-${call.quality.level}`}
          data-testid="call-quality"
          title={t('quality.detail', { loss: call.quality.lossPercent, jitter: call.quality.jitterMs, rtt: call.quality.rttMs })}
        >
          {t('quality.label', { level: t(`quality.${call.quality.level}`), mos: call.quality.mos.toFixed(1) })}
        </span>
      )}
      {call.phase !== 'ended' && (
        <span className="softphone-controls">
          <button type="button" disabled={!established} aria-pressed={call.muted} onClick={() => s.mute(!call.muted)}>
            {call.muted ? t('unmute') : t('mute')}
          </button>
          <button type="button" disabled={!established} aria-pressed={call.held} onClick={() => void s.hold(!call.held)}>
            {call.held ? t('resume') : t('hold')}
          </button>
          <button
            type="button"
            disabled={!established}
            aria-expanded={panel === 'keypad'}
            onClick={() => setPanel(panel === 'keypad' ? 'none' : 'keypad')}
          >
            {t('keypad')}
          </button>
          <button
            type="button"
            disabled={!established}
            aria-expanded={panel === 'transfer'}
            onClick={() => setPanel(panel === 'transfer' ? 'none' : 'transfer')}
          >
            {t('transfer')}
          </button>
          <button type="button" className="danger" data-testid="hangup" onClick={() => void s.hangup()}>
            {established ? t('hangup') : t('cancel')}
          </button>
        </span>
      )}
      {established && panel === 'keypad' && <Keypad />}
      {established && panel === 'transfer' && <Transfer supervisorLabel={t('transferSupervisor')} />}
      {call.phase === 'ended' && <EndedSummary />}
    </div>
  );
}

function EndedSummary() {
  const { t } = useTranslation(SOFTPHONE_NS);
  const detail = useSoftphone((s) => s.lastEndedDetail);
  if (!detail) return null;
  return (
    <span className="softphone-ended" data-testid="call-ended" data-sip-status={detail.sipStatus ?? ''}>
      {t('ended.summary', { status: detail.sipStatus ?? '—', duration: formatDuration(detail.durationSec ?? 0) })}
      {detail.hangupBy && <span className="muted"> · {t(`ended.hangupBy_${detail.hangupBy}`)}</span>}
      {detail.logError && (
        <span className="error-text" role="alert">
          {' '}
          {t('error.logFailed', { detail: detail.logError })}
        </span>
      )}
      <button type="button" className="link" onClick={() => useSoftphone.getState().dismiss()}>
        {t('dismiss')}
      </button>
    </span>
  );
}

/**
 * Top-bar softphone: registration state, the current call and its controls, settings. The
 * ringing banner is <IncomingCall/>, which the app renders once at its top level.
 */
export function SoftphoneBar() {
  const { t } = useTranslation(SOFTPHONE_NS);
  const registration = useSoftphone((s) => s.registration);
  const error = useSoftphone((s) => s.error);
  const extension = useSoftphone((s) => s.extension);
  const [showSettings, setShowSettings] = useState(false);
  // The bar lives only while an agent is signed in: its extension must not outlive the session.
  useEffect(() => {
    void useSoftphone.getState().start();
    return () => {
      void useSoftphone.getState().stop();
    };
  }, []);
  const Icon = registration === 'registered' ? Phone : registration === 'connecting' ? PhoneCall : PhoneOff;
  return (
    <div className="softphone-bar" data-testid="softphone-bar" data-registration={registration}>
      <span className={`softphone-reg reg-${registration}`} title={error ?? ''} data-testid="softphone-registration">
        <Icon size={14} aria-hidden="true" />
        {t(`registration.${registration}`)}
        {extension ? ` · ${extension}` : ''}
      </span>
      <ActiveCall />
      <button
        type="button"
        className="icon-button"
        data-testid="softphone-settings"
        aria-expanded={showSettings}
        aria-label={t('settings')}
        title={t('settings')}
        onClick={() => setShowSettings((v) => !v)}
      >
        <Settings size={14} aria-hidden="true" />
      </button>
      {showSettings && <SipSettings onSaved={() => setShowSettings(false)} onClose={() => setShowSettings(false)} />}
    </div>
  );
}
