import { useTranslation } from 'react-i18next';
import type { ComplianceDecision } from '../../shared/api/contract';
import { formatDateTime } from '../lib/datetime';

/** Why a contact is refused now, and the next legal moment in the DEBTOR's local time. */
export function BlockedReason({ decision, timeZone, testId }: { decision: ComplianceDecision; timeZone: string; testId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'es';
  return (
    <div className="blocked" role="note" data-testid={testId} data-next={decision.nextAllowedAt ?? ''}>
      {decision.reasons.map((r) => <div key={r.ruleId} data-rule={r.ruleId}>{r[lang]}</div>)}
      <div className="muted">
        {decision.nextAllowedAt
          ? t('messaging.nextSlot', { time: formatDateTime(decision.nextAllowedAt, timeZone, i18n.language), zone: timeZone })
          : t('contact.neverAllowed')}
      </div>
    </div>
  );
}
