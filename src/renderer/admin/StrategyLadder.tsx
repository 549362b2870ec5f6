import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Plus } from 'lucide-react';
import type { OrgMessageTemplate } from '../../shared/domain/messaging';
import { StrategyStepRow, type StepDraft } from './StrategyStepRow';

/** A key no other step of the ladder has: the run ledger keys on it, so an existing step keeps its own. */
function freshKey(steps: readonly StepDraft[], prefix: string): string {
  for (let n = steps.length + 1; ; n++) if (!steps.some((s) => s.key === `${prefix}-${n}`)) return `${prefix}-${n}`;
}

export function newStep(steps: readonly StepDraft[], prefix = 'paso'): StepDraft {
  const last = steps[steps.length - 1];
  return {
    key: freshKey(steps, prefix),
    day: last ? String(Number(last.day || 0) + 3) : '0',
    anchor: 'due_date',
    action: 'sms',
    templateId: '',
    validDays: '2',
    minBalance: '',
    segments: [],
  };
}

interface Props {
  /** The schema's path of this ladder: steps, or challenger.steps. */
  path: 'steps' | 'challenger.steps';
  steps: readonly StepDraft[];
  templates: readonly OrgMessageTemplate[];
  bad: (path: string) => true | undefined;
  fieldError: (path: string) => ReactNode;
  onChange: (steps: StepDraft[]) => void;
}

/** One ladder of steps (the champion's or the challenger's): a row per step, and adding one. */
export function StrategyLadder({ path, steps, templates, bad, fieldError, onChange }: Props) {
  const { t } = useTranslation();
  const challenger = path === 'challenger.steps';
  return (
    <>
      <table className="table strat-steps" data-testid={challenger ? 'challenger-steps-table' : 'strategy-steps-table'}>
        <thead>
          <tr>
            <th scope="col">{t('strategies.day')}</th>
            <th scope="col">{t('strategies.anchor')}</th>
            <th scope="col">{t('strategies.action')}</th>
            <th scope="col">{t('strategies.template')}</th>
            <th scope="col">{t('strategies.validDays')}</th>
            <th scope="col">{t('strategies.minBalance')}</th>
            <th scope="col">{t('strategies.stepSegments')}</th>
            <th scope="col">
              <span className="sr-only">{t('strategies.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s, i) => (
            <StrategyStepRow
              key={s.key}
              path={path}
              step={s}
              index={i}
              templates={templates}
              bad={bad}
              fieldError={fieldError}
              onChange={(patch) => onChange(steps.map((x, j) => (j === i ? { ...x, ...patch } : x)))}
              onRemove={() => onChange(steps.filter((_, j) => j !== i))}
            />
          ))}
        </tbody>
      </table>
      {fieldError(path)}
      <button
        type="button"
        className="small with-icon"
        data-testid={challenger ? 'challenger-step-add' : 'strategy-step-add'}
        onClick={() => onChange([...steps, newStep(steps, challenger ? 'retador' : 'paso')])}
      >
        <Plus size={14} aria-hidden="true" />
        {t('strategies.addStep')}
      </button>
    </>
  );
}
