import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getApi } from '../api';
import { errorText, toUiError, type UiError } from '../lib/errors';
import { useSession } from '../stores/session';

/**
 * Admins only: saves everything held on the debtor as one printable HTML file (docs/privacy.md),
 * the file handed to the debtor or a regulator. The server records each export.
 */
export function ExportDebtorButton({ debtorId }: { debtorId: string }) {
  const { t } = useTranslation();
  const role = useSession((s) => s.session?.user.role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  if (role !== 'admin') return null;
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const { fileName, html } = await getApi().exportDebtorData({ debtorId });
      const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(toUiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="export-debtor">
      <button type="button" className="link" disabled={busy} onClick={() => void run()} data-testid="export-debtor">
        {busy ? t('account.exporting') : t('account.exportData')}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {errorText(t, error)}
        </span>
      )}
    </span>
  );
}
