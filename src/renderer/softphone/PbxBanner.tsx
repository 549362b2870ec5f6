import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PhoneOff } from 'lucide-react';
import { SOFTPHONE_NS } from './i18n';
import { useSoftphone } from './store';

/**
 * Under the top bar while the PBX does not answer (or refuses the extension): what is wrong, in
 * words, with the address tried, when the next attempt is, a way to try now, and what the agent
 * can do meanwhile (dial by hand and log the call on the account).
 */
export function PbxBanner() {
  const { t } = useTranslation(SOFTPHONE_NS);
  const registration = useSoftphone((s) => s.registration);
  const server = useSoftphone((s) => s.server);
  const extension = useSoftphone((s) => s.extension);
  const error = useSoftphone((s) => s.error);
  const nextRetryAt = useSoftphone((s) => s.nextRetryAt);
  const [now, setNow] = useState(() => Date.now());
  const down = registration === 'reconnecting' || registration === 'failed';
  useEffect(() => {
    if (!down) return undefined;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [down]);
  if (!down) return null;
  const seconds = nextRetryAt === null ? null : Math.max(0, Math.ceil((nextRetryAt - now) / 1000));
  return (
    <div className="banner banner-warn" role="status" data-testid="pbx-banner" data-registration={registration}>
      <PhoneOff size={16} aria-hidden="true" />
      <span>
        {registration === 'failed'
          ? t('pbx.refused', { extension: extension ?? '—', detail: error ?? '' })
          : t('pbx.down', { server: server ?? '—' })}{' '}
        <span className="banner-detail">{t('pbx.meanwhile')}</span>
      </span>
      {registration === 'reconnecting' && (
        <span className="banner-detail" data-testid="pbx-next-retry">
          {seconds === null ? t('pbx.retrying') : t('pbx.nextRetry', { count: seconds })}
        </span>
      )}
      {registration === 'reconnecting' && (
        <button type="button" data-testid="pbx-retry" disabled={seconds === null} onClick={() => useSoftphone.getState().retryNow()}>
          {t('pbx.retryNow')}
        </button>
      )}
    </div>
  );
}
