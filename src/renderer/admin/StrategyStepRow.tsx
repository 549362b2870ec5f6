import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Trash2 } from 'lucide-react';
import type { OrgMessageTemplate } from '../../shared/domain/messaging';
import type { Segment } from '../../shared/domain/enums';
import { MESSAGE_ACTIONS, StepAction, StepAnchor } from '../../shared/domain/strategy';

const SEGMENTS: readonly Segment[] = ['low', 'medium', 'high'];

/** One rung of the ladder as the admin types it (numbers as text until saved). */
export interface StepDraft {
  key: string;
  day: string;
  anchor: StepAnchor;
  action: StepAction;
  templateId: string;
  validDays: string;
  /** Condition: only when the balance is at least this much (minor units; empty = any balance). */
  minBalance: string;
  /** Condition: only for these segments (none ticked = every segment of the scope). */
  segments: Segment[];
}

export const needsTemplate = (a: StepAction) => (MESSAGE_ACTIONS as readonly string[]).includes(a) || a === 'letter';

interface Props {
  /** The ladder's path in the schema: steps or challenger.steps. */
  path: 'steps' | 'challenger.steps';
  step: StepDraft;
  index: number;
  templates: readonly OrgMessageTemplate[];
  /** The screen's field checks, by the schema's path (steps.<i>.<field>). */
  bad: (path: string) => true | undefined;
  fieldError: (path: string) => ReactNode;
  onChange: (patch: Partial<StepDraft>) => void;
  onRemove: () => void;
}

/** One step of a ladder: day, anchor, action, template, validity, its conditions, remove. */
export function StrategyStepRow({ path, step: s, index: i, templates, bad, fieldError, onChange, onRemove }: Props) {
  const { t } = useTranslation();
  const usable = templates.filter((tp) => tp.active && (s.action === 'letter' || tp.channel === s.action));
  const n = i + 1;
  const ladder = path === 'steps' ? '' : `${t('strategies.challenger.title')}: `;
  const label = (field: string) => ladder + t('strategies.stepField', { n, field: t(`strategies.${field}`) });
  const at = (field: string) => `${path}.${i}.${field}`;
  // the two numeric cells (day, validity window) differ only in their field
  const numberCell = (field: 'day' | 'validDays' | 'minBalance', schemaField: string = field) => (
    <td>
      <input
        name={field}
        aria-invalid={bad(at(schemaField))}
        className="num"
        inputMode="numeric"
        aria-label={label(field)}
        value={s[field]}
        onChange={(e) => onChange({ [field]: e.target.value })}
      />
      {fieldError(at(schemaField))}
    </td>
  );
  return (
    <tr data-testid={path === 'steps' ? 'strategy-step' : 'challenger-step'} data-key={s.key}>
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
            aria-invalid={bad(at('templateId'))}
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
        {fieldError(at('templateId'))}
      </td>
      {numberCell('validDays')}
      {numberCell('minBalance', 'conditions.minBalanceMinor')}
      <td>
        <div role="group" aria-label={label('stepSegments')} className="strat-step-segments">
          {SEGMENTS.map((sg) => (
            <label key={sg} className="inline">
              <input
                type="checkbox"
                name={`step-segment-${sg}`}
                checked={s.segments.includes(sg)}
                onChange={(e) => onChange({ segments: e.target.checked ? [...s.segments, sg] : s.segments.filter((x) => x !== sg) })}
              />
              {t(`segment.${sg}`)}
            </label>
          ))}
        </div>
      </td>
      <td>
        <button
          type="button"
          className="small icon-only"
          data-testid="strategy-step-remove"
          aria-label={ladder + t('strategies.removeStep', { n })}
          title={ladder + t('strategies.removeStep', { n })}
          onClick={onRemove}
        >
          <Trash2 size={14} aria-hidden="true" />
        </button>
      </td>
    </tr>
  );
}
