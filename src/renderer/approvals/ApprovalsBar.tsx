import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getApi } from '../api';
import { useSession } from '../stores/session';
import { useNav } from '../stores/nav';
import { CallbackToasts } from './CallbackToasts';

/**
 * Under the top bar: team leads open "Aprobaciones"; agents see decisions on their requests they
 * have not looked at yet (the account's negotiation panel shows and clears them).
 */
export function ApprovalsBar() {
  const { t } = useTranslation();
  const role = useSession((s) => s.session?.user.role);
  const open = useNav((s) => s.view.name === 'approvals');
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

  const lead = role === 'team_lead' || role === 'admin';
  if (!lead && unseen.length === 0) return <CallbackToasts />;
  return (
    <div className="approvals-bar" data-testid="approvals-bar">
      <CallbackToasts />
      {lead && (
        <button type="button" onClick={() => useNav.getState().toggleApprovals()} data-testid="open-approvals" aria-pressed={open}>
          {open ? t('approvals.back') : t('approvals.title')}
        </button>
      )}
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
