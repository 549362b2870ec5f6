import { useTranslation } from 'react-i18next';
import { useSession } from '../stores/session';
import { useAdminView } from './store';

/** Under the top bar, for admins only: opens the organisation's compliance rules. */
export function AdminBar() {
  const { t } = useTranslation();
  const role = useSession((s) => s.session?.user.role);
  const open = useAdminView((s) => s.open);
  if (role !== 'admin') return null;
  return (
    <div className="approvals-bar" data-testid="admin-bar">
      <button type="button" data-testid="open-compliance-admin" aria-pressed={open} onClick={() => useAdminView.getState().setOpen(!open)}>
        {open ? t('admin.back') : t('admin.compliance')}
      </button>
    </div>
  );
}
