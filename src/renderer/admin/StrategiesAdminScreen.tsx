import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Plus } from 'lucide-react';
import type { Segment } from '../../shared/domain/enums';
import { StrategyInput, type Simulation, type Strategy } from '../../shared/domain/strategy';
import { getApi } from '../api';
import { errorText } from '../lib/errors';
import { useAction, useLoad } from '../lib/useAction';
import { ContactCostsEditor } from './ContactCostsEditor';
import { newStep, StrategyLadder } from './StrategyLadder';
import { StrategyResultsView } from './StrategyResultsView';
import { SimulationView } from './StrategySimulationView';
import { EMPTY, issueText, SEGMENTS, toDraft, toInput, type Draft } from './strategy-draft';

const SIM_DAYS = 30;

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
  const [resultsReload, setResultsReload] = useState(0);

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
            <StrategyLadder
              path="steps"
              steps={draft.steps}
              templates={templates}
              bad={bad}
              fieldError={fieldError}
              onChange={(steps) => set({ steps })}
            />
          </fieldset>

          <fieldset data-testid="challenger-editor">
            <legend>{t('strategies.challenger.title')}</legend>
            <p className="muted small">{t('strategies.challenger.help')}</p>
            <div className="strat-grid">
              <label className="inline">
                <input
                  type="checkbox"
                  name="challengerOn"
                  checked={draft.challengerOn}
                  onChange={(e) =>
                    set({
                      challengerOn: e.target.checked,
                      challengerSteps: e.target.checked && !draft.challengerSteps.length ? [newStep([], 'retador')] : draft.challengerSteps,
                    })
                  }
                />
                {t('strategies.challenger.on')}
              </label>
              {draft.challengerOn && (
                <label>
                  {t('strategies.challenger.share')}
                  <input
                    name="sharePercent"
                    className="num"
                    inputMode="numeric"
                    aria-invalid={bad('challenger.sharePercent')}
                    value={draft.sharePercent}
                    onChange={(e) => set({ sharePercent: e.target.value })}
                  />
                  {fieldError('challenger.sharePercent')}
                </label>
              )}
            </div>
            {draft.challengerOn && (
              <>
                <StrategyLadder
                  path="challenger.steps"
                  steps={draft.challengerSteps}
                  templates={templates}
                  bad={bad}
                  fieldError={fieldError}
                  onChange={(challengerSteps) => set({ challengerSteps })}
                />
                <button
                  type="button"
                  className="small"
                  data-testid="challenger-copy"
                  onClick={() => set({ challengerSteps: draft.steps.map((st, i) => ({ ...st, key: `retador-${i + 1}` })) })}
                >
                  {t('strategies.challenger.copy')}
                </button>
              </>
            )}
          </fieldset>

          {serverError &&
            !(serverError.field && /^(name|scope\.|steps\.|challenger\.)/.test(serverError.field) && fieldError(serverError.field)) && (
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
          {draft.id && <StrategyResultsView strategyId={draft.id} reload={resultsReload} />}
        </form>
      )}
      {strategies && <ContactCostsEditor onSaved={() => setResultsReload((n) => n + 1)} />}
    </section>
  );
}
