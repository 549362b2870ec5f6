import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LiveSettings } from '../../shared/live/presence';
import { getApi } from '../api';
import { errorText, toUiError, type UiError } from '../lib/errors';

const FIELDS = ['idleMinutes', 'blockSpikeCount', 'blockWindowMinutes', 'unsyncedDays'] as const;

/** The administrator's alert thresholds (docs/live-board.md, "Alerts"); checked by the shared schema, audited by the server. */
export function LiveSettingsForm({ settings }: { settings: LiveSettings }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Record<(typeof FIELDS)[number], string>>(
    () => Object.fromEntries(FIELDS.map((f) => [f, String(settings[f])])) as Record<(typeof FIELDS)[number], string>,
  );
  const [error, setError] = useState<UiError | null>(null);
  /** The field the shared schema refused, before anything is sent. */
  const [invalid, setInvalid] = useState<(typeof FIELDS)[number] | null>(null);
  const [saved, setSaved] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const parsed = LiveSettings.safeParse(Object.fromEntries(FIELDS.map((f) => [f, Number(draft[f])])));
    if (!parsed.success) {
      setInvalid((parsed.error.issues[0]?.path[0] as (typeof FIELDS)[number] | undefined) ?? FIELDS[0]);
      return;
    }
    setInvalid(null);
    getApi()
      .saveLiveSettings(parsed.data)
      .then(
        () => {
          setError(null);
          setSaved(true);
        },
        (err) => setError(toUiError(err)),
      );
  };
  return (
    <details className="live-settings" data-testid="live-settings">
      <summary>{t('live.settings.title')}</summary>
      <form onSubmit={submit}>
        {FIELDS.map((f) => (
          <label key={f}>
            {t(`live.settings.${f}`)}
            <input
              type="number"
              name={f}
              min={1}
              value={draft[f]}
              onChange={(e) => setDraft((d) => ({ ...d, [f]: e.target.value }))}
              aria-invalid={invalid === f || error?.field === f ? true : undefined}
            />
          </label>
        ))}
        {invalid && (
          <p className="field-error" role="alert">
            {t('live.settings.invalid', { field: t(`live.settings.${invalid}`) })}
          </p>
        )}
        {error && (
          <p className="field-error" role="alert">
            {errorText(t, error)}
          </p>
        )}
        {saved && (
          <p className="form-success" role="status">
            {t('live.settings.saved')}
          </p>
        )}
        <button type="submit" className="primary">
          {t('live.settings.save')}
        </button>
      </form>
    </details>
  );
}
