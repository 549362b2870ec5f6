import { useEffect, useState, type ReactNode } from 'react';
import { AGENT_CHANNELS } from '../../shared/domain/channels';
import { useTranslation } from 'react-i18next';
import { Plus, Trash2 } from 'lucide-react';
import type { ComplianceAuditEntry, OrgComplianceState } from '../../shared/api/contract';
import { OrgComplianceRules } from '../../shared/domain/org-compliance';
import { Channel } from '../../shared/domain/enums';
import { Party, type FrequencyCap, type HourRule } from '../../shared/rules/compliance/types';
import { getApi } from '../api';
import { errorText, toUiError } from '../lib/errors';
import { useAction } from '../lib/useAction';
import { formatDateTime, localZone } from '../lib/datetime';

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Server refusals of these fields are shown beside them; any other at the foot of the form. */
const SHOWN =
  /^(overrides\.closedDates|dncNumbers|overrides\.hourRules\.\d+\.(es|en|channels|week)|overrides\.caps\.\d+\.(es|en|windowDays|blockAt|appliesTo|counted))/;

/** Monday first, as the agents' week reads; the schema's index is 0 = Sunday. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;
const HOUSE_SOURCE = 'Política de la organización';

const newHourRule = (n: number): HourRule => ({
  id: `org.hours.${n}`,
  source: HOUSE_SOURCE,
  es: '',
  en: '',
  channels: ['call'],
  week: [
    null,
    { from: '08:00', to: '18:00' },
    { from: '08:00', to: '18:00' },
    { from: '08:00', to: '18:00' },
    { from: '08:00', to: '18:00' },
    { from: '08:00', to: '18:00' },
    null,
  ],
  closedOnHolidays: true,
});
const newCap = (n: number): FrequencyCap => ({
  id: `org.cap.${n}`,
  source: HOUSE_SOURCE,
  es: '',
  en: '',
  kind: 'count',
  counts: 'attempts',
  blockAt: 1,
  scope: 'debtor',
  appliesTo: ['call'],
  counted: ['call'],
  windowDays: 1,
});
/** A free id for a new rule: org.hours.N / org.cap.N past the ones in use. */
const nextN = (ids: string[]) => ids.length + 1 + ids.filter((id) => /\.\d+$/.test(id)).length;

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
 * of every change: a form per kind of rule (channels, contact hours per weekday, frequency caps,
 * closed days, parties), checked with the shared schema before it is sent, each problem beside its
 * field. Online only: the server validates again and audits.
 */
