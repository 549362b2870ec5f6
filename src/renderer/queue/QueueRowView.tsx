import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueRow } from '../../shared/api/contract';
import { formatMoney } from '../../shared/domain/money';
import { summariseDebtorAccounts } from '../../shared/domain/debtor-accounts';
import { dpdBucket } from '../../shared/domain/enums';
import { formatDateTime } from '../lib/datetime';
import { reasonText } from '../lib/reason';
import { BucketChip, SegmentChip, StatusChip } from '../components/Chips';

export const ROW_HEIGHT = 52;

interface Props {
  row: QueueRow;
  index: number;
  selected: boolean;
  top: number;
  onOpen(accountId: string): void;
  onSelect(index: number): void;
}

export const QueueRowView = memo(function QueueRowView({ row, index, selected, top, onOpen, onSelect }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const reason = reasonText(t, row.reason, { currency: row.currency, timeZone: row.timeZone, lang });
  const accounts = row.debtorAccounts;
  if (accounts) return <DebtorRow {...{ row, index, selected, top, onOpen, onSelect, reason }} accounts={accounts} />;
  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      className={`queue-row${selected ? ' selected' : ''}`}
      data-testid="queue-row"
      data-account-id={row.accountId}
      data-bucket={row.bucket}
      data-dpd={row.dpd}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      onClick={() => onSelect(index)}
      onDoubleClick={() => onOpen(row.accountId)}
    >
      <div role="gridcell" className="c-debtor">
        <button type="button" className="link debtor-name" onClick={() => onOpen(row.accountId)} tabIndex={-1}>
          {row.debtorName}
        </button>
        <span className="muted small">
          {row.nationalId} · {row.phone ?? '—'}
        </span>
      </div>
      <div role="gridcell" className="c-product">
        <span>{row.product}</span>
        <span className="muted small">{row.externalRef}</span>
      </div>
      <div role="gridcell" className="c-balance num">
        <span>{formatMoney(row.balanceMinor, row.currency, lang)}</span>
        <span className="muted small">{row.currency}</span>
      </div>
      <div role="gridcell" className="c-dpd">
        <BucketChip bucket={row.bucket} dpd={row.dpd} />
      </div>
      <div role="gridcell" className="c-segment">
        <SegmentChip segment={row.segment} />
      </div>
      <div role="gridcell" className="c-status">
        <StatusChip status={row.status} />
      </div>
      <div role="gridcell" className="c-reason small" title={reason}>
        <span className="ellipsis">{reason}</span>
      </div>
      <div role="gridcell" className="c-callback small">
        {row.callbackAt ? formatDateTime(row.callbackAt, row.timeZone, lang) : <span className="muted">—</span>}
      </div>
    </div>
  );
});

/**
 * One debtor with all their accounts (the queue grouped by debtor): how many, the balance per
 * currency (with its code when currencies differ: never one sum across them), the most overdue
 * and the accounts' products and references. Opening it opens the account standing for the debtor,
 * whose screen lists the others; a contact logged there counts for the debtor under the rules.
 */
function DebtorRow({
  row,
  index,
  selected,
  top,
  onOpen,
  onSelect,
  reason,
  accounts,
}: Props & { reason: string; accounts: NonNullable<QueueRow['debtorAccounts']> }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const sum = summariseDebtorAccounts(accounts);
  const mixed = sum.totals.length > 1;
  const listed = accounts.map((a) => `${a.product} (${a.externalRef})`).join(' · ');
  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      className={`queue-row debtor-row${selected ? ' selected' : ''}`}
      data-testid="queue-row"
      data-account-id={row.accountId}
      data-debtor-id={row.debtorId}
      data-accounts={sum.count}
      data-bucket={row.bucket}
      data-dpd={row.dpd}
      data-max-dpd={sum.maxDpd}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      onClick={() => onSelect(index)}
      onDoubleClick={() => onOpen(row.accountId)}
    >
      <div role="gridcell" className="c-debtor">
        <span className="debtor-line">
          <button type="button" className="link debtor-name" onClick={() => onOpen(row.accountId)} tabIndex={-1}>
            {row.debtorName}
          </button>
          {sum.count > 1 && (
            <span className="chip accounts-chip" data-testid="debtor-account-count">
              {t('queue.accounts', { count: sum.count })}
            </span>
          )}
        </span>
        <span className="muted small">
          {row.nationalId} · {row.phone ?? '—'}
        </span>
      </div>
      <div role="gridcell" className="c-product" title={listed}>
        <span className="ellipsis">{accounts.map((a) => a.product).join(' · ')}</span>
        <span className="muted small ellipsis" data-testid="debtor-account-refs">
          {accounts.map((a) => a.externalRef).join(' · ')}
        </span>
      </div>
      <div role="gridcell" className="c-balance num" data-testid="debtor-totals">
        {sum.totals.map((x) => (
          <span key={x.currency} className={mixed ? 'small' : undefined}>
            {formatMoney(x.balanceMinor, x.currency, lang)}
            {mixed && <> {x.currency}</>}
          </span>
        ))}
        {!mixed && <span className="muted small">{sum.totals[0]?.currency}</span>}
      </div>
      <div role="gridcell" className="c-dpd">
        <BucketChip bucket={dpdBucket(sum.maxDpd)} dpd={sum.maxDpd} />
      </div>
      <div role="gridcell" className="c-segment">
        <SegmentChip segment={row.segment} />
      </div>
      <div role="gridcell" className="c-status">
        <StatusChip status={row.status} />
      </div>
      <div role="gridcell" className="c-reason small" title={reason}>
        <span className="ellipsis">{reason}</span>
      </div>
      <div role="gridcell" className="c-callback small">
        {row.callbackAt ? formatDateTime(row.callbackAt, row.timeZone, lang) : <span className="muted">—</span>}
      </div>
    </div>
  );
}
