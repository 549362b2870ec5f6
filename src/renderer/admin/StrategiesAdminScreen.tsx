import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ZodIssue } from 'zod';
import { Plus } from 'lucide-react';
import type { Segment } from '../../shared/domain/enums';
import { StrategyInput, type Simulation, type Strategy } from '../../shared/domain/strategy';
import { getApi } from '../api';
import { formatCalendarDate } from '../lib/datetime';
import { errorText } from '../lib/errors';
import { useAction, useLoad } from '../lib/useAction';
import { needsTemplate, StrategyStepRow, type StepDraft } from './StrategyStepRow';

const SEGMENTS: readonly Segment[] = ['low', 'medium', 'high'];
const SIM_DAYS = 30;

interface Draft {
  id: string | null;
  name: string;
  active: boolean;
  rank: number;
  segments: Segment[];
  products: string;
  countries: string;
  dpdMin: string;
  dpdMax: string;
  steps: StepDraft[];
  /** Kept as saved: the challenger ladder is not edited here. */
  challenger: Strategy['challenger'];
}

/** A key no other step of the ladder has: the run ledger keys on it, so an existing step keeps its own. */
function freshKey(steps: StepDraft[]): string {
  for (let n = steps.length + 1; ; n++) if (!steps.some((s) => s.key === `paso-${n}`)) return `paso-${n}`;
}

function newStep(steps: StepDraft[]): StepDraft {
  const last = steps[steps.length - 1];
  return {
    key: freshKey(steps),
    day: last ? String(Number(last.day || 0) + 3) : '0',
    anchor: 'due_date',
    action: 'sms',
    templateId: '',
    validDays: '2',
    conditions: { minBalanceMinor: null, segments: [] },
  };
}

const EMPTY: Draft = {
  id: null,
  name: '',
  active: false,
  rank: 100,
  segments: [],
  products: '',
  countries: '',
  dpdMin: '',
  dpdMax: '',
  steps: [],
  challenger: null,
};

function toDraft(s: Strategy): Draft {
  return {
    id: s.id,
    name: s.name,
    active: s.active,
    rank: s.rank,
    segments: [...s.scope.segments],
    products: s.scope.products.join(', '),
    countries: s.scope.countries.join(', '),
    dpdMin: s.scope.dpdMin === null ? '' : String(s.scope.dpdMin),
    dpdMax: s.scope.dpdMax === null ? '' : String(s.scope.dpdMax),
    steps: s.steps.map((st) => ({
      key: st.key,
      day: String(st.day),
      anchor: st.anchor,
      action: st.action,
      templateId: st.templateId ?? '',
      validDays: String(st.validDays),
      conditions: st.conditions,
    })),
    challenger: s.challenger,
  };
}

const list = (text: string) =>
  text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
/** Empty → null; anything else a number (NaN when not one, which the schema refuses beside the field). */
const num = (text: string) => (text.trim() === '' ? null : Number(text.trim()));

function toInput(d: Draft): StrategyInput {
  return {
    name: d.name,
    active: d.active,
    rank: d.rank,
    scope: {
      segments: d.segments,
      products: list(d.products),
      countries: list(d.countries).map((c) => c.toUpperCase()),
      dpdMin: num(d.dpdMin),
      dpdMax: num(d.dpdMax),
    },
    steps: d.steps.map((s) => ({
      key: s.key,
      anchor: s.anchor,
      day: num(s.day) ?? Number.NaN,
      action: s.action,
      templateId: needsTemplate(s.action) ? s.templateId || null : null,
      validDays: num(s.validDays) ?? Number.NaN,
      conditions: s.conditions,
    })),
    challenger: d.challenger,
  };
}

/** A schema issue in the admin's language (the shared schema words its own checks in English). */
function issueText(t: TFunction, issue: ZodIssue): string {
  const path = issue.path.join('.');
  if (issue.code === 'custom') {
    if (path.endsWith('templateId')) return t('strategies.issue.templateRequired');
    if (path === 'scope.dpdMax') return t('strategies.issue.dpdOrder');
    return t('strategies.issue.invalid');
  }
  if (issue.code === 'too_small') {
    if (path === 'name') return t('strategies.issue.required');
    if (path === 'steps') return t('strategies.issue.noSteps');
    return t('strategies.issue.min', { min: issue.minimum });
  }
  if (issue.code === 'too_big') return path === 'name' ? t('strategies.issue.tooLong') : t('strategies.issue.max', { max: issue.maximum });
  if (issue.code === 'invalid_type') return t('strategies.issue.number');
  if (issue.code === 'invalid_format' && path.startsWith('scope.countries')) return t('strategies.issue.country');
  return t('strategies.issue.invalid');
}

