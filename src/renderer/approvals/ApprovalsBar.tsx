import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getApi } from '../api';
import { useNav } from '../stores/nav';
import { CallbackToasts } from './CallbackToasts';

/**
 * Under the top bar: agents see decisions on their requests they have not looked at yet (the
 * account's negotiation panel shows and clears them). Team leads open "Aprobaciones" from the
 * navigation bar (components/NavBar.tsx).
 */
export function ApprovalsBar() {
  const { t } = useTranslation();
  const [unseen, setUnseen] = useState<
    Array<{ id: string; accountId: string; status: string; debtorName: string; decisionReason: string | null }>
  >([]);

  useEffect(() => {
    const load = () =>
      void getApi()
        .listMyApprovals({})
        .then(
          (all) => setUnseen(all.filter((a) => a.unseen)),
          () => {},
        );
    load();
    return getApi().onDataChanged(load);
  }, []);

  if (unseen.length === 0) return <CallbackToasts />;
  return (
    <div className="approvals-bar" data-testid="approvals-bar">
      <CallbackToasts />
      {unseen.map((a) => (
        <div key={a.id} className={`approval-notice approval-notice-${a.status}`} role="status" data-testid="approval-decided">
          <button type="button" className="link" onClick={() => useNav.getState().openAccount(a.accountId)}>
            <strong>{t(`negotiation.decided.${a.status}`)}</strong> — {a.debtorName}
          </button>
          {a.decisionReason && <span className="muted small approval-notice-reason">{a.decisionReason}</span>}
          <button
            type="button"
            className="link approval-notice-close"
            aria-label={t('approvals.dismiss', { name: a.debtorName })}
            title={t('approvals.dismiss', { name: a.debtorName })}
            data-testid="approval-dismiss"
            onClick={() => {
              // dismissed is seen: the account's negotiation panel no longer repeats it either
              setUnseen((u) => u.filter((x) => x.id !== a.id));
              void getApi()
                .markApprovalsSeen({ ids: [a.id] })
                .catch(() => {});
            }}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
