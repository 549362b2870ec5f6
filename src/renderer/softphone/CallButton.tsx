import { useTranslation } from 'react-i18next';
import { Phone } from 'lucide-react';
import { useManualCall } from '../outcome/manual-call';
import type { ContactPoint } from '../../shared/domain/entities';
import { formatDateTime } from '../lib/datetime';
import { SOFTPHONE_NS } from './i18n';
import { useSoftphone } from './store';

/**
 * Click-to-call next to a phone contact point. The softphone checks compliance before it dials:
 * a refusal sends no INVITE and shows the reasons and the next allowed time here.
 */
export function CallButton({
  accountId,
  contactPoint,
  disabled,
  timeZone,
}: {
  accountId: string;
  contactPoint: ContactPoint;
  disabled?: boolean;
  /** The debtor's zone, for the next allowed time; the agent's own zone if absent. */
  timeZone?: string;
}) {
  const { t, i18n } = useTranslation(SOFTPHONE_NS);
  const registration = useSoftphone((s) => s.registration);
  const inCall = useSoftphone((s) => s.call !== null && s.call.phase !== 'ended');
  const blocked = useSoftphone((s) => (s.blockedContactPointId === contactPoint.id ? s.blocked : null));
  const lastResult = useSoftphone((s) => s.lastResult);
  const call = useSoftphone((s) => s.call);
  const lang = i18n.language === 'en' ? 'en' : 'es';
  const refused = contactPoint.doNotContact || contactPoint.invalid;
  const canCall = !disabled && !refused && registration === 'registered' && !inCall;
  const failure = lastResult && !lastResult.ok && lastResult.reason !== 'blocked' && call === null ? lastResult : null;
  const failureText = failure && !failure.ok && 'message' in failure ? t(`error.${failure.reason}`, { detail: failure.message }) : null;
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <span className="call-button-wrap">
      <button
        type="button"
        className="call-button with-icon"
        data-testid="call-button"
        data-number={contactPoint.value}
        disabled={!canCall}
        title={registration === 'registered' ? t('callNumber', { number: contactPoint.value }) : t(`registration.${registration}`)}
        aria-label={t('callNumber', { number: contactPoint.value })}
        onClick={() => void useSoftphone.getState().dial({ accountId, contactPointId: contactPoint.id, number: contactPoint.value })}
      >
        <Phone size={13} aria-hidden="true" /> {t('call')}
      </button>
      {registration !== 'registered' && !refused && !disabled && (
        <span className="call-unavailable" data-testid="call-unavailable">
          {registration === 'reconnecting' || registration === 'failed' ? t('pbx.unavailable') : t(`registration.${registration}`)}
          {' · '}
          <button
            type="button"
            className="link"
            data-testid="log-manual-call"
            onClick={() => useManualCall.getState().ask(accountId, contactPoint.id)}
          >
            {t('pbx.logManual')}
          </button>
        </span>
      )}
      {blocked && (
        <span className="call-blocked" role="alert" data-testid="softphone-blocked">
          <strong>{t('blocked.title')}</strong>
          {blocked.reasons.map((r) => (
            <span key={r.ruleId} className="call-blocked-reason">
              {r[lang]}
            </span>
          ))}
          <span className="muted">
            {blocked.nextAllowedAt
              ? t('blocked.nextAllowed', { time: formatDateTime(blocked.nextAllowedAt, zone, i18n.language) })
              : t('blocked.never')}
          </span>
        </span>
      )}
      {failureText && (
        <span className="error-text" role="alert">
          {failureText}
        </span>
      )}
    </span>
  );
}
