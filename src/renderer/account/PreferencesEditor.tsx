import { useState, type FormEvent } from 'react';
import { AGENT_CHANNELS } from '../../shared/domain/channels';
import { useTranslation } from 'react-i18next';
import { getApi } from '../api';
import { ContactPreferences, type Debtor } from '../../shared/domain/entities';
import { Channel } from '../../shared/domain/enums';
import { errorText } from '../lib/errors';
import { useAction } from '../lib/useAction';

type WindowDraft = { days: number[]; from: string; to: string };
const WEEK = [1, 2, 3, 4, 5, 6, 0];

/**
 * The debtor's own instrument: channels they authorised, the channel and hours they prefer and
 * the day they can pay. Saved whole (the sync rule for contactPrefs is "last applied wins, the
 * whole object"), and used by the compliance check to narrow the legal hours.
 */
export function PreferencesEditor({ debtor, onDone }: { debtor: Debtor; onDone(): void }) {
  const { t } = useTranslation();
  const prefs = debtor.contactPrefs;
  const [authorized, setAuthorized] = useState<Channel[]>(prefs.authorizedChannels);
  const [preferred, setPreferred] = useState<Channel | ''>(prefs.preferredChannel ?? '');
  const [windows, setWindows] = useState<WindowDraft[]>(prefs.windows.map((w) => ({ ...w, days: [...w.days] })));
  const [payDay, setPayDay] = useState(prefs.preferredPaymentDay ? String(prefs.preferredPaymentDay) : '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { busy, error: apiError, run } = useAction();

  const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const setWindow = (i: number, patch: Partial<WindowDraft>) => setWindows((ws) => ws.map((w, j) => (j === i ? { ...w, ...patch } : w)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    windows.forEach((w, i) => {
      if (w.days.length === 0) errs[`windows.${i}.days`] = t('prefs.errors.days');
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(w.from) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(w.to))
        errs[`windows.${i}.from`] = t('prefs.errors.time');
      else if (w.from >= w.to) errs[`windows.${i}.from`] = t('prefs.errors.order');
    });
    const day = payDay.trim() === '' ? null : Number(payDay);
    if (day !== null && (!Number.isInteger(day) || day < 1 || day > 31)) errs.payDay = t('prefs.errors.payDay');
    if (preferred && !authorized.includes(preferred)) errs.preferred = t('prefs.errors.preferredNotAuthorized');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const parsed = ContactPreferences.safeParse({
      authorizedChannels: authorized,
      preferredChannel: preferred || null,
      windows,
      preferredPaymentDay: day,
    });
    if (!parsed.success) {
      setErrors({ form: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return;
    }
    // the account is read again on the dataChanged the write emits (stores/data.ts)
    if (await run(() => getApi().setDebtorPreferences({ debtorId: debtor.id, contactPrefs: parsed.data }))) onDone();
  };

  return (
    <form className="prefs-form" onSubmit={(e) => void submit(e)} data-testid="prefs-form" noValidate>
      <fieldset>
        <legend>{t('account.authorizedChannels')}</legend>
        {AGENT_CHANNELS.map((c) => (
          <label key={c} className="inline">
            <input type="checkbox" checked={authorized.includes(c)} onChange={() => setAuthorized((a) => toggle(a, c))} />{' '}
            {t(`channel.${c}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('account.preferredChannel')}
        <select value={preferred} onChange={(e) => setPreferred(e.target.value ? Channel.parse(e.target.value) : '')}>
          <option value="">{t('common.none')}</option>
          {AGENT_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`channel.${c}`)}
            </option>
          ))}
        </select>
        {errors.preferred && <span className="field-error">{errors.preferred}</span>}
      </label>
      <fieldset>
        <legend>
          {t('account.contactWindows')}{' '}
          <span className="muted small">
            ({t('account.debtorLocalTimeShort')}, {debtor.timeZone})
          </span>
        </legend>
        {windows.map((w, i) => (
          <div key={i} className="window-row">
            <span className="days">
              {WEEK.map((d) => (
                <label key={d} className="inline">
                  <input type="checkbox" checked={w.days.includes(d)} onChange={() => setWindow(i, { days: toggle(w.days, d).sort() })} />
                  {t(`weekday.${d}`)}
                </label>
              ))}
            </span>
            <input type="time" aria-label={t('prefs.from')} value={w.from} onChange={(e) => setWindow(i, { from: e.target.value })} />
            <input type="time" aria-label={t('prefs.to')} value={w.to} onChange={(e) => setWindow(i, { to: e.target.value })} />
            <button
              type="button"
              className="small"
              aria-label={t('prefs.removeWindow')}
              onClick={() => setWindows((ws) => ws.filter((_, j) => j !== i))}
            >
              ✕
            </button>
            {errors[`windows.${i}.days`] && <span className="field-error">{errors[`windows.${i}.days`]}</span>}
            {errors[`windows.${i}.from`] && <span className="field-error">{errors[`windows.${i}.from`]}</span>}
          </div>
        ))}
        <button
          type="button"
          className="small"
          onClick={() => setWindows((ws) => [...ws, { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }])}
        >
          {t('prefs.addWindow')}
        </button>
      </fieldset>
      <label>
        {t('account.preferredPaymentDay')}
        <input inputMode="numeric" value={payDay} onChange={(e) => setPayDay(e.target.value)} style={{ width: 70 }} />
        {errors.payDay && <span className="field-error">{errors.payDay}</span>}
      </label>
      {errors.form && <div className="form-error">{errors.form}</div>}
      {apiError && (
        <div className="form-error" role="alert">
          {errorText(t, apiError)}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('common.saving') : t('prefs.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('prefs.cancel')}
        </button>
      </div>
    </form>
  );
}
