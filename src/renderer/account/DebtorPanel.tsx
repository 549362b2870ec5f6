import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getApi } from '../api';
import type { AccountDetail } from '../../shared/api/contract';
import { formatMoney, formatMoneyCode } from '../../shared/domain/money';
import { formatCalendarDate, formatDateTime, formatTime, zoneLabel } from '../lib/datetime';
import { BucketChip, SegmentChip, StatusChip } from '../components/Chips';
import { dpdBucket } from '../../shared/domain/enums';
import { balanceBreakdown } from '../../shared/rules/negotiation';
import { useNav } from '../stores/nav';
import { useNow } from './useNow';
import { PreferencesEditor } from './PreferencesEditor';
import { HabitsPanel } from './HabitsPanel';

export function DebtorPanel({ detail }: { detail: AccountDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const split = balanceBreakdown(detail.account);
  const now = useNow();
  const { debtor, account } = detail;
  const prefs = debtor.contactPrefs;
  const [editing, setEditing] = useState(false);
  return (
    <section className="card debtor-card" aria-labelledby="debtor-name">
      <div className="card-head">
        <h2 id="debtor-name" data-testid="debtor-name">
          {debtor.name}
        </h2>
        <SegmentChip segment={debtor.segment} />
      </div>
      <dl className="kv">
        <dt>{t('account.nationalId')}</dt>
        <dd>{debtor.nationalId}</dd>
        <dt>{t('account.country')}</dt>
        <dd>
          {debtor.country} · {t(`debtorType.${debtor.debtorType}`)}
        </dd>
        <dt>{t('account.debtorLocalTime')}</dt>
        <dd data-testid="debtor-local-time">
          <strong>{formatTime(now, debtor.timeZone, lang)}</strong>{' '}
          <span className="muted">
            {debtor.timeZone} ({zoneLabel(debtor.timeZone, now, lang)})
          </span>
        </dd>
      </dl>
      <HabitsPanel habits={detail.habits ?? null} />
      {editing ? (
        <PreferencesEditor debtor={debtor} onDone={() => setEditing(false)} />
      ) : (
        <dl className="kv">
          <dt>{t('account.preferredChannel')}</dt>
          <dd>{prefs.preferredChannel ? t(`channel.${prefs.preferredChannel}`) : <span className="muted">{t('common.none')}</span>}</dd>
          <dt>{t('account.authorizedChannels')}</dt>
          <dd>
            {prefs.authorizedChannels.length > 0 ? (
              prefs.authorizedChannels.map((c) => t(`channel.${c}`)).join(', ')
            ) : (
              <span className="muted">{t('account.noneRecorded')}</span>
            )}
          </dd>
          <dt>{t('account.contactWindows')}</dt>
          <dd>
            {prefs.windows.length > 0 ? (
              prefs.windows.map((w, i) => (
                <div key={i}>
                  {w.days.map((d) => t(`weekday.${d}`)).join(' ')} {w.from}–{w.to}
                </div>
              ))
            ) : (
              <span className="muted">{t('account.noneRecorded')}</span>
            )}
          </dd>
          {prefs.preferredPaymentDay && (
            <>
              <dt>{t('account.preferredPaymentDay')}</dt>
              <dd>{prefs.preferredPaymentDay}</dd>
            </>
          )}
          <dt />
          <dd>
            <button type="button" className="small" onClick={() => setEditing(true)} data-testid="edit-prefs">
              {t('prefs.edit')}
            </button>
          </dd>
        </dl>
      )}

      <h3>{t('account.debt')}</h3>
      <dl className="kv">
        <dt>{t('account.product')}</dt>
        <dd>
          {account.product} <span className="muted">({account.externalRef})</span>
        </dd>
        <dt title={t('account.balanceHelp')}>{t('account.balanceNow')}</dt>
        <dd className="num strong" data-testid="account-balance">
          {formatMoney(account.balanceMinor, account.currency, lang)}
          <span className="muted small balance-split" data-testid="balance-breakdown">
            {t('account.breakdown', {
              principal: formatMoney(split.principalMinor, account.currency, lang),
              interest: formatMoney(split.interestMinor, account.currency, lang),
              fees: formatMoney(split.feesMinor, account.currency, lang),
            })}
          </span>
        </dd>
        <dt title={t('account.principalHelp')}>{t('account.principalOriginal')}</dt>
        <dd className="num" data-testid="account-principal">
          {formatMoney(account.principalMinor, account.currency, lang)}
          <span className="muted small balance-split">{t('account.principalHelp')}</span>
        </dd>
        <dt>{t('account.dpd')}</dt>
        <dd>
          <BucketChip bucket={dpdBucket(detail.dpd)} dpd={detail.dpd} />
        </dd>
        <dt>{t('account.dueDate')}</dt>
        <dd>{account.dueDate ? formatCalendarDate(account.dueDate, lang) : '—'}</dd>
        <dt>{t('account.installments')}</dt>
        <dd>
          {t('account.installmentsPaid', { paid: account.installmentsPaid, total: account.installmentsTotal })}
          {account.installmentAmountMinor !== null && <> · {formatMoney(account.installmentAmountMinor, account.currency, lang)}</>}
        </dd>
        <dt>{t('account.status')}</dt>
        <dd>
          <StatusChip status={account.status} />
        </dd>
        <dt>{t('account.callback')}</dt>
        <dd>
          {account.callbackAt ? formatDateTime(account.callbackAt, debtor.timeZone, lang) : '—'}
          {account.callbackNote && <span className="muted"> · {account.callbackNote}</span>}
        </dd>
        <dt>{t('account.lastContact')}</dt>
        <dd>{account.lastContactAt ? formatDateTime(account.lastContactAt, debtor.timeZone, lang) : '—'}</dd>
      </dl>
      {detail.siblingAccountIds.length > 0 && <SiblingAccounts ids={detail.siblingAccountIds} />}
    </section>
  );
}

interface Sibling {
  id: string;
  product: string;
  ref: string;
  text: string;
  dpd: number;
}

function SiblingAccounts({ ids }: { ids: string[] }) {
  const { t, i18n } = useTranslation();
  const [siblings, setSiblings] = useState<Sibling[] | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all(
      ids.map((accountId) =>
        getApi()
          .getAccount({ accountId })
          .then(
            (d) => d,
            () => null,
          ),
      ),
    ).then(
      (list) => {
        if (!live) return;
        setSiblings(
          list.flatMap((d) =>
            d
              ? [
                  {
                    id: d.account.id,
                    product: d.account.product,
                    ref: d.account.externalRef,
                    dpd: d.dpd,
                    text: formatMoneyCode(d.account.balanceMinor, d.account.currency, i18n.language),
                  },
                ]
              : [],
          ),
        );
      },
      () => live && setSiblings([]),
    );
    return () => {
      live = false;
    };
  }, [ids, i18n.language]);
  return (
    <>
      <h3>{t('account.otherAccounts')}</h3>
      {siblings === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : (
        <ul className="plain">
          {siblings.map((s) => (
            <li key={s.id}>
              <button type="button" className="link" onClick={() => useNav.getState().openAccount(s.id)}>
                {s.product}
              </button>{' '}
              <span className="muted">{s.ref}</span> · <span className="num">{s.text}</span> ·{' '}
              <BucketChip bucket={dpdBucket(s.dpd)} dpd={s.dpd} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
