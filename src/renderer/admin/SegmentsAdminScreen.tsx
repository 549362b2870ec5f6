import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ZodIssue } from 'zod';
import type { Segment } from '../../shared/domain/enums';
import type { SegmentPreview } from '../../shared/api/habits-routes';
import { SegmentRules, type SegmentRule } from '../../shared/rules/segments';
import { getApi } from '../api';
import { errorText } from '../lib/errors';
import { useAction, useLoad } from '../lib/useAction';

const SEGMENTS: readonly Segment[] = ['low', 'medium', 'high'];
const FIELDS = ['dpd', 'balanceUsd', 'promisesBroken', 'score', 'product', 'country', 'fileSegment'] as const;
type Field = (typeof FIELDS)[number];
const LIST_FIELDS: ReadonlySet<Field> = new Set(['product', 'country', 'fileSegment']);

interface CondDraft {
  field: Field;
  min: string;
  max: string;
  values: string;
}
interface RuleDraft {
  name: string;
  segment: Segment;
  conditions: CondDraft[];
}

const num = (s: string) => (s.trim() === '' ? null : Number(s.replace(',', '.')));

function toInput(rules: RuleDraft[]): unknown {
  return rules.map((r) => ({
    name: r.name,
    segment: r.segment,
    conditions: r.conditions.map((c) =>
      LIST_FIELDS.has(c.field)
        ? {
            field: c.field,
            in: c.values
              .split(',')
              .map((v) => v.trim())
              .map((v) => (c.field === 'country' ? v.toUpperCase() : v))
              .filter(Boolean),
          }
        : { field: c.field, min: num(c.min), max: num(c.max) },
    ),
  }));
}

function toDraft(rules: SegmentRule[]): RuleDraft[] {
  return rules.map((r) => ({
    name: r.name,
    segment: r.segment,
    conditions: r.conditions.map((c) =>
      'in' in c
        ? { field: c.field, min: '', max: '', values: c.in.join(', ') }
        : { field: c.field, min: c.min === null ? '' : String(c.min), max: c.max === null ? '' : String(c.max), values: '' },
    ),
  }));
}

function issueText(t: TFunction, issue: ZodIssue): string {
  const path = issue.path.map(String);
  const last = path.at(-1);
  if (issue.code === 'too_small') return last === 'name' ? t('segments.issue.required') : t('segments.issue.noConditions');
  if (issue.code === 'custom') {
    if (last === 'name') return t('segments.issue.duplicate');
    if (last === 'max') return t('segments.issue.order');
    if (issue.message.includes('score')) return t('segments.issue.scoreBand');
    return t('segments.issue.range');
  }
  return t('segments.issue.invalid');
}

/**
 * The segmentation rules (docs/contact-habits.md): an ordered list, checked with the shared schema
 * as the admin types (the problem beside its field), a preview of how many of today's debtors
 * each rule takes, and the save (audited on the server). The habits job applies them.
 */
