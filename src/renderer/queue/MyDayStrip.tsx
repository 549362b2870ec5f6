import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoneyTotals, type CurrencyAmount } from '../../shared/domain/money';
import type { MyDay } from '../../shared/reports/activity';
import { getApi } from '../api';

/**
 * The agent's own day above the queue — calls, contacts with the debtor, promises and their
 * amount per currency — from the local store, so it counts offline work too and follows every
 * outcome as it is logged.
 */
export function MyDayStrip() {
  const { t, i18n } = useTranslation();
  const [day, setDay] = useState<MyDay | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => {
      getApi()
        .getMyDay()
        .then(
          (d) => {
            if (live) setDay(d);
          },
          () => {},
        );
    };
    load();
    const off = getApi().onDataChanged(load);
    return () => {
      live = false;
      off();
    };
  }, []);
  if (!day) return null;
  // one total per currency, each with its code: COP and MXN are never added or read as one "$"
  const promised = formatMoneyTotals(day.promised as CurrencyAmount[], i18n.language);
  return (
    <span className="my-day small muted" data-testid="my-day" aria-label={t('myDay.title')}>
      <strong>{t('myDay.title')}:</strong> <span data-testid="my-day-calls">{t('myDay.calls', { count: day.calls })}</span>
      {' · '}
      <span data-testid="my-day-rpc">{t('myDay.rpc', { count: day.rightPartyContacts })}</span>
      {day.messages > 0 && (
        <>
          {' · '}
          {t('myDay.messages', { count: day.messages })}
        </>
      )}
      {day.visits > 0 && (
        <>
          {' · '}
          {t('myDay.visits', { count: day.visits })}
        </>
      )}
      {' · '}
      <span data-testid="my-day-promises">{t('myDay.promises', { count: day.promisesMade })}</span>
      {promised && <span data-testid="my-day-promised"> ({promised})</span>}
    </span>
  );
}
