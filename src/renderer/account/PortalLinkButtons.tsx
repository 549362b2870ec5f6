import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDay, localDate } from '../../shared/domain/time';
import { getApi } from '../api';
import { errorText, toUiError, type UiError } from '../lib/errors';

/**
 * The debtor's self-service link (docs/self-service.md): shown for the agent to read out or paste,
 * and ended at once by the agent or lead ("Revocar enlace") when it reached the wrong person.
 * Online only: the server makes and ends links.
 */
export function PortalLinkButtons({ debtorId }: { debtorId: string }) {
  const { t, i18n } = useTranslation();
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [revoked, setRevoked] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(toUiError(e));
    } finally {
      setBusy(false);
    }
  };
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <span className="portal-link" data-testid="portal-link">
      <button
        type="button"
        className="link"
        disabled={busy}
        data-testid="portal-link-show"
        onClick={() =>
          void run(async () => {
            setRevoked(null);
            setLink(await getApi().getPortalLink({ debtorId }));
          })
        }
      >
        {t('account.portalLink')}
      </button>
      <button
        type="button"
        className="link"
        disabled={busy}
        data-testid="portal-link-revoke"
        onClick={() =>
          void run(async () => {
            const r = await getApi().revokePortalLink({ debtorId });
            setLink(null);
            setRevoked(r.revoked);
          })
        }
      >
        {t('account.portalRevoke')}
      </button>
      {link && (
        <span>
          <input readOnly aria-label={t('account.portalLink')} value={link.url} size={40} onFocus={(e) => e.currentTarget.select()} />{' '}
          {t('account.portalExpires', { date: formatDay(localDate(new Date(link.expiresAt), zone), i18n.language) })}
        </span>
      )}
      {revoked !== null && <span role="status">{t('account.portalRevoked', { count: revoked })}</span>}
      {error && (
        <span className="field-error" role="alert">
          {errorText(t, error)}
        </span>
      )}
    </span>
  );
}
