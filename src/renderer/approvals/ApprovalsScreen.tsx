import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApprovalRequest, MissedCallback } from '../../shared/domain/collections';
import type { NegotiationRule } from '../../shared/rules/negotiation';
import { formatMoneyCode } from '../../shared/domain/money';
import { getApi } from '../api';
import { formatCalendarDate, formatDateTime } from '../lib/datetime';
import { errorText, toUiError, type UiError } from '../lib/errors';
import { useAction } from '../lib/useAction';
import { HardshipList } from './HardshipList';
import { UnknownReplies } from './UnknownReplies';

/** The team lead's screen: pending negotiation requests with the policy limits, missed callbacks, hardship and unmatched replies. */
export function ApprovalsScreen() {
  const { t, i18n } = useTranslation();
  const [pending, setPending] = useState<ApprovalRequest[]>([]);
  const [missed, setMissed] = useState<MissedCallback[]>([]);
  const [error, setError] = useState<UiError | null>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    try {
      const [p, m] = await Promise.all([getApi().listApprovals({ status: 'pending' }), getApi().listMissedCallbacks()]);
      setPending(p);
      setMissed(m);
      setError(null);
    } catch (e) {
      setError(toUiError(e));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="approvals-screen" aria-labelledby="approvals-title" data-testid="approvals-screen">
      <h2 id="approvals-title">{t('approvals.title')}</h2>
      <button type="button" onClick={() => void load()}>
        {t('approvals.reload')}
      </button>
      {error && (
        <div className="form-error" role="alert">
          {errorText(t, error)}
        </div>
      )}
      {loading ? (
        <p className="muted">{t('common.loading')}</p>
      ) : pending.length === 0 ? (
        <p className="muted" data-testid="approvals-empty">
          {t('approvals.none')}
        </p>
      ) : (
        pending.map((a) => <ApprovalCard key={a.id} request={a} onDone={load} />)
      )}
      <h3>{t('approvals.missedTitle')}</h3>
      {missed.length === 0 ? (
        <p className="muted">{t('approvals.missedNone')}</p>
      ) : (
        <table className="table" data-testid="missed-callbacks">
          <thead>
            <tr>
              <th>{t('approvals.debtor')}</th>
              <th>{t('approvals.agent')}</th>
              <th>{t('approvals.callbackAt')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {missed.map((m) => (
              <tr key={m.accountId}>
                <td>
                  {m.debtorName} ({m.externalRef})
                </td>
                <td>{m.agentName ?? '—'}</td>
                <td>{formatDateTime(m.callbackAt, m.timeZone, i18n.language)}</td>
                <td>{m.callbackNote}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <HardshipList />
      {/* no debtor, so no debtor's zone: the workstation's own */}
      <UnknownReplies timeZone={Intl.DateTimeFormat().resolvedOptions().timeZone} />
    </section>
  );
}

function ApprovalCard({ request: a, onDone }: { request: ApprovalRequest; onDone: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [reason, setReason] = useState('');
  const [counterN, setCounterN] = useState('6');
  const { error, setError, run } = useAction();
  const rule = a.quote.rule as NegotiationRule | null;

  async function decide(decision: 'approve' | 'reject' | 'counter') {
    if (!reason.trim()) {
      setError({ code: 'validation', message: t('approvals.reasonRequired'), field: 'reason' });
      return;
    }
    const counterOffer =
      decision === 'counter' && a.proposal.kind === 'plan'
        ? { ...a.proposal, installments: Number(counterN) }
        : decision === 'counter'
          ? a.proposal
          : null;
    await run(async () => {
      await getApi().decideApproval({ id: a.id, decision: { decision, reason: reason.trim(), counterOffer } });
      await onDone();
    });
  }

  return (
    <article className="card" data-testid="approval" data-id={a.id}>
      <header>
        <strong>{a.debtorName}</strong> · {a.externalRef} · {t('approvals.agent')}: {a.agentName} · {t('approvals.balance')}:{' '}
        {formatMoneyCode(a.balanceMinor, a.currency, lang)}
      </header>
      <blockquote className="approval-justification" data-testid="approval-justification">
        <span className="muted small">{t('approvals.justification')}</span>
        <p>{a.justification || <span className="muted">{t('approvals.noJustification')}</span>}</p>
      </blockquote>
      <p>
        {a.proposal.kind === 'plan'
          ? t('approvals.planProposal', {
              count: a.proposal.installments,
              down: formatMoneyCode(a.proposal.downPaymentMinor, a.currency, lang),
            })
          : t('approvals.settlementProposal', {
              p: a.proposal.discounts.principalPct,
              i: a.proposal.discounts.interestPct,
              f: a.proposal.discounts.feesPct,
            })}
        {' · '}
        {t('negotiation.total')}: {formatMoneyCode(a.quote.totalMinor, a.currency, lang)}
        {' · '}
        {a.quote.schedule.length} {t('approvals.payments')}, {formatCalendarDate(a.quote.schedule[0]!.dueDate, lang)} –{' '}
        {formatCalendarDate(a.quote.schedule.at(-1)!.dueDate, lang)}
      </p>
      <ul className="small">
        {a.quote.authority.reasons.map((r) => (
          <li key={r.ruleId}>{lang === 'en' ? r.en : r.es}</li>
        ))}
      </ul>
      {rule && (
        <p className="muted small" data-testid="policy-limits">
          {t('approvals.limits', {
            agentN: rule.plan.agentMaxInstallments,
            maxN: rule.plan.maxInstallments,
            agentDown: rule.plan.agentMinDownPaymentPct,
            minDown: rule.plan.minDownPaymentPct,
            agentP: rule.settlement.agentDiscountPrincipalPct,
            maxP: rule.settlement.maxDiscountPrincipalPct,
          })}
        </p>
      )}
      <label>
        {t('approvals.reason')} <input data-testid="approval-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <div className="row">
        <button type="button" onClick={() => void decide('approve')} data-testid="approve">
          {t('approvals.approve')}
        </button>
        <button type="button" onClick={() => void decide('reject')} data-testid="reject">
          {t('approvals.reject')}
        </button>
        {a.proposal.kind === 'plan' && (
          <input size={3} value={counterN} onChange={(e) => setCounterN(e.target.value)} aria-label={t('negotiation.installments')} />
        )}
        <button type="button" onClick={() => void decide('counter')} data-testid="counter">
          {t('approvals.counter')}
        </button>
      </div>
      {error && (
        <div className="form-error" role="alert">
          {errorText(t, error)}
        </div>
      )}
    </article>
  );
}
