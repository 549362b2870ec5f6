import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueRow } from '../../shared/api/contract';
import { formatMoney } from '../../shared/domain/money';
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
      <div role="gridcell" className="c-reason small">
        {reasonText(t, row.reason, { currency: row.currency, timeZone: row.timeZone, lang })}
      </div>
      <div role="gridcell" className="c-callback small">
        {row.callbackAt ? formatDateTime(row.callbackAt, row.timeZone, lang) : <span className="muted">—</span>}
      </div>
    </div>
  );
});
