import { useEffect, useMemo, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { MessageChannel, OrgMessageTemplate, TemplateAuditEntry } from '../../shared/api/contract';
import { renderSubject, renderTemplate, TEMPLATE_PLACEHOLDERS, templateVars } from '../../shared/domain/message-template';
import { MessageTemplateInput, smsSegments, templateProblems, WHATSAPP_BODY_MAX } from '../../shared/domain/template-admin';
import { MESSAGE_CHANNELS } from '../../shared/domain/channels';
import { getApi } from '../api';
import { errorText, toUiError } from '../lib/errors';
import { useAction } from '../lib/useAction';
import { formatDateTime, localZone } from '../lib/datetime';

const CHANNELS: readonly MessageChannel[] = MESSAGE_CHANNELS;

/** The form's label for a field a rule names (`whatsapp.params.2` → the parameters field). */
const FIELD_LABELS: Record<string, string> = {
  name: 'templateAdmin.name',
  channel: 'templateAdmin.channel',
  subject: 'templateAdmin.subject',
  body: 'templateAdmin.body',
  whatsapp: 'templateAdmin.waSection',
  'whatsapp.name': 'templateAdmin.waName',
  'whatsapp.language': 'templateAdmin.waLanguage',
  'whatsapp.languageByCountry': 'templateAdmin.waLanguageByCountry',
  'whatsapp.params': 'templateAdmin.waParams',
};
function fieldLabel(t: TFunction, field: string): string {
  const key = Object.keys(FIELD_LABELS)
    .filter((k) => field === k || field.startsWith(`${k}.`))
    .sort((a, b) => b.length - a.length)[0];
  return key ? t(FIELD_LABELS[key]!) : field;
}

/** What the form edits: text fields as typed, turned into a MessageTemplateInput on save. */
interface Draft {
  id: string | null;
  revision: number | undefined;
  name: string;
  channel: MessageChannel;
  subject: string;
  body: string;
  active: boolean;
  waName: string;
  waLanguage: string;
  waByCountry: string;
  waParams: string;
}

const EMPTY: Draft = {
  id: null,
  revision: undefined,
  name: '',
  channel: 'sms',
  subject: '',
  body: '',
  active: true,
  waName: '',
  waLanguage: 'es',
  waByCountry: '',
  waParams: '',
};

function toDraft(t: OrgMessageTemplate): Draft {
  return {
    id: t.id,
    revision: t.revision,
    name: t.name,
    channel: t.channel,
    subject: t.subject ?? '',
    body: t.body,
    active: t.active,
    waName: t.whatsapp?.name ?? '',
    waLanguage: t.whatsapp?.language ?? 'es',
    waByCountry: Object.entries(t.whatsapp?.languageByCountry ?? {})
      .map(([c, l]) => `${c}=${l}`)
      .join('\n'),
    waParams: t.whatsapp?.params.join(', ') ?? '',
  };
}

function toInput(d: Draft) {
  const wa =
    d.channel === 'whatsapp' && d.waName.trim()
      ? {
          name: d.waName.trim(),
          language: d.waLanguage.trim(),
          languageByCountry: Object.fromEntries(
            d.waByCountry
              .split(/\r?\n/)
              .map((l) => l.split('=').map((x) => x.trim()))
              .filter((p) => p[0])
              .map(([c, l]) => [c, l ?? '']),
          ),
          params: d.waParams
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean),
        }
      : null;
  return {
    name: d.name,
    channel: d.channel,
    subject: d.channel === 'email' ? d.subject : null,
    body: d.body,
    active: d.active,
    whatsapp: wa,
  };
}

/**
 * A made-up debtor the preview is rendered with (an overdue Colombian account), so the admin
 * reads the text as a debtor would, amounts and dates formatted the same way as for real ones.
 */
function sampleVars(now: Date) {
  const due = new Date(now.getTime() - 35 * 86_400_000).toISOString().slice(0, 10);
  return templateVars(
    { balanceMinor: 1_850_000, currency: 'COP', dueDate: due, externalRef: 'CR-000123' },
    { name: 'María Fernanda López', timeZone: 'America/Bogota' },
    now,
  );
}

/**
 * The organisation's message templates: list (inactive ones too), edit or create with the shared
 * rules checked as the admin types and a live preview, and the trail of every change. Online
 * only: the server validates again and audits; agents get the new version on their next sync.
 */
