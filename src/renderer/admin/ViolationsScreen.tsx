import { useTranslation } from 'react-i18next';
import type { ComplianceViolation } from '../../shared/api/contract';
import { getApi } from '../api';
import { formatDateTime } from '../lib/datetime';
import { errorText } from '../lib/errors';
import { ruleText } from '../lib/rule-text';
import { useLoad } from '../lib/useAction';
import { useNav } from '../stores/nav';

/**
 * Contacts the server recorded although the rules forbade them (made offline and judged when
 * they arrived, or a call the server judged with attempts the workstation could not see): the
 * record is kept, the breach is shown to team leads here — who, to whom, which rule in words,
 * online or offline — with the account one click away. Online only.
 */
export function ViolationsScreen() {
  const { t, i18n } = useTranslation();
  const { data: rows, error } = useLoad<ComplianceViolation[]>(() => getApi().listComplianceViolations(), []);
  const open = (accountId: string) => {
    useNav.getState().closeAdmin();
    useNav.getState().openAccount(accountId);
  };
  return (
    <section className="card" aria-labelledby="viol-title" data-testid="violations">
      <h2 id="viol-title">{t('admin.violations')}</h2>
      <p className="muted">{t('violations.help')}</p>
      {error && (
        <p className="field-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {rows === null && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {rows?.length === 0 && <p className="muted">{t('admin.noViolations')}</p>}
      {rows && rows.length > 0 && (
        <table className="audit">
          <thead>
            <tr>
              <th>{t('admin.when')}</th>
              <th>{t('violations.debtor')}</th>
              <th>{t('violations.agent')}</th>
              <th>{t('messaging.channel')}</th>
              <th>{t('admin.rules')}</th>
              <th>{t('violations.made')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((v) => (
              <tr key={v.activityId} data-testid="violation-row" data-made={v.made}>
                <td>
                  {formatDateTime(v.startedAt, v.debtorTimeZone, i18n.language)} <span className="muted small">({v.debtorTimeZone})</span>
                </td>
                <td>
                  <button type="button" className="link" data-testid="violation-account" onClick={() => open(v.accountId)}>
                    {v.debtorName || t('admin.openAccount')}
                  </button>
                  {v.externalRef && <span className="muted small"> · {v.externalRef}</span>}
                </td>
                <td>{v.agentName ? `${v.agentName} (${v.agentUsername})` : v.agentUsername}</td>
                <td>{t(`channel.${v.channel}`)}</td>
                <td>
                  {v.ruleIds.map((id) => (
                    <div key={id} data-rule={id}>
                      {ruleText(t, id)}
                    </div>
                  ))}
                </td>
                <td>
                  {v.made === 'online'
                    ? t('violations.made_online')
                    : t('violations.made_offline', { when: formatDateTime(v.recordedAt, v.debtorTimeZone, i18n.language) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
