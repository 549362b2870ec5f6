import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyPresence } from '../../shared/api/contract';
import { PAUSE_REASONS, type PauseReason } from '../../shared/live/presence';
import { getApi } from '../api';

/** How often the control re-reads the state the main side keeps (a call ending turns it to wrap-up). */
const READ_MS = 2_000;

/**
 * The agent's state for the team lead's live board, in the top bar: available, or paused with a
 * reason from one list; a call and its wrap-up come from the softphone and show here too.
 */
export function PauseControl() {
  const { t } = useTranslation();
  const [me, setMe] = useState<MyPresence | null>(null);
  useEffect(() => {
    let live = true;
    const read = () =>
      getApi()
        .getMyPresence()
        .then(
          (p) => live && setMe(p),
          () => {},
        );
    void read();
    const timer = setInterval(() => void read(), READ_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  if (!me) return null;
  const busy = me.state === 'on_call' || me.state === 'wrap_up';
  const choose = (v: string) =>
    void getApi()
      .setPause({ reason: v === 'available' ? null : (v as PauseReason) })
      .then(setMe, () => {});
  return (
    <label className={`pause-control live-${me.state}`} data-testid="presence" data-state={me.state}>
      <span className="sr-only">{t('live.myState')}</span>
      <select
        aria-label={t('live.myState')}
        data-testid="pause-select"
        value={me.state === 'paused' ? (me.pauseReason ?? 'other') : busy ? me.state : 'available'}
        onChange={(e) => choose(e.target.value)}
        disabled={me.state === 'on_call'}
      >
        {busy && <option value={me.state}>{t(`live.state.${me.state}`)}</option>}
        <option value="available">{t('live.state.available')}</option>
        {PAUSE_REASONS.map((r) => (
          <option key={r} value={r}>
            {t('live.pauseFor', { reason: t(`live.reason.${r}`) })}
          </option>
        ))}
      </select>
    </label>
  );
}