/**
 * The administrators' collection strategies: the list, a form for one (scope, the ladder of steps,
 * on or off) checked with the shared schema as the admin types, and a simulation against today's
 * portfolio of what it would send, wait for or hold back, and why, before it is switched on.
 * Online only: the server checks again (templates included), records a revision and runs it.
 */
export function StrategiesAdminScreen() {
  const { t, i18n } = useTranslation();
  const [reload, setReload] = useState(0);
  const { data, error: loadError } = useLoad(() => Promise.all([getApi().listStrategies(), getApi().listOrgTemplates()]), [reload]);
  const [strategies, templates] = data ?? [null, []];
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [sim, setSim] = useState<Simulation | null>(null);
  const save = useAction();
  const simulate = useAction();

  const input = draft ? toInput(draft) : null;
  const checked = input ? StrategyInput.safeParse(input) : null;
  // the shared schema's verdict beside each field, as the admin types (first problem per field)
  const issues = new Map<string, string>();
  if (checked && !checked.success)
    for (const i of checked.error.issues) {
      const p = i.path.join('.');
      if (!issues.has(p)) issues.set(p, issueText(t, i));
    }
  const serverError = save.error ?? simulate.error;

  const set = (patch: Partial<Draft>) => {
    setDraft((d) => (d ? { ...d, ...patch } : d));
    setSim(null);
    setSaved(null);
    // the server's last refusal was about the form as it was
    save.setError(null);
    simulate.setError(null);
  };
  const setStep = (i: number, patch: Partial<StepDraft>) => set({ steps: draft!.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) });

  const open = (d: Draft) => {
    setDraft(d);
    setSim(null);
    setSaved(null);
    save.setError(null);
    simulate.setError(null);
  };

  const onSave = async () => {
    if (!draft || !checked?.success) return;
    const body = checked.data;
    await save.run(async () => {
      const result = draft.id ? await getApi().updateStrategy({ id: draft.id, strategy: body }) : await getApi().createStrategy(body);
      setDraft(null);
      setSim(null);
      setSaved(result.name);
      setReload((n) => n + 1);
    });
  };
  const onSimulate = async () => {
    if (!checked?.success) return;
    const body = checked.data;
    setSim(null);
    await simulate.run(async () => setSim(await getApi().simulateStrategy({ strategy: body, days: SIM_DAYS })));
  };

  const bad = (path: string) => issues.has(path) || serverError?.field === path || undefined;
  /** A problem beside its field: the schema's as typed, or the server's when it names this field. */
  const fieldError = (path: string) => {
    const text = issues.get(path) ?? (serverError?.field === path ? errorText(t, serverError) : null);
    return text ? (
      <span className="field-error" data-field={path}>
        {text}
      </span>
    ) : null;
  };
  const scopeText = (s: Strategy) => {
    const parts = [
      s.scope.segments.length ? s.scope.segments.map((x) => t(`segment.${x}`)).join(', ') : null,
      s.scope.products.length ? s.scope.products.join(', ') : null,
      s.scope.countries.length ? s.scope.countries.join(', ') : null,
      s.scope.dpdMin !== null || s.scope.dpdMax !== null
        ? t('strategies.dpdRange', { min: s.scope.dpdMin ?? '…', max: s.scope.dpdMax ?? '…' })
        : null,
    ].filter(Boolean);
    return parts.length ? parts.join(' · ') : t('strategies.allAccounts');
  };
  const lang = i18n.language.startsWith('en') ? 'en' : 'es';

  return (
    <section className="card admin-strategies" aria-labelledby="strat-title" data-testid="strategies-admin">
      <h2 id="strat-title">{t('strategies.title')}</h2>
      <p className="muted">{t('strategies.help')}</p>
      {loadError && (
        <p className="form-error" role="alert">
          {errorText(t, loadError)}
        </p>
      )}
      {data === null && !loadError && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {saved && (
        <p className="form-success" role="status" data-testid="strategy-saved">
          {t('strategies.saved', { name: saved })}
        </p>
      )}
      {strategies && (
        <table className="table strat-list" data-testid="strategy-list">
          <caption className="sr-only">{t('strategies.listCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('strategies.name')}</th>
              <th scope="col">{t('strategies.scope')}</th>
              <th scope="col">{t('strategies.state')}</th>
              <th scope="col">{t('strategies.stepsCol')}</th>
              <th scope="col">
                <span className="sr-only">{t('strategies.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {strategies.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  {t('strategies.empty')}
                </td>
              </tr>
            )}
            {strategies.map((s) => (
              <tr key={s.id} data-testid="strategy-row" data-name={s.name} data-active={s.active} aria-selected={draft?.id === s.id}>
                <th scope="row">{s.name}</th>
                <td>{scopeText(s)}</td>
                <td>
                  {s.active ? (
                    <span className="chip chip-ok">{t('strategies.on')}</span>
                  ) : (
                    <span className="chip chip-pending">{t('strategies.off')}</span>
                  )}
                </td>
                <td data-testid="strategy-steps">{t('strategies.stepCount', { count: s.steps.length })}</td>
                <td className="strat-actions">
                  <button type="button" className="small" data-testid="strategy-edit" onClick={() => open(toDraft(s))}>
                    {t('strategies.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {strategies && !draft && (
        <button type="button" className="with-icon" data-testid="strategy-new" onClick={() => open({ ...EMPTY, steps: [newStep([])] })}>
          <Plus size={14} aria-hidden="true" />
          {t('strategies.new')}
        </button>
      )}

      {draft && (
        <form
          className="strat-editor"
          data-testid="strategy-editor"
          aria-labelledby="strat-editor-title"
          onSubmit={(e) => {
            e.preventDefault();
            void onSave();
          }}
        >
          <h3 id="strat-editor-title">{draft.id ? draft.name || t('strategies.strategy') : t('strategies.new')}</h3>
          <div className="strat-grid">
            <label>
              {t('strategies.name')}
              <input name="name" aria-invalid={bad('name')} value={draft.name} onChange={(e) => set({ name: e.target.value })} />
              {fieldError('name')}
            </label>
            <label className="inline">
              <input type="checkbox" name="active" checked={draft.active} onChange={(e) => set({ active: e.target.checked })} />
              {t('strategies.activeLabel')}
            </label>
          </div>
          <fieldset>
            <legend>{t('strategies.scope')}</legend>
            <p className="muted small">{t('strategies.scopeHelp')}</p>
            <div className="strat-grid">
              <div role="group" aria-label={t('strategies.segments')} className="strat-segments">
                <span>{t('strategies.segments')}</span>
                {SEGMENTS.map((sg) => (
                  <label key={sg} className="inline">
                    <input
                      type="checkbox"
                      name={`segment-${sg}`}
                      checked={draft.segments.includes(sg)}
                      onChange={(e) =>
                        set({ segments: e.target.checked ? [...draft.segments, sg] : draft.segments.filter((x) => x !== sg) })
                      }
                    />
                    {t(`segment.${sg}`)}
                  </label>
                ))}
              </div>
              <label>
                {t('strategies.products')}
                <input
                  name="products"
                  value={draft.products}
                  placeholder={t('strategies.listPlaceholder')}
                  onChange={(e) => set({ products: e.target.value })}
                />
                {fieldError('scope.products')}
              </label>
              <label>
                {t('strategies.countries')}
                <input name="countries" value={draft.countries} placeholder="CO, MX" onChange={(e) => set({ countries: e.target.value })} />
                {[...issues.keys()]
                  .filter((k) => k.startsWith('scope.countries'))
                  .slice(0, 1)
                  .map((k) => (
                    <span key={k} className="field-error" data-field="scope.countries">
                      {issues.get(k)}
                    </span>
                  ))}
              </label>
              <label>
                {t('strategies.dpdMin')}
                <input
                  name="dpdMin"
                  aria-invalid={bad('scope.dpdMin')}
                  inputMode="numeric"
                  value={draft.dpdMin}
                  onChange={(e) => set({ dpdMin: e.target.value })}
                />
                {fieldError('scope.dpdMin')}
              </label>
              <label>
                {t('strategies.dpdMax')}
                <input
                  name="dpdMax"
                  aria-invalid={bad('scope.dpdMax')}
                  inputMode="numeric"
                  value={draft.dpdMax}
                  onChange={(e) => set({ dpdMax: e.target.value })}
                />
                {fieldError('scope.dpdMax')}
              </label>
            </div>
          </fieldset>

          <fieldset>
            <legend>{t('strategies.steps')}</legend>
            <p className="muted small">{t('strategies.stepsHelp')}</p>
            <table className="table strat-steps" data-testid="strategy-steps-table">
              <thead>
                <tr>
                  <th scope="col">{t('strategies.day')}</th>
                  <th scope="col">{t('strategies.anchor')}</th>
                  <th scope="col">{t('strategies.action')}</th>
                  <th scope="col">{t('strategies.template')}</th>
                  <th scope="col">{t('strategies.validDays')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('strategies.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {draft.steps.map((s, i) => (
                  <StrategyStepRow
                    key={s.key}
                    step={s}
                    index={i}
                    templates={templates}
                    bad={bad}
                    fieldError={fieldError}
                    onChange={(patch) => setStep(i, patch)}
                    onRemove={() => set({ steps: draft.steps.filter((_, j) => j !== i) })}
                  />
                ))}
              </tbody>
            </table>
            {fieldError('steps')}
            <button
              type="button"
              className="small with-icon"
              data-testid="strategy-step-add"
              onClick={() => set({ steps: [...draft.steps, newStep(draft.steps)] })}
            >
              <Plus size={14} aria-hidden="true" />
              {t('strategies.addStep')}
            </button>
          </fieldset>

          {serverError && !(serverError.field && /^(name|scope\.|steps\.)/.test(serverError.field) && fieldError(serverError.field)) && (
            <p className="field-error" role="alert" data-testid="strategy-error">
              {errorText(t, serverError)}
            </p>
          )}
          <div className="form-actions">
            <button
              type="button"
              disabled={simulate.busy || !checked?.success}
              data-testid="strategy-simulate"
              onClick={() => void onSimulate()}
            >
              {simulate.busy ? t('strategies.simulating') : t('strategies.simulate')}
            </button>
            <button type="submit" className="primary" disabled={save.busy || !checked?.success} data-testid="strategy-save">
              {save.busy ? t('common.saving') : t('strategies.save')}
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              {t('common.cancel')}
            </button>
          </div>

          {sim && <SimulationView sim={sim} lang={lang} />}
        </form>
      )}
    </section>
  );
}

/** The simulation: by day and channel, what would go, wait or be held back; then why, counted. */
function SimulationView({ sim, lang }: { sim: Simulation; lang: 'es' | 'en' }) {
  const { t, i18n } = useTranslation();
  const cells = [...sim.cells].sort((a, b) => a.date.localeCompare(b.date) || a.action.localeCompare(b.action));
  const total = (k: 'sent' | 'waited' | 'held') => cells.reduce((n, c) => n + c[k], 0);
  return (
    <div className="strat-sim" data-testid="strategy-simulation" role="region" aria-labelledby="strat-sim-title">
      <h4 id="strat-sim-title">{t('strategies.simTitle', { count: sim.days })}</h4>
      <p className="muted small" data-testid="strategy-sim-summary">
        {t('strategies.simSummary', { count: sim.accounts, from: formatCalendarDate(sim.from, i18n.language) })}
      </p>
      {cells.length === 0 ? (
        <p className="muted" data-testid="strategy-sim-empty">
          {t('strategies.simEmpty')}
        </p>
      ) : (
        <table className="table strat-sim-table" data-testid="strategy-sim-table">
          <caption className="sr-only">{t('strategies.simCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('strategies.date')}</th>
              <th scope="col">{t('strategies.action')}</th>
              <th scope="col" className="num">
                {t('strategies.sent')}
              </th>
              <th scope="col" className="num">
                {t('strategies.waited')}
              </th>
              <th scope="col" className="num">
                {t('strategies.held')}
              </th>
            </tr>
          </thead>
          <tbody>
            {cells.map((c) => (
              <tr key={`${c.date}-${c.action}`} data-testid="strategy-sim-row" data-date={c.date} data-action={c.action}>
                <td>{formatCalendarDate(c.date, i18n.language)}</td>
                <td>{t(`strategies.act.${c.action}`)}</td>
                <td className="num">{c.sent}</td>
                <td className="num">{c.waited}</td>
                <td className="num">{c.held}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="strategy-sim-total">
              <th scope="row" colSpan={2}>
                {t('strategies.total')}
              </th>
              <td className="num">{total('sent')}</td>
              <td className="num">{total('waited')}</td>
              <td className="num">{total('held')}</td>
            </tr>
          </tfoot>
        </table>
      )}
      {sim.heldReasons.length > 0 && (
        <>
          <h5>{t('strategies.heldReasons')}</h5>
          <table className="table strat-reasons" data-testid="strategy-sim-reasons">
            <thead>
              <tr>
                <th scope="col">{t('strategies.reason')}</th>
                <th scope="col" className="num">
                  {t('strategies.times')}
                </th>
              </tr>
            </thead>
            <tbody>
              {sim.heldReasons.map((r) => (
                <tr key={r.code} data-testid="strategy-sim-reason" data-code={r.code}>
                  <td>{r[lang]}</td>
                  <td className="num">{r.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
