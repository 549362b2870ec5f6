import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Trash2 } from 'lucide-react';
import type { OrgMessageTemplate } from '../../shared/domain/messaging';
import { MESSAGE_ACTIONS, StepAction, StepAnchor, type StrategyStep } from '../../shared/domain/strategy';

/** One rung of the ladder as the admin types it (numbers as text until saved). */
export interface StepDraft {
  key: string;
  day: string;
  anchor: StepAnchor;
  action: StepAction;
  templateId: string;
  validDays: string;
  /** Kept from the saved step: the form does not edit per-step conditions. */
  conditions: StrategyStep['conditions'];
}

export const needsTemplate = (a: StepAction) => (MESSAGE_ACTIONS as readonly string[]).includes(a) || a === 'letter';

interface Props {
  step: StepDraft;
  index: number;
  templates: readonly OrgMessageTemplate[];
  /** The screen's field checks, by the schema's path (steps.<i>.<field>). */
  bad: (path: string) => true | undefined;
  fieldError: (path: string) => ReactNode;
  onChange: (patch: Partial<StepDraft>) => void;
  onRemove: () => void;
}

/** One step of the strategy editor's ladder: day, anchor, action, template, validity, remove. */
export function StrategyStepRow({ step: s, index: i, templates, bad, fieldError, onChange, onRemove }: Props) {
  const { t } = useTranslation();
  const usable = templates.filter((tp) => tp.active && (s.action === 'letter' || tp.channel === s.action));
  const n = i + 1;
  const label = (field: string) => t('strategies.stepField', { n, field: t(`strategies.${field}`) });
  // the two numeric cells (day, validity window) differ only in their field
  const numberCell = (field: 'day' | 'validDays') => (
    <td>
      <input
        name={field}
        aria-invalid={bad(`steps.${i}.${field}`)}
        className="num"
        inputMode="numeric"
        aria-label={label(field)}
        value={s[field]}
        onChange={(e) => onChange({ [field]: e.target.value })}
      />
      {fieldError(`steps.${i}.${field}`)}
    </td>
  );
  return (
    <tr data-testid="strategy-step" data-key={s.key}>
      {numberCell('day')}
      <td>
        <select
          name="anchor"
          aria-label={label('anchor')}
          value={s.anchor}
          onChange={(e) => onChange({ anchor: e.target.value as StepAnchor })}
        >
          {StepAnchor.options.map((a) => (
            <option key={a} value={a}>
              {t(`strategies.anchors.${a}`)}
            </option>
          ))}
        </select>
      </td>
      <td>
        <select
          name="action"
          aria-label={label('action')}
          value={s.action}
          onChange={(e) => onChange({ action: e.target.value as StepAction, templateId: '' })}
        >
          {StepAction.options.map((a) => (
            <option key={a} value={a}>
              {t(`strategies.act.${a}`)}
            </option>
          ))}
        </select>
      </td>
      <td>
        {needsTemplate(s.action) ? (
          <select
            name="template"
            aria-invalid={bad(`steps.${i}.templateId`)}
            aria-label={label('template')}
            value={s.templateId}
            onChange={(e) => onChange({ templateId: e.target.value })}
          >
            <option value="">{t('strategies.chooseTemplate')}</option>
            {usable.map((tp) => (
              <option key={tp.id} value={tp.id}>
                {tp.name}
              </option>
            ))}
          </select>
        ) : (
          <span className="muted">{t('strategies.noTemplate')}</span>
        )}
        {fieldError(`steps.${i}.templateId`)}
      </td>
      {numberCell('validDays')}
      <td>
        <button
          type="button"
          className="small icon-only"
          data-testid="strategy-step-remove"
          aria-label={t('strategies.removeStep', { n })}
          title={t('strategies.removeStep', { n })}
          onClick={onRemove}
        >
          <Trash2 size={14} aria-hidden="true" />
        </button>
      </td>
    </tr>
  );
}
