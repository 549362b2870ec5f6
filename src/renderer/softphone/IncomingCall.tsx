import { useTranslation } from 'react-i18next';
import { SOFTPHONE_NS } from './i18n';
import { useSoftphone } from './store';

/** The ringing banner for an incoming call, with the caller matched to an account when possible. */
export function IncomingCall() {
  const { t } = useTranslation(SOFTPHONE_NS);
  const call = useSoftphone((s) => s.call);
  if (!call || call.phase !== 'incoming') return null;
  const { answer, reject } = useSoftphone.getState();
  return (
    <div className="incoming-call" role="alertdialog" aria-labelledby="incoming-title" data-testid="incoming-call">
      <strong id="incoming-title">{t('phase.incoming')}</strong>
      <span className="incoming-caller">{call.caller ? call.caller.debtorName : t('unknownCaller')}</span>
      <span className="muted">{call.address}</span>
      <button type="button" className="primary" data-testid="answer" onClick={() => void answer()}>
        {t('answer')}
      </button>
      <button type="button" className="danger" data-testid="reject" onClick={() => void reject()}>
        {t('reject')}
      </button>
    </div>
  );
}
