import type { TFunction } from 'i18next';
import type { ZodIssue } from 'zod';
import type { Segment } from '../../shared/domain/enums';
import type { Strategy, StrategyInput, StrategyStep } from '../../shared/domain/strategy';
import { needsTemplate, type StepDraft } from './StrategyStepRow';

/** The strategy form as the admin types it (numbers as text), and its conversions to and from the shared schema. */
export const SEGMENTS: readonly Segment[] = ['low', 'medium', 'high'];

export interface Draft {
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
  /** The challenger ladder a stable share of the accounts follows; off = no challenger. */
  challengerOn: boolean;
  sharePercent: string;
  challengerSteps: StepDraft[];
}

export const EMPTY: Draft = {
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
  challengerOn: false,
  sharePercent: '10',
  challengerSteps: [],
};

const stepDraft = (st: StrategyStep): StepDraft => ({
  key: st.key,
  day: String(st.day),
  anchor: st.anchor,
  action: st.action,
  templateId: st.templateId ?? '',
  validDays: String(st.validDays),
  minBalance: st.conditions.minBalanceMinor === null ? '' : String(st.conditions.minBalanceMinor),
  segments: [...st.conditions.segments],
});

export function toDraft(s: Strategy): Draft {
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
    steps: s.steps.map(stepDraft),
    challengerOn: s.challenger !== null,
    sharePercent: String(s.challenger?.sharePercent ?? 10),
    challengerSteps: (s.challenger?.steps ?? []).map(stepDraft),
  };
}

const list = (text: string) =>
  text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
/** Empty → null; anything else a number (NaN when not one, which the schema refuses beside the field). */
const num = (text: string) => (text.trim() === '' ? null : Number(text.trim()));

const stepInput = (s: StepDraft) => ({
  key: s.key,
  anchor: s.anchor,
  day: num(s.day) ?? Number.NaN,
  action: s.action,
  templateId: needsTemplate(s.action) ? s.templateId || null : null,
  validDays: num(s.validDays) ?? Number.NaN,
  conditions: { minBalanceMinor: num(s.minBalance), segments: s.segments },
});

export function toInput(d: Draft): StrategyInput {
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
    steps: d.steps.map(stepInput),
    challenger: d.challengerOn ? { sharePercent: num(d.sharePercent) ?? Number.NaN, steps: d.challengerSteps.map(stepInput) } : null,
  };
}

/** A schema issue in the admin's language (the shared schema words its own checks in English). */
export function issueText(t: TFunction, issue: ZodIssue): string {
  const path = issue.path.join('.');
  if (issue.code === 'custom') {
    if (path.endsWith('templateId')) return t('strategies.issue.templateRequired');
    if (path === 'scope.dpdMax') return t('strategies.issue.dpdOrder');
    return t('strategies.issue.invalid');
  }
  if (issue.code === 'too_small') {
    if (path === 'name') return t('strategies.issue.required');
    if (path === 'steps' || path === 'challenger.steps') return t('strategies.issue.noSteps');
    return t('strategies.issue.min', { min: issue.minimum });
  }
  if (issue.code === 'too_big') return path === 'name' ? t('strategies.issue.tooLong') : t('strategies.issue.max', { max: issue.maximum });
  if (issue.code === 'invalid_type') return t('strategies.issue.number');
  if (issue.code === 'invalid_format' && path.startsWith('scope.countries')) return t('strategies.issue.country');
  return t('strategies.issue.invalid');
}
