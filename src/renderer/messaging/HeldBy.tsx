import { useTranslation } from 'react-i18next';
import type { ComplianceDecision } from '../../shared/api/contract';
import { formatDateTime } from '../lib/datetime';

type Held = NonNullable<ComplianceDecision['reasons'][number]['heldBy']>;

/**
 * Which contact holds a frequency cap ("ya se usó otro canal"): its channel and moment, on this
 * account or another of the same debtor, by whom, and the day the cap frees — in the debtor's time.
 */
export function HeldBy({ held, accountId, timeZone }: { held: Held; accountId?: string; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const where =
    accountId && held.accountId === accountId
      ? t('contact.heldBy.thisAccount')
      : held.externalRef
        ? t('contact.heldBy.otherAccount', { ref: held.externalRef })
        : t('contact.heldBy.otherAccountUnknown');
  const who = held.agentName ? t('contact.heldBy.byAgent', { name: held.agentName }) : t('contact.heldBy.byOther');
  return (
    <div className="muted small" data-testid="held-by" data-account-id={held.accountId} data-channel={held.channel}>
      {t('contact.heldBy.text', {
        channel: t(`channel.${held.channel}`),
        at: formatDateTime(held.at, timeZone, i18n.language),
        where,
        who,
      })}{' '}
      {held.freesAt
        ? t('contact.heldBy.frees', { at: formatDateTime(held.freesAt, timeZone, i18n.language) })
        : t('contact.heldBy.notFreed')}
    </div>
  );
}
