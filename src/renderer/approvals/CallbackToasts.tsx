import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueRow } from '../../shared/api/contract';
import { getApi } from '../api';
import { formatDateTime } from '../lib/datetime';
import { useNav } from '../stores/nav';

/**
 * In-app notice of callbacks falling due (the web host has no desktop notifications; under
 * Electron the shell also shows one). The store raises a due callback to the top of the queue on
 * its timer; this reads the head of the queue after every data change and every 20 s.
 */
// styles.css belongs to the shell; the toast stack only needs its corner
const TOASTS_STYLE = { position: 'fixed', right: 16, bottom: 16, zIndex: 50, display: 'grid', gap: 8, maxWidth: 420 } as const;

export function CallbackToasts() {
  const { t, i18n } = useTranslation();
  const [due, setDue] = useState<QueueRow[]>([]);
  const dismissed = useRef(new Set<string>());

  useEffect(() => {
    const load = () =>
      void getApi()
        .listQueue({ sort: 'priority', dir: 'desc', limit: 10 })
        .then(
          (page) => {
            setDue(
              page.rows.filter(
                (r) => r.reason.code === 'callback_due' && r.callbackAt && !dismissed.current.has(`${r.accountId}@${r.callbackAt}`),
              ),
            );
          },
          () => {},
        );
    load();
    const timer = setInterval(load, 20_000);
    const off = getApi().onDataChanged(load);
    return () => {
      clearInterval(timer);
      off();
    };
  }, []);

  if (due.length === 0) return null;
  const dismiss = (r: QueueRow) => {
    dismissed.current.add(`${r.accountId}@${r.callbackAt}`);
    setDue((d) => d.filter((x) => x.accountId !== r.accountId));
  };
  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="callback-toasts" style={TOASTS_STYLE}>
      {due.map((r) => (
        <div key={r.accountId} className="toast card" data-testid="callback-toast" style={{ display: 'flex', gap: 8 }}>
          <button
            type="button"
            className="link"
            onClick={() => {
              dismiss(r);
              useNav.getState().openAccount(r.accountId);
            }}
          >
            {t('callbacks.due', { name: r.debtorName, time: formatDateTime(r.callbackAt!, r.timeZone, i18n.language) })}
          </button>
          <button type="button" className="link" aria-label={t('common.close')} onClick={() => dismiss(r)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