export function ComplianceAdminScreen() {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<OrgComplianceState | null>(null);
  const [audit, setAudit] = useState<ComplianceAuditEntry[]>([]);
  const { busy, error, setError, run } = useAction();
  const [saved, setSaved] = useState(false);
  const [dnc, setDnc] = useState('');
  const [closed, setClosed] = useState('');
  const [blocked, setBlocked] = useState<Channel[]>([]);
  const [requireAuth, setRequireAuth] = useState(false);
  const [hourRules, setHourRules] = useState<HourRule[]>([]);
  const [caps, setCaps] = useState<FrequencyCap[]>([]);
  const [disallowed, setDisallowed] = useState<Party[]>([]);
  /** Problems by the schema's path (overrides.hourRules.0.week.1.to), shown beside their field. */
  const [problems, setProblems] = useState<Record<string, string>>({});

  const load = async () => {
    try {
      const [s, a] = await Promise.all([getApi().getOrgCompliance(), getApi().listComplianceAudit()]);
      setState(s);
      setAudit(a);
      setDnc(s.rules.dncNumbers.join('\n'));
      setClosed(s.rules.overrides.closedDates.join('\n'));
      setBlocked(s.rules.overrides.blockedChannels);
      setRequireAuth(s.rules.overrides.requireAuthorizedChannels);
      setHourRules(s.rules.overrides.hourRules);
      setCaps(s.rules.overrides.caps);
      setDisallowed(s.rules.overrides.disallowedParties);
    } catch (e) {
      setError(toUiError(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const save = async () => {
    setSaved(false);
    const parsed = OrgComplianceRules.safeParse({
      dncNumbers: lines(dnc),
      overrides: {
        hourRules,
        caps,
        closedDates: lines(closed),
        blockedChannels: blocked,
        requireAuthorizedChannels: requireAuth,
        disallowedParties: disallowed,
      },
    });
    if (!parsed.success) {
      const found: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        // the schema speaks English to developers; the admin reads what the field needs, in words
        const name = [...issue.path].reverse().find((x) => typeof x === 'string') ?? '';
        found[issue.path.join('.')] ??= t(`complianceForm.problem.${String(name)}`, { defaultValue: issue.message });
      }
      setProblems(found);
      return;
    }
    setProblems({});
    await run(async () => {
      await getApi().saveOrgCompliance(parsed.data);
      setSaved(true);
      await load();
    });
  };

  /** The problems at a path and under it (a list's entries), beside the field that holds them. */
  const problem = (path: string, exact = false): ReactNode => {
    const server = error?.field && (error.field === path || (!exact && error.field.startsWith(`${path}.`))) ? errorText(t, error) : null;
    const keys = Object.keys(problems).filter((k) => k === path || (!exact && k.startsWith(`${path}.`)));
    if (!server && keys.length === 0) return null;
    return (
      <span className="field-error" role="alert" data-testid="compliance-error" data-field={error?.field && server ? error.field : keys[0]}>
        {server ?? keys.map((k) => problems[k]).join(' · ')}
      </span>
    );
  };
  const channelBoxes = (name: string, value: Channel[], set: (v: Channel[]) => void) => (
    <span className="checks">
      {AGENT_CHANNELS.map((c) => (
        <label key={c} className="inline">
          <input
            type="checkbox"
            name={`${name}-${c}`}
            checked={value.includes(c)}
            onChange={(e) => set(e.target.checked ? [...value, c] : value.filter((x) => x !== c))}
          />
          {t(`channel.${c}`)}
        </label>
      ))}
    </span>
  );
  const setRule = (i: number, patch: Partial<HourRule>) => setHourRules(hourRules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const setCap = (i: number, cap: FrequencyCap) => setCaps(caps.map((c, j) => (j === i ? cap : c)));
  const texts = (path: string, value: { es: string; en: string }, set: (v: { es: string; en: string }) => void) => (
    <div className="row2">
      <label>
        {t('complianceForm.textEs')}
        <input name={`${path}.es`} value={value.es} onChange={(e) => set({ ...value, es: e.target.value })} />
        {problem(`${path}.es`, true)}
      </label>
      <label>
        {t('complianceForm.textEn')}
        <input name={`${path}.en`} value={value.en} onChange={(e) => set({ ...value, en: e.target.value })} />
        {problem(`${path}.en`, true)}
      </label>
    </div>
  );

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
      <form
        className="compliance-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset>
          <legend>{t('complianceForm.channels')}</legend>
          <div className="field">
            <span className="field-label">{t('admin.blockedChannels')}</span>
            {channelBoxes('blocked', blocked, setBlocked)}
          </div>
          <label className="inline">
            <input
              type="checkbox"
              name="requireAuthorizedChannels"
              checked={requireAuth}
              onChange={(e) => setRequireAuth(e.target.checked)}
            />
            {t('admin.requireAuthorized')}
          </label>
          <div className="field">
            <span className="field-label">{t('complianceForm.disallowedParties')}</span>
            <span className="checks">
              {Party.options.map((p) => (
                <label key={p} className="inline">
                  <input
                    type="checkbox"
                    name={`party-${p}`}
                    checked={disallowed.includes(p)}
                    onChange={(e) => setDisallowed(e.target.checked ? [...disallowed, p] : disallowed.filter((x) => x !== p))}
                  />
                  {t(`complianceForm.party.${p}`)}
                </label>
              ))}
            </span>
          </div>
        </fieldset>

        <fieldset data-testid="hour-rules">
          <legend>{t('complianceForm.hours')}</legend>
          <p className="muted small">{t('complianceForm.hoursHelp')}</p>
          {hourRules.length === 0 && <p className="muted">{t('complianceForm.noHours')}</p>}
          {hourRules.map((r, i) => {
            const path = `overrides.hourRules.${i}`;
            return (
              <div className="rule-card" key={i} data-testid="hour-rule">
                <div className="rule-head">
                  <strong>{t('complianceForm.hourRule', { n: i + 1 })}</strong>
                  <button type="button" className="small with-icon" onClick={() => setHourRules(hourRules.filter((_, j) => j !== i))}>
                    <Trash2 size={13} aria-hidden="true" />
                    {t('complianceForm.remove')}
                  </button>
                </div>
                {texts(path, r, (v) => setRule(i, v))}
                <div className="field">
                  <span className="field-label">{t('complianceForm.appliesTo')}</span>
                  {channelBoxes(`${path}.channels`, r.channels, (channels) => setRule(i, { channels }))}
                  {problem(`${path}.channels`)}
                </div>
                <table className="week-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('complianceForm.day')}</th>
                      <th scope="col">{t('complianceForm.open')}</th>
                      <th scope="col">{t('complianceForm.from')}</th>
                      <th scope="col">{t('complianceForm.to')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {WEEK_ORDER.map((d) => {
                      const h = r.week[d] ?? null;
                      const setDay = (v: HourRule['week'][number]) => setRule(i, { week: r.week.map((x, j) => (j === d ? v : x)) });
                      return (
                        <tr key={d}>
                          <th scope="row">{t(`weekday.${d}`)}</th>
                          <td>
                            <input
                              type="checkbox"
                              name={`${path}.week.${d}.open`}
                              aria-label={t('complianceForm.openOn', { day: t(`weekday.${d}`) })}
                              checked={h !== null}
                              onChange={(e) => setDay(e.target.checked ? { from: '08:00', to: '18:00' } : null)}
                            />
                          </td>
                          <td>
                            <input
                              type="time"
                              name={`${path}.week.${d}.from`}
                              aria-label={`${t(`weekday.${d}`)} ${t('complianceForm.from')}`}
                              disabled={h === null}
                              value={h?.from ?? ''}
                              onChange={(e) => h && setDay({ ...h, from: e.target.value })}
                            />
                            {problem(`${path}.week.${d}.from`, true)}
                          </td>
                          <td>
                            <input
                              type="time"
                              name={`${path}.week.${d}.to`}
                              aria-label={`${t(`weekday.${d}`)} ${t('complianceForm.to')}`}
                              disabled={h === null}
                              value={h?.to ?? ''}
                              onChange={(e) => h && setDay({ ...h, to: e.target.value })}
                            />
                            {problem(`${path}.week.${d}.to`, true)}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
                <label className="inline">
                  <input
                    type="checkbox"
                    name={`${path}.closedOnHolidays`}
                    checked={r.closedOnHolidays}
                    onChange={(e) => setRule(i, { closedOnHolidays: e.target.checked })}
                  />
                  {t('complianceForm.closedOnHolidays')}
                </label>
              </div>
            );
          })}
          <button
            type="button"
            className="small with-icon"
            data-testid="add-hour-rule"
            onClick={() => setHourRules([...hourRules, newHourRule(nextN(hourRules.map((r) => r.id)))])}
          >
            <Plus size={13} aria-hidden="true" />
            {t('complianceForm.addHours')}
          </button>
        </fieldset>

        <fieldset data-testid="caps">
          <legend>{t('complianceForm.caps')}</legend>
          <p className="muted small">{t('complianceForm.capsHelp')}</p>
          {caps.length === 0 && <p className="muted">{t('complianceForm.noCaps')}</p>}
          {caps.map((c, i) => {
            const path = `overrides.caps.${i}`;
            return (
              <div className="rule-card" key={i} data-testid="cap">
                <div className="rule-head">
                  <strong>{t('complianceForm.cap', { n: i + 1 })}</strong>
                  <button type="button" className="small with-icon" onClick={() => setCaps(caps.filter((_, j) => j !== i))}>
                    <Trash2 size={13} aria-hidden="true" />
                    {t('complianceForm.remove')}
                  </button>
                </div>
                {texts(path, c, (v) => setCap(i, { ...c, ...v }))}
                <div className="row3">
                  <label>
                    {t('complianceForm.kind')}
                    <select
                      name={`${path}.kind`}
                      value={c.kind}
                      onChange={(e) => {
                        const kind = e.target.value as FrequencyCap['kind'];
                        const { id, source, es, en, scope, appliesTo, counted, windowDays } = c;
                        const base = { id, source, es, en, scope, appliesTo, counted, windowDays };
                        setCap(i, kind === 'count' ? { ...base, kind, counts: 'attempts', blockAt: 1 } : { ...base, kind });
                      }}
                    >
                      {(['count', 'single_channel', 'min_gap'] as const).map((k) => (
                        <option key={k} value={k}>
                          {t(`complianceForm.kinds.${k}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t('complianceForm.scope')}
                    <select
                      name={`${path}.scope`}
                      value={c.scope}
                      onChange={(e) => setCap(i, { ...c, scope: e.target.value as FrequencyCap['scope'] })}
                    >
                      <option value="debtor">{t('complianceForm.scopes.debtor')}</option>
                      <option value="account">{t('complianceForm.scopes.account')}</option>
                    </select>
                  </label>
                  <label>
                    {t('complianceForm.windowDays')}
                    <input
                      type="number"
                      min={1}
                      max={366}
                      name={`${path}.windowDays`}
                      value={Number.isFinite(c.windowDays) ? c.windowDays : ''}
                      onChange={(e) => setCap(i, { ...c, windowDays: e.target.valueAsNumber })}
                    />
                    {problem(`${path}.windowDays`, true)}
                  </label>
                  {c.kind === 'count' && (
                    <>
                      <label>
                        {t('complianceForm.blockAt')}
                        <input
                          type="number"
                          min={1}
                          name={`${path}.blockAt`}
                          value={Number.isFinite(c.blockAt) ? c.blockAt : ''}
                          onChange={(e) => setCap(i, { ...c, blockAt: e.target.valueAsNumber })}
                        />
                        {problem(`${path}.blockAt`, true)}
                      </label>
                      <label>
                        {t('complianceForm.counts')}
                        <select
                          name={`${path}.counts`}
                          value={c.counts}
                          onChange={(e) => setCap(i, { ...c, counts: e.target.value as 'attempts' | 'conversations' })}
                        >
                          <option value="attempts">{t('complianceForm.countsOf.attempts')}</option>
                          <option value="conversations">{t('complianceForm.countsOf.conversations')}</option>
                        </select>
                      </label>
                    </>
                  )}
                </div>
                <div className="field">
                  <span className="field-label">{t('complianceForm.capAppliesTo')}</span>
                  {channelBoxes(`${path}.appliesTo`, c.appliesTo, (appliesTo) => setCap(i, { ...c, appliesTo }))}
                  {problem(`${path}.appliesTo`)}
                </div>
                <div className="field">
                  <span className="field-label">{t('complianceForm.counted')}</span>
                  {channelBoxes(`${path}.counted`, c.counted, (counted) => setCap(i, { ...c, counted }))}
                  {problem(`${path}.counted`)}
                </div>
              </div>
            );
          })}
          <button
            type="button"
            className="small with-icon"
            data-testid="add-cap"
            onClick={() => setCaps([...caps, newCap(nextN(caps.map((c) => c.id)))])}
          >
            <Plus size={13} aria-hidden="true" />
            {t('complianceForm.addCap')}
          </button>
        </fieldset>

        <div className="row2">
          <label>
            {t('admin.closedDates')}
            <textarea name="closedDates" rows={4} value={closed} onChange={(e) => setClosed(e.target.value)} placeholder="2026-12-24" />
            {problem('overrides.closedDates')}
          </label>
          <label>
            {t('admin.dnc')}
            <textarea name="dncNumbers" rows={4} value={dnc} onChange={(e) => setDnc(e.target.value)} placeholder="+573001234567" />
            {problem('dncNumbers')}
          </label>
        </div>

        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy} data-testid="compliance-save">
            {busy ? t('common.saving') : t('admin.save')}
          </button>
          {saved && (
            <span className="ok-text" role="status">
              {t('admin.saved')}
            </span>
          )}
          {Object.keys(problems).length > 0 && <span className="field-error">{t('complianceForm.fix')}</span>}
          {error && (!error.field || !SHOWN.test(error.field)) && (
            <span className="field-error" role="alert" data-testid="compliance-error" data-field="">
              {errorText(t, error)}
            </span>
          )}
        </div>
      </form>
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