export function SegmentsAdminScreen() {
  const { t } = useTranslation();
  const [reload, setReload] = useState(0);
  const [draft, setDraft] = useState<RuleDraft[] | null>(null);
  const { data, error: loadError } = useLoad(async () => {
    const state = await getApi().getSegmentRules();
    setDraft(toDraft(state.rules));
    return state;
  }, [reload]);
  const [preview, setPreview] = useState<SegmentPreview | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const save = useAction();
  const look = useAction();
  const rules = draft ?? [];
  const checked = SegmentRules.safeParse(toInput(rules));
  const issues = new Map<string, string>();
  if (!checked.success)
    for (const i of checked.error.issues) {
      const p = i.path.join('.');
      if (!issues.has(p)) issues.set(p, issueText(t, i));
    }
  const serverError = save.error ?? look.error;
  const fieldError = (path: string) => {
    const text = issues.get(path) ?? (serverError?.field === `rules.${path}` ? errorText(t, serverError) : null);
    return text ? (
      <span className="field-error" data-field={path}>
        {text}
      </span>
    ) : null;
  };
  const change = (next: RuleDraft[]) => {
    setDraft(next);
    setPreview(null);
    setSaved(null);
    save.setError(null);
    look.setError(null);
  };
  const setRule = (i: number, patch: Partial<RuleDraft>) => change(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const setCond = (i: number, k: number, patch: Partial<CondDraft>) =>
    setRule(i, { conditions: rules[i]!.conditions.map((c, j) => (j === k ? { ...c, ...patch } : c)) });

  return (
    <section className="card admin-segments" aria-labelledby="seg-title" data-testid="segments-admin">
      <h2 id="seg-title">{t('segments.title')}</h2>
      <p className="muted">{t('segments.intro')}</p>
      {loadError && (
        <p className="form-error" role="alert">
          {errorText(t, loadError)}
        </p>
      )}
      {data && rules.length === 0 && <p className="muted">{t('segments.none')}</p>}
      {rules.map((r, i) => (
        <fieldset key={i} data-testid={`segment-rule-${i}`}>
          <legend>{t('segments.rule', { n: i + 1 })}</legend>
          <label>
            {t('segments.name')}
            <input value={r.name} onChange={(e) => setRule(i, { name: e.target.value })} data-testid={`segment-rule-name-${i}`} />
            {fieldError(`${i}.name`)}
          </label>
          <label>
            {t('segments.segment')}
            <select value={r.segment} onChange={(e) => setRule(i, { segment: e.target.value as Segment })}>
              {SEGMENTS.map((s) => (
                <option key={s} value={s}>
                  {t(`segment.${s}`)}
                </option>
              ))}
            </select>
          </label>
          {r.conditions.map((c, k) => (
            <div key={k} className="row" data-testid={`segment-cond-${i}-${k}`}>
              <label>
                {t('segments.field')}
                <select value={c.field} onChange={(e) => setCond(i, k, { field: e.target.value as Field })}>
                  {FIELDS.map((f) => (
                    <option key={f} value={f}>
                      {t(`segments.fields.${f}`)}
                    </option>
                  ))}
                </select>
              </label>
              {LIST_FIELDS.has(c.field) ? (
                <label>
                  {t('segments.values')}
                  <input value={c.values} onChange={(e) => setCond(i, k, { values: e.target.value })} />
                  {fieldError(`${i}.conditions.${k}.in`) ?? fieldError(`${i}.conditions.${k}.in.0`)}
                </label>
              ) : (
                <>
                  <label>
                    {t('segments.min')}
                    <input
                      inputMode="decimal"
                      value={c.min}
                      onChange={(e) => setCond(i, k, { min: e.target.value })}
                      data-testid={`segment-min-${i}-${k}`}
                    />
                    {fieldError(`${i}.conditions.${k}.min`)}
                  </label>
                  <label>
                    {t('segments.max')}
                    <input
                      inputMode="decimal"
                      value={c.max}
                      onChange={(e) => setCond(i, k, { max: e.target.value })}
                      data-testid={`segment-max-${i}-${k}`}
                    />
                    {fieldError(`${i}.conditions.${k}.max`)}
                  </label>
                </>
              )}
              <button type="button" className="small" onClick={() => setRule(i, { conditions: r.conditions.filter((_, j) => j !== k) })}>
                {t('segments.remove')}
              </button>
            </div>
          ))}
          {fieldError(`${i}.conditions`)}
          <div className="row">
            <button
              type="button"
              className="small"
              onClick={() => setRule(i, { conditions: [...r.conditions, { field: 'dpd', min: '', max: '', values: '' }] })}
            >
              {t('segments.addCondition')}
            </button>
            {i > 0 && (
              <button
                type="button"
                className="small"
                onClick={() => change([...rules.slice(0, i - 1), r, rules[i - 1]!, ...rules.slice(i + 1)])}
              >
                {t('segments.up')}
              </button>
            )}
            <button type="button" className="small" onClick={() => change(rules.filter((_, j) => j !== i))}>
              {t('segments.remove')}
            </button>
          </div>
        </fieldset>
      ))}
      <div className="row">
        <button
          type="button"
          onClick={() => change([...rules, { name: '', segment: 'high', conditions: [{ field: 'dpd', min: '', max: '', values: '' }] }])}
          data-testid="segment-add-rule"
        >
          {t('segments.addRule')}
        </button>
        <button
          type="button"
          disabled={!checked.success || look.busy}
          data-testid="segment-preview"
          onClick={() => checked.success && look.run(async () => setPreview(await getApi().previewSegments({ rules: checked.data })))}
        >
          {t('segments.preview')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!checked.success || save.busy}
          data-testid="segment-save"
          onClick={() =>
            checked.success &&
            save.run(async () => {
              const state = await getApi().saveSegmentRules({ rules: checked.data });
              setSaved(state.revision);
              setReload((n) => n + 1);
            })
          }
        >
          {t('segments.save')}
        </button>
      </div>
      {serverError && !serverError.field?.startsWith('rules.') && (
        <p className="field-error" role="alert">
          {errorText(t, serverError)}
        </p>
      )}
      {saved !== null && (
        <p role="status" data-testid="segment-saved">
          {t('segments.saved', { revision: saved })}
        </p>
      )}
      {preview && (
        <div role="status" data-testid="segment-preview-result">
          <p>{t('segments.previewResult', { ...preview.bySegment, debtors: preview.debtors, unmatched: preview.unmatched })}</p>
          <ul>
            {preview.byRule.map((r) => (
              <li key={r.name}>{t('segments.previewRule', { name: r.name, count: r.debtors })}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
