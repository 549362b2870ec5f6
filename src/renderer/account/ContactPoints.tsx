import { useTranslation } from 'react-i18next';
import { getApi } from '../api';
import type { AccountDetail, ComplianceDecision } from '../../shared/api/contract';
import type { ContactPoint } from '../../shared/domain/entities';
import { CallButton } from '../softphone';
import { useAccount } from '../stores/account';
import { errorText } from '../lib/errors';
import { useAction } from '../lib/useAction';
import { formatDateTime } from '../lib/datetime';
import { HeldBy } from '../messaging/HeldBy';

function Blocked({ decision, timeZone, accountId }: { decision: ComplianceDecision; timeZone: string; accountId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'es';
  return (
    <div className="blocked" data-testid="call-blocked">
      {decision.reasons.map((r) => (
        <div key={r.ruleId} data-rule={r.ruleId}>
          {r[lang]}
          {r.heldBy && <HeldBy held={r.heldBy} accountId={accountId} timeZone={timeZone} />}
        </div>
      ))}
      <div className="muted">
        {decision.nextAllowedAt
          ? t('contact.nextAllowed', { time: formatDateTime(decision.nextAllowedAt, timeZone, i18n.language) })
          : t('contact.neverAllowed')}
      </div>
    </div>
  );
}

function ContactPointRow({ cp, detail, decision }: { cp: ContactPoint; detail: AccountDetail; decision: ComplianceDecision | undefined }) {
  const { t } = useTranslation();
  const { busy, error, run } = useAction();
  // the account is read again on the dataChanged the write emits (stores/data.ts)
  const flag = (patch: { invalid?: boolean; verified?: boolean }) =>
    run(() => getApi().flagContactPoint({ contactPointId: cp.id, ...patch }));
  const blocked = decision && !decision.allowed;
  return (
    <li className={`cp-row${cp.invalid || cp.doNotContact ? ' cp-dead' : ''}`} data-testid="contact-point" data-value={cp.value}>
      <span className="cp-kind">{t(`contactKind.${cp.kind}`)}</span>
      <span className="cp-value">{cp.value}</span>
      {cp.label && <span className="muted small">{cp.label}</span>}
      {cp.verified && <span className="chip chip-ok">{t('contact.verified')}</span>}
      {cp.invalid && <span className="chip chip-bad">{t('contact.invalid')}</span>}
      {cp.doNotContact && <span className="chip chip-bad">{t('contact.dnc')}</span>}
      <span className="cp-actions">
        {cp.kind === 'phone' && <CallButton accountId={detail.account.id} contactPoint={cp} disabled={Boolean(blocked)} />}
        <button type="button" className="small" disabled={busy} onClick={() => void flag({ invalid: !cp.invalid })}>
          {cp.invalid ? t('contact.markValid') : t('contact.markInvalid')}
        </button>
        <button type="button" className="small" disabled={busy} onClick={() => void flag({ verified: !cp.verified })}>
          {cp.verified ? t('contact.unmarkVerified') : t('contact.markVerified')}
        </button>
      </span>
      {blocked && <Blocked decision={decision} timeZone={detail.debtor.timeZone} accountId={detail.account.id} />}
      {error && <span className="field-error">{errorText(t, error)}</span>}
    </li>
  );
}

export function ContactPoints({ detail }: { detail: AccountDetail }) {
  const { t } = useTranslation();
  const callChecks = useAccount((s) => s.callChecks);
  return (
    <section className="card" aria-labelledby="cp-title">
      <h3 id="cp-title">{t('contact.title')}</h3>
      {detail.contactPoints.length === 0 ? (
        <p className="muted">{t('contact.none')}</p>
      ) : (
        <ul className="plain cp-list">
          {detail.contactPoints.map((cp) => (
            <ContactPointRow key={cp.id} cp={cp} detail={detail} decision={callChecks[cp.id]} />
          ))}
        </ul>
      )}
    </section>
  );
}
