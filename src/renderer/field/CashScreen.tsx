import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Reconciliation, ReconciliationRow } from '../../shared/domain/field';
import { formatMoneyCode, parseAmount } from '../../shared/domain/money';
import { addDays, formatDay, localDate } from '../../shared/domain/time';
import { formatReceiptNumber } from '../../shared/field/receipt-book';
import { getApi } from '../api';
import { DateField } from '../components/DateField';
import { errorText } from '../lib/errors';
import { useAction, useLoad } from '../lib/useAction';

/**
 * The team lead's cash reconciliation (docs/field-collection.md): each collector's cash by day and
 * currency from their receipts, the deposits recorded, and the difference still in their hands;
 * the lead records a deposit on the row. The receipts of the period are listed below with their
 * verification. Online only; a lead sees their own team (the server decides).
 */
export function CashScreen() {
  const { t, i18n } = useTranslation();
  const today = localDate(new Date(), Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [from, setFrom] = useState(addDays(today, -6));
  const [to, setTo] = useState(today);
  const [version, setVersion] = useState(0);
  const { data, error } = useLoad<Reconciliation>(() => getApi().getCashReconciliation({ from, to }), [from, to, version]);
  const money = (m: number, r: ReconciliationRow) => formatMoneyCode(m, r.currency, i18n.language);
  return (
    <section className="card" aria-labelledby="cash-title" data-testid="cash-reconciliation">
      <h2 id="cash-title">{t('field.cashTitle')}</h2>
      <p className="muted">{t('field.cashHelp')}</p>
      <div className="form-row">
        <label>
          {t('field.from')}
          <DateField value={from} onChange={(v) => v && setFrom(v)} testId="cash-from" />
        </label>
        <label>
          {t('field.to')}
          <DateField value={to} onChange={(v) => v && setTo(v)} testId="cash-to" />
        </label>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {data?.rows.length === 0 && <p className="muted">{t('field.noCash')}</p>}
      {data && data.rows.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('violations.agent')}</th>
              <th>{t('payments.date')}</th>
              <th className="num">{t('field.receiptsCount')}</th>
              <th className="num">{t('field.cash')}</th>
              <th className="num">{t('field.transfers')}</th>
              <th className="num">{t('field.deposited')}</th>
              <th className="num">{t('field.difference')}</th>
              <th>{t('field.recordDeposit')}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={`${r.collectorId}-${r.day}-${r.currency}`} data-testid="cash-row" data-currency={r.currency}>
                <td>{r.collectorName}</td>
                <td>{formatDay(r.day, i18n.language)}</td>
                <td className="num">{r.receipts}</td>
                <td className="num">{money(r.cashMinor, r)}</td>
                <td className="num">{money(r.transferMinor, r)}</td>
                <td className="num" data-testid="cash-deposited">
                  {money(r.depositedMinor, r)}
                </td>
                <td className={`num ${r.differenceMinor !== 0 ? 'warn' : ''}`} data-testid="cash-difference">
                  {money(r.differenceMinor, r)}
                </td>
                <td>
                  <DepositForm row={r} onDone={() => setVersion((v) => v + 1)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.receipts.length > 0 && (
        <>
          <h3>{t('field.receiptsOfPeriod')}</h3>
          <table className="table">
            <thead>
              <tr>
                <th>{t('field.number')}</th>
                <th>{t('violations.agent')}</th>
                <th>{t('violations.debtor')}</th>
                <th className="num">{t('payments.amount')}</th>
                <th>{t('field.code')}</th>
              </tr>
            </thead>
            <tbody>
              {data.receipts.map((r) => (
                <tr key={r.id} data-testid="cash-receipt" data-number={r.number}>
                  <td>{formatReceiptNumber(r.number)}</td>
                  <td>{r.collectorName}</td>
                  <td>{r.debtorName}</td>
                  <td className="num">{formatMoneyCode(r.amountMinor, r.currency, i18n.language)}</td>
                  <td>
                    <code>{r.code}</code> {r.codeValid ? '' : <span className="chip chip-bad">{t('field.codeInvalid')}</span>}
                    {r.duplicateNumber && <span className="chip chip-bad">{t('field.duplicateNumber')}</span>}
                    {r.voidedAt && <span className="chip chip-bad">{t('field.voided')}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function DepositForm({ row, onDone }: { row: ReconciliationRow; onDone: () => void }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState('');
  const { busy, error, run } = useAction();
  const parsed = amount.trim() ? parseAmount(amount, row.currency) : null;
  return (
    <span className="inline-form">
      <input
        aria-label={t('field.depositAmount', { currency: row.currency })}
        inputMode="decimal"
        size={10}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        data-testid="deposit-amount"
      />
      <button
        type="button"
        disabled={busy || !parsed?.ok || parsed.minor <= 0}
        data-testid="deposit-save"
        onClick={() =>
          parsed?.ok &&
          void run(async () => {
            await getApi().recordDeposit({
              collectorId: row.collectorId,
              day: row.day,
              currency: row.currency,
              amountMinor: parsed.minor,
              reference: null,
            });
            setAmount('');
            onDone();
          })
        }
      >
        {t('field.save')}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {errorText(t, error)}
        </span>
      )}
    </span>
  );
}
