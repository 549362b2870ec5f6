import { useTranslation } from 'react-i18next';
import { useSession } from '../stores/session';
import { useNav } from '../stores/nav';
import { SECTIONS } from '../screens/registry';

/**
 * The navigation under the top bar: the work area (queue and account) and the screens the user's
 * role opens, one at a time (agents: their end of day; leads and admins: their screens). Clicking
 * the open tab again goes back to work.
 */
export function NavBar() {
  const { t } = useTranslation();
  const role = useSession((s) => s.session?.user.role);
  const section = useNav((s) => s.section);
  if (!role) return null;
  const tabs = SECTIONS.filter((s) => s.roles.includes(role));
  if (tabs.length === 0) return null;
  return (
    <nav className="section-nav" aria-label={t('nav.label')} data-testid="section-nav">
      <button
        type="button"
        data-testid="open-work"
        aria-current={section === 'work' ? 'page' : undefined}
        onClick={() => useNav.getState().backToQueue()}
      >
        {t('queue.title')}
      </button>
      {tabs.map((s) => (
        <button
          key={s.section}
          type="button"
          data-testid={s.testId}
          aria-current={section === s.section ? 'page' : undefined}
          onClick={() => (section === s.section ? useNav.getState().closeAdmin() : useNav.getState().openSection(s.section))}
        >
          {t(s.label)}
        </button>
      ))}
    </nav>
  );
}
