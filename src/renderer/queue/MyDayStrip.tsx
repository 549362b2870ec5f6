import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CurrencyCode } from '../../shared/domain/money';
import { formatMoney } from '../../shared/domain/money';
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
  const promised = day.promised.map((m) => formatMoney(m.amountMinor, m.currency as CurrencyCode, i18n.language)).join(' + ');
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
      {promised && <> ({promised})</>}
    </span>
  );
}
