import { useTranslation } from 'react-i18next';
import { useSession } from '../stores/session';
import { useNav } from '../stores/nav';
import { ADMIN_SCREENS } from '../screens/registry';

/** Under the top bar: admins open the organisation's compliance rules and its users; admins and team leads the team's activity and the violations. */
export function AdminBar() {
  const { t } = useTranslation();
  const role = useSession((s) => s.session?.user.role);
  const open = useNav((s) => s.admin);
  if (role !== 'admin' && role !== 'team_lead') return null;
  return (
    <div className="approvals-bar" data-testid="admin-bar">
      {ADMIN_SCREENS.filter((s) => s.roles.includes(role)).map((s) => (
        <button
          key={s.tab}
          type="button"
          data-testid={s.testId}
          aria-pressed={open === s.tab}
          onClick={() => useNav.getState().toggleAdmin(s.tab)}
        >
          {open === s.tab ? t('admin.back') : t(s.label)}
        </button>
      ))}
    </div>
  );
}
