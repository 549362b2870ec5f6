import { useTranslation } from 'react-i18next';
import type { ComplianceDecision } from '../../shared/api/contract';
import { formatDateTime } from '../lib/datetime';
import { HeldBy } from './HeldBy';

/** Why a contact is refused now, and the next legal moment in the DEBTOR's local time. */
export function BlockedReason({
  decision,
  timeZone,
  testId,
  accountId,
}: {
  decision: ComplianceDecision;
  timeZone: string;
  testId: string;
  accountId?: string;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'es';
  return (
    <div className="blocked" role="note" data-testid={testId} data-next={decision.nextAllowedAt ?? ''}>
      {decision.reasons.map((r) => (
        <div key={r.ruleId} data-rule={r.ruleId}>
          {r[lang]}
          {r.heldBy && <HeldBy held={r.heldBy} accountId={accountId} timeZone={timeZone} />}
        </div>
      ))}
      <div className="muted">
        {decision.nextAllowedAt
          ? t('messaging.nextSlot', { time: formatDateTime(decision.nextAllowedAt, timeZone, i18n.language), zone: timeZone })
          : t('contact.neverAllowed')}
      </div>
    </div>
  );
}
