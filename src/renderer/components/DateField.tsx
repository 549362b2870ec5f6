import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays } from '../../shared/domain/time';
import { datePattern, formatCalendarDate, parseDateInput } from '../lib/datetime';

interface Props {
  /** The day as 'YYYY-MM-DD', or '' when none (or what was typed is not a date yet). */
  value: string;
  onChange(value: string): void;
  name?: string;
  /** Earliest / latest day accepted ('YYYY-MM-DD'); the arrow keys stop there too. */
  min?: string;
  max?: string;
  /** The day the arrow keys start from when the field is empty (default: min, else today here). */
  startFrom?: string;
  /** An error the form found (required, in the past …), shown where the field's own would be. */
  error?: string | null;
  testId?: string;
  disabled?: boolean;
}

/**
 * Date entry in the UI language's one format (dd/mm/aaaa in Spanish, mm/dd/yyyy in English),
 * instead of the browser's native date input, which follows the operating system's locale and
 * so showed mm/dd/yyyy beside tables in dd/mm/aaaa. Accepts common ways of typing a day
 * (3/12/26, 03-12-2026, 03.12.2026), says clearly what is wrong, and moves a day with ↑/↓
 * (a week with PageUp/PageDown) so it needs no mouse.
 */
export function DateField({ value, onChange, name, min, max, startFrom, error, testId, disabled }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [text, setText] = useState(() => (value ? formatCalendarDate(value, lang) : ''));
  const [own, setOwn] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const errId = useId();

  // a value set from outside (a counter-offer, a reset) or a language change rewrites the text,
  // unless the text already means that day
  useEffect(() => {
    const parsed = parseDateInput(text, lang);
    const means = parsed.ok ? parsed.date : '';
    if (means !== value) {
      setText(value ? formatCalendarDate(value, lang) : '');
      setOwn(null);
    } else if (value) setText(formatCalendarDate(value, lang));
  }, [value, lang]);

  function judge(raw: string): { date: string; message: string | null } {
    const p = parseDateInput(raw, lang);
    if (!p.ok) {
      if (p.reason === 'empty') return { date: '', message: null };
      return {
        date: '',
        message:
          p.reason === 'format' ? t('dateField.format', { pattern: datePattern(lang) }) : t('dateField.invalid', { text: raw.trim() }),
      };
    }
    if (min && p.date < min) return { date: '', message: t('dateField.min', { date: formatCalendarDate(min, lang) }) };
    if (max && p.date > max) return { date: '', message: t('dateField.max', { date: formatCalendarDate(max, lang) }) };
    return { date: p.date, message: null };
  }

  function type(raw: string) {
    setText(raw);
    const j = judge(raw);
    setOwn(j.message);
    if (j.date !== value) onChange(j.date);
  }

  function step(e: KeyboardEvent<HTMLInputElement>) {
    const by = { ArrowUp: 1, ArrowDown: -1, PageUp: 7, PageDown: -7 }[e.key];
    if (by === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    const here = new Date();
    const today = `${here.getFullYear()}-${String(here.getMonth() + 1).padStart(2, '0')}-${String(here.getDate()).padStart(2, '0')}`;
    let next = value ? addDays(value, by) : (startFrom ?? min ?? today);
    if (min && next < min) next = min;
    if (max && next > max) next = max;
    setText(formatCalendarDate(next, lang));
    setOwn(null);
    setTouched(true);
    if (next !== value) onChange(next);
  }

  // while typing, a half-written date is not an error yet: say so once the agent leaves the field
  const message = (touched ? own : null) ?? error ?? null;
  return (
    <>
      <input
        className="date-field"
        name={name}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={datePattern(lang)}
        maxLength={12}
        value={text}
        disabled={disabled}
        data-testid={testId}
        aria-invalid={Boolean(message)}
        aria-describedby={message ? errId : undefined}
        onChange={(e) => type(e.target.value)}
        onKeyDown={step}
        onBlur={() => {
          setTouched(true);
          const j = judge(text);
          if (j.date) setText(formatCalendarDate(j.date, lang));
        }}
      />
      {message && (
        <span id={errId} className="field-error" role="alert" data-testid={testId ? `${testId}-error` : undefined}>
          {message}
        </span>
      )}
    </>
  );
}
