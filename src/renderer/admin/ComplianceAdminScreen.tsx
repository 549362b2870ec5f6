import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ComplianceAuditEntry, OrgComplianceRules, OrgComplianceState } from '../../shared/api/contract';
import { Channel } from '../../shared/domain/enums';
import { getApi } from '../api';
import { errorText, toUiError } from '../lib/errors';
import { useAction } from '../lib/useAction';
import { formatDateTime, localZone } from '../lib/datetime';

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Counts of what one audit entry changed, for the trail's summary column. */
function changeSummary(e: ComplianceAuditEntry): string {
  const parts: string[] = [];
  const b = e.before;
  const a = e.after;
  const diff = (name: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) parts.push(name);
  };
  diff('DNC', b.dncNumbers, a.dncNumbers);
  diff('closedDates', b.overrides.closedDates, a.overrides.closedDates);
  diff('blockedChannels', b.overrides.blockedChannels, a.overrides.blockedChannels);
  diff('requireAuthorizedChannels', b.overrides.requireAuthorizedChannels, a.overrides.requireAuthorizedChannels);
  diff('hourRules', b.overrides.hourRules, a.overrides.hourRules);
  diff('caps', b.overrides.caps, a.overrides.caps);
  diff('disallowedParties', b.overrides.disallowedParties, a.overrides.disallowedParties);
  return parts.join(', ') || '—';
}

/**
 * The organisation's own rules, stricter than the law only (the rules engine ANDs them with the
 * law, so nothing here can allow a contact the law forbids), its do-not-call list, and the trail
 * of every change. Online only: the server validates and audits.
 */
export function ComplianceAdminScreen() {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<OrgComplianceState | null>(null);
  const [audit, setAudit] = useState<ComplianceAuditEntry[]>([]);
  const { busy, error, setError, run } = useAction();
  const [saved, setSaved] = useState(false);
  const [dnc, setDnc] = useState('');
  const [closed, setClosed] = useState('');
  const [blocked, setBlocked] = useState<string[]>([]);
  const [requireAuth, setRequireAuth] = useState(false);
  const [advanced, setAdvanced] = useState('');

  const load = async () => {
    try {
      const [s, a] = await Promise.all([getApi().getOrgCompliance(), getApi().listComplianceAudit()]);
      setState(s);
      setAudit(a);
      setDnc(s.rules.dncNumbers.join('\n'));
      setClosed(s.rules.overrides.closedDates.join('\n'));
      setBlocked(s.rules.overrides.blockedChannels);
      setRequireAuth(s.rules.overrides.requireAuthorizedChannels);
      setAdvanced(
        JSON.stringify(
          { hourRules: s.rules.overrides.hourRules, caps: s.rules.overrides.caps, disallowedParties: s.rules.overrides.disallowedParties },
          null,
          2,
        ),
      );
    } catch (e) {
      setError(toUiError(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const save = async () => {
    setSaved(false);
    await run(async () => {
      let extra: Record<string, unknown>;
      try {
        extra = advanced.trim() ? (JSON.parse(advanced) as Record<string, unknown>) : {};
      } catch (e) {
        throw Object.assign(new Error((e as Error).message), { code: 'validation', field: 'overrides' });
      }
      const rules = {
        dncNumbers: lines(dnc),
        overrides: { ...extra, closedDates: lines(closed), blockedChannels: blocked, requireAuthorizedChannels: requireAuth },
      } as OrgComplianceRules;
      await getApi().saveOrgCompliance(rules);
      setSaved(true);
      await load();
    });
  };

  if (!state && !error)
    return (
      <section className="card">
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      </section>
    );
  return (
    <section className="card admin-compliance" aria-labelledby="adm-title" data-testid="compliance-admin">
      <h2 id="adm-title">{t('admin.compliance')}</h2>
      <p className="muted">{t('admin.stricterOnly')}</p>
      {state && (
        <p className="muted small" data-testid="compliance-revision">
          {t('admin.revision', { revision: state.revision, by: state.updatedBy ?? '—' })}
        </p>
      )}
      <fieldset>
        <legend>{t('admin.blockedChannels')}</legend>
        {Channel.options.map((c) => (
          <label key={c} className="inline">
            <input
              type="checkbox"
              name={`blocked-${c}`}
              checked={blocked.includes(c)}
              onChange={(e) => setBlocked(e.target.checked ? [...blocked, c] : blocked.filter((x) => x !== c))}
            />
            {t(`channel.${c}`)}
          </label>
        ))}
      </fieldset>
      <label className="inline">
        <input type="checkbox" name="requireAuthorizedChannels" checked={requireAuth} onChange={(e) => setRequireAuth(e.target.checked)} />
        {t('admin.requireAuthorized')}
      </label>
      <label>
        {t('admin.closedDates')}
        <textarea name="closedDates" rows={3} value={closed} onChange={(e) => setClosed(e.target.value)} placeholder="2026-12-24" />
      </label>
      <label>
        {t('admin.dnc')}
        <textarea name="dncNumbers" rows={5} value={dnc} onChange={(e) => setDnc(e.target.value)} placeholder="+573001234567" />
      </label>
      <label>
        {t('admin.advanced')}
        <textarea name="advanced" rows={8} className="mono" value={advanced} onChange={(e) => setAdvanced(e.target.value)} />
      </label>
      <button type="button" className="primary" disabled={busy} onClick={() => void save()} data-testid="compliance-save">
        {busy ? t('common.saving') : t('admin.save')}
      </button>
      {saved && (
        <p className="ok-text" role="status">
          {t('admin.saved')}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="compliance-error" data-field={error.field ?? ''}>
          {error.field ? `${error.field}: ` : ''}
          {errorText(t, error)}
        </p>
      )}
      <h3>{t('admin.audit')}</h3>
      <table className="audit" data-testid="compliance-audit">
        <thead>
          <tr>
            <th>{t('admin.when')}</th>
            <th>{t('admin.who')}</th>
            <th>{t('admin.changed')}</th>
          </tr>
        </thead>
        <tbody>
          {audit.map((e) => (
            <tr key={e.seq} data-testid="audit-row">
              <td>{formatDateTime(e.at, localZone(), i18n.language)}</td>
              <td>{e.username}</td>
              <td title={`${JSON.stringify(e.before)} → ${JSON.stringify(e.after)}`}>{changeSummary(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
