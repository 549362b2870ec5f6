import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ContactCostsInput, DEFAULT_CONTACT_COSTS, type ContactCostsView } from '../../shared/domain/contact-costs';
import { currencyDigits, CurrencyCode } from '../../shared/domain/money';
import { StepAction } from '../../shared/domain/strategy';
import { getApi } from '../api';
import { errorText } from '../lib/errors';
import { useAction, useLoad } from '../lib/useAction';

const key = (c: CurrencyCode, a: StepAction) => `${c}:${a}`;
/** Prices are typed in the currency's units (200 for an SMS at 200 pesos) and kept in minor units. */
const toText = (minor: number, c: CurrencyCode) => String(minor / 10 ** currencyDigits(c));
const toMinor = (text: string, c: CurrencyCode) =>
  text.trim() === '' ? Number.NaN : Math.round(Number(text.replace(',', '.')) * 10 ** currencyDigits(c) * 10_000) / 10_000;

/**
 * What one contact costs the organisation, per currency and channel (a call task per minute of
 * agent time, times the minutes a task is priced at): the prices behind "cost per peso collected".
 * Only prices that differ from the defaults are sent as the organisation's own.
 */
export function ContactCostsEditor({ onSaved }: { onSaved: () => void }) {
  const { t } = useTranslation();
  const [reload, setReload] = useState(0);
  const { data, error } = useLoad(() => getApi().getContactCosts(), [reload]);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [minutes, setMinutes] = useState('');
  const [saved, setSaved] = useState(false);
  const save = useAction();

  useEffect(() => {
    if (!data) return;
    setTexts(Object.fromEntries(data.costs.map((c) => [key(c.currency, c.action), toText(c.unitCostMinor, c.currency)])));
    setMinutes(String(data.callTaskMinutes));
  }, [data]);

  const rows: Array<{ currency: CurrencyCode; action: StepAction; unitCostMinor: number }> = [];
  for (const currency of CurrencyCode.options)
    for (const action of StepAction.options) {
      const minor = toMinor(texts[key(currency, action)] ?? '', currency);
      if (minor !== DEFAULT_CONTACT_COSTS[currency][action]) rows.push({ currency, action, unitCostMinor: minor });
    }
  const checked = ContactCostsInput.safeParse({ costs: rows, callTaskMinutes: minutes.trim() === '' ? Number.NaN : Number(minutes) });
  const issues = new Set<string>();
  if (!checked.success)
    for (const i of checked.error.issues) {
      if (i.path[0] === 'costs' && typeof i.path[1] === 'number') {
        const r = rows[i.path[1]];
        if (r) issues.add(key(r.currency, r.action));
      } else issues.add(i.path.join('.'));
    }
  const serverField = save.error?.field ?? null;

  const onSave = async () => {
    if (!checked.success) return;
    const body = checked.data;
    if (
      await save.run(async () => {
        await getApi().saveContactCosts(body);
      })
    ) {
      setSaved(true);
      setReload((n) => n + 1);
      onSaved();
    }
  };

  return (
    <details className="strat-costs" data-testid="contact-costs">
      <summary>{t('strategies.costs.title')}</summary>
      <p className="muted small">{t('strategies.costs.help')}</p>
      {error && (
        <p className="form-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {data && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void onSave();
          }}
        >
          <div className="strat-costs-scroll">
            <table className="table">
              <caption className="sr-only">{t('strategies.costs.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('strategies.costs.currency')}</th>
                  {StepAction.options.map((a) => (
                    <th scope="col" key={a}>
                      {t(`strategies.act.${a}`)}
                      {a === 'call_task' ? ` ${t('strategies.costs.perMinute')}` : ''}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {CurrencyCode.options.map((c) => (
                  <tr key={c}>
                    <th scope="row">{c}</th>
                    {StepAction.options.map((a) => {
                      const k = key(c, a);
                      const own = data.costs.find((x) => x.currency === c && x.action === a);
                      return (
                        <td key={a}>
                          <input
                            className="num"
                            inputMode="decimal"
                            name={`cost-${k}`}
                            aria-label={t('strategies.costs.cell', { currency: c, action: t(`strategies.act.${a}`) })}
                            aria-invalid={issues.has(k) || undefined}
                            value={texts[k] ?? ''}
                            title={own?.isDefault ? t('strategies.costs.default') : undefined}
                            onChange={(e) => {
                              setTexts((x) => ({ ...x, [k]: e.target.value }));
                              setSaved(false);
                            }}
                          />
                          {issues.has(k) && (
                            <span className="field-error" data-field={k}>
                              {t('strategies.costs.invalid')}
                            </span>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <label className="inline">
            {t('strategies.costs.minutes')}{' '}
            <input
              className="num"
              name="callTaskMinutes"
              inputMode="decimal"
              aria-invalid={issues.has('callTaskMinutes') || serverField === 'callTaskMinutes' || undefined}
              value={minutes}
              onChange={(e) => {
                setMinutes(e.target.value);
                setSaved(false);
              }}
            />
          </label>
          {issues.has('callTaskMinutes') && (
            <span className="field-error" data-field="callTaskMinutes">
              {t('strategies.costs.minutesInvalid')}
            </span>
          )}
          {save.error && (
            <p className="field-error" role="alert">
              {errorText(t, save.error)}
            </p>
          )}
          {saved && (
            <p className="form-success" role="status" data-testid="contact-costs-saved">
              {t('strategies.costs.saved')}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" className="small" data-testid="contact-costs-save" disabled={save.busy || !checked.success}>
              {save.busy ? t('common.saving') : t('strategies.costs.save')}
            </button>
          </div>
        </form>
      )}
    </details>
  );
}
