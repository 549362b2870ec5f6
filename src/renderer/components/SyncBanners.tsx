import { useTranslation } from 'react-i18next';
import { useSync } from '../stores/sync';
import { useSession } from '../stores/session';

/** Full-width notices for the states that change what the agent should expect of their work. */
export function SyncBanners() {
  const { t } = useTranslation();
  const state = useSync((s) => s.state);
  const expire = useSession((s) => s.expire);
  if (!state) return null;
  return (
    <>
      {state.authRequired && (
        <div className="banner banner-error" role="alert" data-testid="banner-auth">
          <span>{t('sync.authRequired')}</span>
          <button type="button" onClick={expire}>
            {t('sync.loginAgain')}
          </button>
        </div>
      )}
      {state.updateRequired && (
        <div className="banner banner-error" role="alert" data-testid="banner-update">
          {t('sync.updateRequired')}
        </div>
      )}
      {!state.online && !state.authRequired && !state.updateRequired && (
        <div className="banner banner-offline" role="status" data-testid="banner-offline">
          {t('sync.offlineBanner')}
        </div>
      )}
    </>
  );
}
