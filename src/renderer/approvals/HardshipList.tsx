import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HardshipItem } from '../../shared/api/rest';
import { getApi } from '../api';
import { formatDateTime, localZone } from '../lib/datetime';
import { errorText } from '../lib/errors';
import { useWorkList } from '../lib/useAction';

/**
 * The team lead's hardship list: agents' claims (the "Solicitar dificultad económica" outcome)
 * and the accounts already in hardship, each with one button to set or lift it and a reason.
 */
const listHardship = () => getApi().listHardship();

export function HardshipList() {
  const { t, i18n } = useTranslation();
  const { items, error, setError, act } = useWorkList(listHardship);
  const [reasons, setReasons] = useState<Record<string, string>>({});

  async function decide(item: HardshipItem, hardship: boolean) {
    const reason = (reasons[item.accountId] ?? '').trim();
    if (!reason) {
      setError({ code: 'validation', message: t('hardship.reasonRequired'), field: 'reason' });
      return;
    }
    if (await act(() => getApi().decideHardship({ accountId: item.accountId, hardship, reason })))
      setReasons((r) => ({ ...r, [item.accountId]: '' }));
  }

  // the lead's own zone: the claim is an event of the lead's team, not of the debtor's day
  const date = (iso: string) => formatDateTime(iso, localZone(), i18n.language);
  return (
    <>
      <h3>{t('hardship.title')}</h3>
      {error && (
        <div className="form-error" role="alert">
          {errorText(t, error)}
        </div>
      )}
      {items.length === 0 ? (
        <p className="muted">{t('hardship.none')}</p>
      ) : (
        <table className="table" data-testid="hardship-list">
          <thead>
            <tr>
              <th>{t('approvals.debtor')}</th>
              <th>{t('hardship.state')}</th>
              <th>{t('hardship.claim')}</th>
              <th>{t('approvals.reason')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((h) => {
              const inHardship = h.status === 'hardship';
              return (
                <tr key={h.accountId} data-account-id={h.accountId}>
                  <td>
                    {h.debtorName} ({h.externalRef})
                  </td>
                  <td>{t(`status.${h.status}`)}</td>
                  <td>
                    {h.claim
                      ? t('hardship.claimBy', { agent: h.claim.agentName, date: date(h.claim.at) }) +
                        (h.claim.note ? ` — ${h.claim.note}` : '')
                      : '—'}
                  </td>
                  <td>
                    <input
                      aria-label={t('approvals.reason')}
                      value={reasons[h.accountId] ?? ''}
                      onChange={(e) => setReasons((r) => ({ ...r, [h.accountId]: e.target.value }))}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      data-testid={inHardship ? 'hardship-lift' : 'hardship-set'}
                      onClick={() => void decide(h, !inHardship)}
                    >
                      {inHardship ? t('hardship.lift') : t('hardship.set')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
