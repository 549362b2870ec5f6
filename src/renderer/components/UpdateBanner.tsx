import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UpdateState } from '../../shared/api/wire';
import { shellBridge } from '../api/shell';
import { shouldOfferUpdate, SNOOZE_MS } from '../lib/update-offer';
import { useSoftphone } from '../softphone';

/**
 * The offer of a downloaded update (Electron only): shown between calls, hidden the moment a
 * call starts; installing restarts the app, so only the agent's click does it.
 */
export function UpdateBanner() {
  const { t } = useTranslation();
  const [update, setUpdate] = useState<UpdateState>({ status: 'idle' });
  const [snoozedUntil, setSnoozedUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const callPhase = useSoftphone((s) => s.call?.phase ?? null);

  useEffect(() => {
    const bridge = shellBridge();
    if (!bridge) return;
    void bridge.getUpdateState().then(setUpdate, () => {});
    return bridge.onUpdateState(setUpdate);
  }, []);
  useEffect(() => {
    if (snoozedUntil === null) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, snoozedUntil - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [snoozedUntil]);

  if (update.status !== 'ready' || !shouldOfferUpdate({ update, callPhase, snoozedUntil, now })) return null;
  return (
    <div className="banner banner-info" role="status" data-testid="banner-app-update">
      <span>{t('appUpdate.ready', { version: update.version })}</span>
      <button
        type="button"
        onClick={() => {
          void shellBridge()?.installUpdate();
        }}
      >
        {t('appUpdate.install')}
      </button>
      <button
        type="button"
        onClick={() => {
          const at = Date.now();
          setNow(at);
          setSnoozedUntil(at + SNOOZE_MS);
        }}
      >
        {t('appUpdate.later')}
      </button>
    </div>
  );
}
