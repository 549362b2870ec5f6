import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountDetail } from '../../shared/api/contract';
import type { FieldReceipt, ReceiptMethod } from '../../shared/domain/field';
import { formatMoneyCode, parseAmount } from '../../shared/domain/money';
import { formatDay } from '../../shared/domain/time';
import { amountInWords } from '../../shared/field/amount-words';
import { formatReceiptNumber } from '../../shared/field/receipt-book';
import { getApi } from '../api';
import { errorText } from '../lib/errors';
import { useAction, useLoad } from '../lib/useAction';
import { useSession } from '../stores/session';
import { downloadReceiptPdf } from './pdf';

/**
 * A field collector takes a cash or transfer payment on the spot and hands a numbered receipt
 * (docs/field-collection.md): works offline, the number comes from the device's block. The
 * account's receipts are listed with their PDF (Spanish or English) and can be voided.
 */
export function ReceiptPanel({ detail }: { detail: AccountDetail }) {
  const { t, i18n } = useTranslation();
  const role = useSession((s) => s.session?.user.role);
  const currency = detail.account.currency;
  const [method, setMethod] = useState<ReceiptMethod>('cash');
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [issued, setIssued] = useState<FieldReceipt | null>(null);
  const [version, setVersion] = useState(0);
  const { busy, error, run } = useAction();
  const { data: receipts } = useLoad(() => getApi().listReceipts({ accountId: detail.account.id }), [detail, version]);
  if (role === 'admin') return null;
  const parsed = amount.trim() ? parseAmount(amount, currency) : null;
  const issue = () => {
    setFieldError(null);
    if (!parsed?.ok || parsed.minor <= 0) return setFieldError(t('field.amountInvalid', { currency }));
    if (method === 'transfer' && !reference.trim()) return setFieldError(t('field.referenceNeeded'));
    void run(async () => {
      const r = await getApi().issueReceipt({
        accountId: detail.account.id,
        method,
        amountMinor: parsed.minor,
        ...(method === 'transfer' ? { transferReference: reference.trim() } : {}),
      });
      setIssued(r);
      setVersion((v) => v + 1);
      setAmount('');
      setReference('');
    });
  };
  const lang = i18n.language.startsWith('en') ? 'en' : 'es';
  return (
    <section className="card" aria-labelledby="receipt-title" data-testid="receipt-panel">
      <h3 id="receipt-title">{t('field.receiptTitle')}</h3>
      <div className="form-row">
        <label>
          {t('field.method')}
          <select value={method} onChange={(e) => setMethod(e.target.value as ReceiptMethod)} data-testid="receipt-method">
            <option value="cash">{t('field.cash')}</option>
            <option value="transfer">{t('field.transfer')}</option>
          </select>
        </label>
        <label>
          {t('field.amount', { currency })}
          <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="receipt-amount" />
        </label>
        {method === 'transfer' && (
          <label>
            {t('field.reference')}
            <input value={reference} onChange={(e) => setReference(e.target.value)} data-testid="receipt-reference" />
          </label>
        )}
      </div>
      {parsed?.ok && parsed.minor > 0 && (
        <p className="muted small" data-testid="receipt-words">
          {amountInWords(parsed.minor, currency, lang)}
        </p>
      )}
      {(fieldError || error) && (
        <p className="field-error" role="alert">
          {fieldError ?? errorText(t, error!)}
        </p>
      )}
      <button type="button" className="primary" disabled={busy} onClick={issue} data-testid="issue-receipt">
        {t('field.issue')}
      </button>
      {issued && (
        <p role="status" data-testid="receipt-issued">
          {t('field.issued', { number: formatReceiptNumber(issued.number) })}
        </p>
      )}
      {receipts && receipts.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('field.number')}</th>
              <th>{t('payments.date')}</th>
              <th className="num">{t('payments.amount')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {receipts.map((r) => (
              <tr key={r.id} data-testid="receipt-row" data-number={r.number} className={r.voidedAt ? 'reversed' : ''}>
                <td>{formatReceiptNumber(r.number)}</td>
                <td>{formatDay(r.day, i18n.language)}</td>
                <td className="num">{formatMoneyCode(r.amountMinor, r.currency, i18n.language)}</td>
                <td>
                  {r.unsynced && <span className="chip">{t('field.unsynced')}</span>}
                  {r.voidedAt && <span className="chip chip-bad">{t('field.voided')}</span>}
                  <button
                    type="button"
                    className="link"
                    onClick={() => void run(() => downloadReceiptPdf(r.id, 'es'))}
                    data-testid="receipt-pdf"
                  >
                    PDF
                  </button>
                  <button type="button" className="link" onClick={() => void run(() => downloadReceiptPdf(r.id, 'en'))}>
                    PDF (EN)
                  </button>
                  {!r.voidedAt && (
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        const reason = window.prompt(t('field.voidReason'));
                        if (reason?.trim())
                          void run(() =>
                            getApi()
                              .voidReceipt({ receiptId: r.id, reason })
                              .then(() => setVersion((v) => v + 1)),
                          );
                      }}
                    >
                      {t('field.void')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
