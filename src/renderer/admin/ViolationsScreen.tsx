import { useTranslation } from 'react-i18next';
import type { ComplianceViolation } from '../../shared/api/contract';
import { getApi } from '../api';
import { errorText } from '../lib/errors';
import { useLoad } from '../lib/useAction';
import { useNav } from '../stores/nav';

/**
 * Contacts the server recorded although the rules forbade them (made offline, judged when they
 * arrived): the record is kept, the breach is shown to team leads here. Online only.
 */
export function ViolationsScreen() {
  const { t, i18n } = useTranslation();
  const { data: rows, error } = useLoad<ComplianceViolation[]>(() => getApi().listComplianceViolations(), []);
  return (
    <section className="card" aria-labelledby="viol-title" data-testid="violations">
      <h2 id="viol-title">{t('admin.violations')}</h2>
      <p className="muted">{t('admin.violationsHelp')}</p>
      {error && <p className="field-error" role="alert">{errorText(t, error)}</p>}
      {rows === null && !error && <p className="muted" role="status">{t('common.loading')}</p>}
      {rows?.length === 0 && <p className="muted">{t('admin.noViolations')}</p>}
      {rows && rows.length > 0 && (
        <table className="audit">
          <thead><tr><th>{t('admin.when')}</th><th>{t('admin.who')}</th><th>{t('messaging.channel')}</th><th>{t('admin.rules')}</th><th /></tr></thead>
          <tbody>
            {rows.map((v) => (
              <tr key={v.activityId} data-testid="violation-row">
                <td>{new Date(v.startedAt).toLocaleString(i18n.language)}</td>
                <td>{v.agentUsername}</td>
                <td>{t(`channel.${v.channel}`)}</td>
                <td>{v.ruleIds.join(', ')}</td>
                <td>
                  <button type="button" className="link" onClick={() => { useNav.getState().closeAdmin(); useNav.getState().openAccount(v.accountId); }}>
                    {t('admin.openAccount')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
