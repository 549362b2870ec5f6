import { useTranslation } from 'react-i18next';
import type { AccountStatus, DpdBucket, PromiseStatus, Segment } from '../../shared/domain/enums';

export function BucketChip({ bucket, dpd }: { bucket: DpdBucket; dpd: number }) {
  const { t } = useTranslation();
  return (
    <span className={`chip bucket bucket-${bucket.replace('+', 'plus')}`} title={t('queue.dpdTitle', { dpd, count: dpd })}>
      <strong>{dpd}</strong> {t(`bucket.${bucket}`)}
    </span>
  );
}

export function SegmentChip({ segment }: { segment: Segment }) {
  const { t } = useTranslation();
  return <span className={`chip segment-${segment}`}>{t(`segment.${segment}`)}</span>;
}

export function StatusChip({ status }: { status: AccountStatus }) {
  const { t } = useTranslation();
  return <span className={`chip status-${status}`}>{t(`status.${status}`)}</span>;
}

export function PromiseStatusChip({ status }: { status: PromiseStatus }) {
  const { t } = useTranslation();
  return <span className={`chip promise-${status}`}>{t(`promiseStatus.${status}`)}</span>;
}