export function TemplatesAdminScreen() {
  const { t, i18n } = useTranslation();
  const [list, setList] = useState<OrgMessageTemplate[] | null>(null);
  const [audit, setAudit] = useState<TemplateAuditEntry[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const { busy, error, setError, run } = useAction();
  const [saved, setSaved] = useState(false);

  const load = async () => {
    try {
      const [l, a] = await Promise.all([getApi().listOrgTemplates(), getApi().listTemplateAudit()]);
      setList(l);
      setAudit(a);
    } catch (e) {
      setError(toUiError(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const set = (patch: Partial<Draft>) => {
    setDraft((d) => (d ? { ...d, ...patch } : d));
    setSaved(false);
  };
  const input = draft ? toInput(draft) : null;
  // the server's own rules, as the admin types (cheap: one short text); the content rules worded
  // in the admin's language, the remaining field checks (a Meta language code …) as zod words them
  const checked = input ? MessageTemplateInput.safeParse(input) : null;
  const problems = [
    ...(input ? templateProblems(input) : []).map((p) => ({
      field: p.field,
      text: t(`templateAdmin.problem.${p.code}`, { names: p.names.map((n) => `{{${n}}}`).join(', '), max: WHATSAPP_BODY_MAX }),
    })),
    ...(checked && !checked.success ? checked.error.issues.filter((i) => i.code !== 'custom') : []).map((i) => ({
      field: i.path.join('.'),
      text: i.message,
    })),
  ];
  const vars = useMemo(() => sampleVars(new Date()), []);
  const names = useMemo(() => new Map(list?.map((x) => [x.id, x.name]) ?? []), [list]);

  const save = async () => {
    if (!draft || !checked?.success) return;
    const valid = checked.data;
    setSaved(false);
    await run(async () => {
      const result = draft.id
        ? await getApi().updateOrgTemplate({ id: draft.id, template: { ...valid, revision: draft.revision } })
        : await getApi().createOrgTemplate(valid);
      setDraft(toDraft(result));
      setSaved(true);
      await load();
    });
  };

  if (!list && !error)
    return (
      <section className="card">
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      </section>
    );
  const previewBody = draft ? renderTemplate(draft.body, vars) : '';
  const segments = draft?.channel === 'sms' ? smsSegments(previewBody) : 0;
  return (
    <section className="card admin-templates" aria-labelledby="tpl-title" data-testid="templates-admin">
      <h2 id="tpl-title">{t('templateAdmin.title')}</h2>
      <p className="muted">{t('templateAdmin.help')}</p>
      <table className="audit" data-testid="tpl-list">
        <thead>
          <tr>
            <th>{t('templateAdmin.name')}</th>
            <th>{t('templateAdmin.channel')}</th>
            <th>{t('templateAdmin.status')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list?.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {t('templateAdmin.empty')}
              </td>
            </tr>
          )}
          {list?.map((x) => (
            <tr key={x.id} data-testid="tpl-row" data-name={x.name} data-active={x.active} aria-selected={draft?.id === x.id}>
              <td>{x.name}</td>
              <td>{t(`channel.${x.channel}`)}</td>
              <td>
                {x.active ? t('templateAdmin.active') : t('templateAdmin.inactive')}
                {x.channel === 'whatsapp' && !x.whatsapp && (
                  <>
                    {' '}
                    · <span className="error-text">{t('messaging.unapproved')}</span>
                  </>
                )}
              </td>
              <td>
                <button
                  type="button"
                  data-testid="tpl-edit"
                  onClick={() => {
                    setDraft(toDraft(x));
                    setError(null);
                    setSaved(false);
                  }}
                >
                  {t('templateAdmin.edit')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        data-testid="tpl-new"
        onClick={() => {
          setDraft({ ...EMPTY });
          setError(null);
          setSaved(false);
        }}
      >
        {t('templateAdmin.new')}
      </button>

      {draft && (
        <form
          className="tpl-editor"
          data-testid="tpl-editor"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <h3>{draft.id ? draft.name || t('templateAdmin.template') : t('templateAdmin.new')}</h3>
          {draft.id &&
            list &&
            (() => {
              const cur = list.find((x) => x.id === draft.id);
              return cur ? (
                <p className="muted small">{t('templateAdmin.revision', { revision: cur.revision, by: cur.updatedBy ?? '—' })}</p>
              ) : null;
            })()}
          <label>
            {t('templateAdmin.name')}
            <input name="name" value={draft.name} onChange={(e) => set({ name: e.target.value })} />
          </label>
          <label>
            {t('templateAdmin.channel')}
            <select name="channel" value={draft.channel} onChange={(e) => set({ channel: e.target.value as MessageChannel })}>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`channel.${c}`)}
                </option>
              ))}
            </select>
          </label>
          {draft.channel === 'email' && (
            <label>
              {t('templateAdmin.subject')}
              <input name="subject" value={draft.subject} onChange={(e) => set({ subject: e.target.value })} />
            </label>
          )}
          <label>
            {t('templateAdmin.body')}
            <textarea name="body" rows={6} value={draft.body} onChange={(e) => set({ body: e.target.value })} />
          </label>
          <p className="muted small">
            {t('templateAdmin.placeholders')} <code>{TEMPLATE_PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ')}</code>
          </p>
          {draft.channel === 'whatsapp' && (
            <fieldset>
              <legend>{t('templateAdmin.waSection')}</legend>
              {!draft.waName.trim() && (
                <p className="error-text" data-testid="tpl-unapproved">
                  {t('messaging.unapproved')}
                </p>
              )}
              <label>
                {t('templateAdmin.waName')}
                <input name="waName" className="mono" value={draft.waName} onChange={(e) => set({ waName: e.target.value })} />
              </label>
              <label>
                {t('templateAdmin.waLanguage')}
                <input name="waLanguage" className="mono" value={draft.waLanguage} onChange={(e) => set({ waLanguage: e.target.value })} />
              </label>
              <label>
                {t('templateAdmin.waLanguageByCountry')}
                <textarea
                  name="waByCountry"
                  className="mono"
                  rows={2}
                  value={draft.waByCountry}
                  onChange={(e) => set({ waByCountry: e.target.value })}
                />
              </label>
              <label>
                {t('templateAdmin.waParams')}
                <input
                  name="waParams"
                  className="mono"
                  value={draft.waParams}
                  onChange={(e) => set({ waParams: e.target.value })}
                  placeholder="nombre, monto, link"
                />
              </label>
            </fieldset>
          )}
          <label className="inline">
            <input type="checkbox" name="active" checked={draft.active} onChange={(e) => set({ active: e.target.checked })} />
            {t('templateAdmin.activeLabel')}
          </label>

          <div className="msg-preview" aria-label={t('templateAdmin.preview')} data-testid="tpl-preview">
            <p className="muted small">{t('templateAdmin.preview')}</p>
            {draft.channel === 'email' && (
              <p data-testid="tpl-preview-subject">
                <strong>{renderSubject(draft.subject, vars)}</strong>
              </p>
            )}
            <p style={{ whiteSpace: 'pre-wrap' }} data-testid="tpl-preview-body">
              {previewBody}
            </p>
            {draft.channel === 'sms' && (
              <p className={segments > 1 ? 'error-text' : 'muted small'} data-testid="tpl-sms-length">
                {t('templateAdmin.smsLength', { count: previewBody.length, segments })}
                {segments > 1 && ` — ${t('templateAdmin.smsLong', { segments })}`}
              </p>
            )}
          </div>

          {problems.length > 0 && (
            <ul className="field-error" data-testid="tpl-problems">
              {problems.map((p, i) => (
                <li key={i} data-field={p.field}>
                  {fieldLabel(t, p.field)}: {p.text}
                </li>
              ))}
            </ul>
          )}
          <div className="row">
            <button type="submit" className="primary" disabled={busy || problems.length > 0} data-testid="tpl-save">
              {busy ? t('common.saving') : draft.id ? t('templateAdmin.save') : t('templateAdmin.create')}
            </button>
            <button
              type="button"
              onClick={() => {
                setDraft(null);
                setError(null);
              }}
            >
              {t('templateAdmin.cancel')}
            </button>
          </div>
        </form>
      )}
      {saved && (
        <p className="ok-text" role="status" data-testid="tpl-saved">
          {t('templateAdmin.saved')}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="tpl-error" data-field={error.field ?? ''}>
          {error.field ? `${error.field}: ` : ''}
          {errorText(t, error)}
        </p>
      )}

      <h3>{t('templateAdmin.audit')}</h3>
      <table className="audit" data-testid="tpl-audit">
        <thead>
          <tr>
            <th>{t('admin.when')}</th>
            <th>{t('admin.who')}</th>
            <th>{t('templateAdmin.template')}</th>
            <th>{t('admin.changed')}</th>
          </tr>
        </thead>
        <tbody>
          {audit.map((e) => (
            <tr key={e.seq} data-testid="tpl-audit-row">
              <td>{formatDateTime(e.at, localZone(), i18n.language)}</td>
              <td>{e.username}</td>
              <td>{names.get(e.templateId) ?? e.after.name}</td>
              <td title={`${JSON.stringify(e.before)} → ${JSON.stringify(e.after)}`}>{t(`templateAdmin.action.${e.action}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
