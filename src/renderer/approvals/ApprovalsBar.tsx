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
  const [unseen, setUnseen] = useState<Array<{ id: string; accountId: string; status: string; debtorName: string }>>([]);

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
        <button
          key={a.id}
          type="button"
          className="link notice"
          data-testid="approval-decided"
          onClick={() => useNav.getState().openAccount(a.accountId)}
        >
          {t(`negotiation.decided.${a.status}`)} — {a.debtorName}
        </button>
      ))}
    </div>
  );
}
