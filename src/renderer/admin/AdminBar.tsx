import { useTranslation } from 'react-i18next';
import { useSession } from '../stores/session';
import { useAdminView, type AdminTab } from './store';

/** Under the top bar: admins open the organisation's compliance rules and its users; admins and team leads the team's activity and the violations. */
export function AdminBar() {
  const { t } = useTranslation();
  const role = useSession((s) => s.session?.user.role);
  const open = useAdminView((s) => s.open);
  const tab = useAdminView((s) => s.tab);
  if (role !== 'admin' && role !== 'team_lead') return null;
  const toggle = (which: AdminTab) => useAdminView.getState().setOpen(!(open && tab === which), which);
  return (
    <div className="approvals-bar" data-testid="admin-bar">
      {role === 'admin' && (
        <button type="button" data-testid="open-compliance-admin" aria-pressed={open && tab === 'rules'} onClick={() => toggle('rules')}>
          {open && tab === 'rules' ? t('admin.back') : t('admin.compliance')}
        </button>
      )}
      <button type="button" data-testid="open-activity" aria-pressed={open && tab === 'activity'} onClick={() => toggle('activity')}>
        {open && tab === 'activity' ? t('admin.back') : t('activity.title')}
      </button>
      {role === 'admin' && (
        <button type="button" data-testid="open-users-admin" aria-pressed={open && tab === 'users'} onClick={() => toggle('users')}>
          {open && tab === 'users' ? t('admin.back') : t('admin.users')}
        </button>
      )}
      {role === 'admin' && (
        <button type="button" data-testid="open-templates-admin" aria-pressed={open && tab === 'templates'} onClick={() => toggle('templates')}>
          {open && tab === 'templates' ? t('admin.back') : t('admin.templates')}
        </button>
      )}
      <button type="button" data-testid="open-violations" aria-pressed={open && tab === 'violations'} onClick={() => toggle('violations')}>
        {open && tab === 'violations' ? t('admin.back') : t('admin.violations')}
      </button>
    </div>
  );
}
