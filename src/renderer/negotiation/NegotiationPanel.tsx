import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountDetail, MyApproval } from '../../shared/api/contract';
import type { NegotiationProposalInput, NegotiationQuote } from '../../shared/domain/collections';
import { formatMoney, minorToDecimal, parseAmount } from '../../shared/domain/money';
import { localDate } from '../../shared/domain/time';
import { balanceBreakdown } from '../../shared/rules/negotiation';
import { getApi } from '../api';
import { formatCalendarDate } from '../lib/datetime';
import { DateField } from '../components/DateField';
import { errorText, toUiError, type UiError } from '../lib/errors';
import { useAction } from '../lib/useAction';
import { useSync } from '../stores/sync';

/**
 * Negotiation calculator: a settlement with discounts or a plan with N installments. Quoted on
 * the main side with the synced policy (works offline); "Acordar" within the agent's authority,
 * "Enviar a aprobación" beyond it. Below it, this account's approval requests and their answers.
 */
const PART = { principalPct: 'principalMinor', interestPct: 'interestMinor', feesPct: 'feesMinor' } as const;

export function NegotiationPanel({ detail }: { detail: AccountDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const currency = detail.account.currency;
  const today = localDate(new Date(), detail.debtor.timeZone);
  // what each settlement discount applies to: the same split the quote discounts and the account shows
  const split = balanceBreakdown(detail.account);
  const [kind, setKind] = useState<'plan' | 'settlement'>('plan');
  const [installments, setInstallments] = useState('6');
  const [down, setDown] = useState('0');
  // until the agent types a down payment, it follows the least the agent may accept, so the first
  // quote shown is one the agent can offer (a plan with no down payment is often outside policy)
  const [downTouched, setDownTouched] = useState(false);
  const [startDate, setStartDate] = useState(today);
  const [disc, setDisc] = useState({ principalPct: '0', interestPct: '0', feesPct: '0' });
  const [quote, setQuote] = useState<NegotiationQuote | null>(null);
  const { busy, error, setError, run } = useAction();
  const [notice, setNotice] = useState<'agreed' | 'sent' | null>(null);
  const [approvals, setApprovals] = useState<MyApproval[]>([]);
  const [justification, setJustification] = useState('');
  const [justificationError, setJustificationError] = useState(false);
  const sync = useSync((s) => s.state);

  const proposal = useCallback((): NegotiationProposalInput | UiError => {
    if (kind === 'settlement') {
      const pct = (v: string) => Number(v.replace(',', '.'));
      const d = { principalPct: pct(disc.principalPct), interestPct: pct(disc.interestPct), feesPct: pct(disc.feesPct) };
      for (const [k, v] of Object.entries(d)) if (!(v >= 0 && v <= 100)) return { code: 'validation', message: k, field: `discounts.${k}` };
      return { kind: 'settlement', discounts: d, payDate: startDate };
    }
    const n = Number(installments);
    if (!Number.isInteger(n) || n < 1 || n > 250)
      return { code: 'validation', message: t('negotiation.installments'), field: 'installments' };
    const dp = down.trim() === '' ? { ok: true as const, minor: 0 } : parseAmount(down, currency);
    if (!dp.ok) return { code: 'validation', message: `${t('negotiation.downPayment')}: ${dp.reason}`, field: 'downPaymentMinor' };
    return { kind: 'plan', installments: n, downPaymentMinor: dp.minor, monthlyInterestPct: null, startDate };
  }, [kind, disc, startDate, installments, down, currency, t]);

  const loadApprovals = useCallback(async () => {
    setApprovals(await getApi().listMyApprovals({ accountId: detail.account.id }));
  }, [detail.account.id]);
  useEffect(() => {
    void loadApprovals();
  }, [loadApprovals, detail]);

  useEffect(() => {
    const p = proposal();
    if ('code' in p) {
      setQuote(null);
      setError(p);
      return;
    }
    let live = true;
    getApi()
      .quoteNegotiation({ accountId: detail.account.id, proposal: p })
      .then(
        (q) => {
          if (!live) return;
          setQuote(q);
          setError(null);
          const rule = q.rule as { plan?: { agentMinDownPaymentPct?: number } } | null;
          const pct = rule?.plan?.agentMinDownPaymentPct ?? 0;
          if (!downTouched && p.kind === 'plan' && pct > 0 && p.downPaymentMinor === 0) {
            setDown(minorToDecimal(Math.ceil((q.balanceMinor * pct) / 100), currency));
          }
        },
        (e: unknown) => {
          if (live) {
            setQuote(null);
            setError(toUiError(e));
          }
        },
      );
    return () => {
      live = false;
    };
  }, [proposal, detail.account.id, detail.account.balanceMinor, downTouched, currency]);

  async function submit() {
    const p = proposal();
    if ('code' in p) return;
    const asking = quote?.authority.decision === 'needs_approval';
    if (asking && !justification.trim()) {
      setJustificationError(true);
      return;
    }
    await run(async () => {
      const r = await getApi().proposePlan({
        accountId: detail.account.id,
        proposal: p,
        ...(asking ? { justification: justification.trim() } : {}),
      });
      setNotice(r.outcome === 'agreed' ? 'agreed' : 'sent');
      if (r.outcome === 'sent_for_approval') setJustification('');
      await loadApprovals();
    });
  }

  /** The team lead's counter-offer back into the calculator, to quote and propose again. */
  function applyCounter(c: NonNullable<MyApproval['counterOffer']>) {
    if (c.kind === 'plan') {
      setKind('plan');
      setInstallments(String(c.installments));
      setDownTouched(true);
      setDown(minorToDecimal(c.downPaymentMinor, currency));
      setStartDate(c.startDate < today ? today : c.startDate);
    } else {
      setKind('settlement');
      setDisc({
        principalPct: String(c.discounts.principalPct),
        interestPct: String(c.discounts.interestPct),
        feesPct: String(c.discounts.feesPct),
      });
      setStartDate(c.payDate < today ? today : c.payDate);
    }
  }

  // a request is queued like any write: say what the connection is doing with it now — sent, on its
  // way, or waiting for the connection — rather than "se sincroniza al haber conexión" while online
  const noticeText =
    notice === 'agreed'
      ? t('negotiation.agreed')
      : !sync?.online
        ? t('negotiation.sentOffline')
        : sync.pending === 0
          ? t('negotiation.sentOnline')
          : t('negotiation.sending');
  const unseen = approvals.filter((a) => a.unseen);
  const verdict = quote?.authority.decision;
  return (
    <section className="card" aria-labelledby="negotiation-title" data-testid="negotiation">
      <h3 id="negotiation-title">{t('negotiation.title')}</h3>
      {unseen.length > 0 && (
        <div className={`approval-notice approval-notice-${unseen[0]!.status}`} role="status" data-testid="approval-notice">
          <div>
            {unseen.map((a) => (
              <p key={a.id}>
                <strong>{t(`negotiation.decided.${a.status}`)}</strong>
                {a.decisionReason ? ` — ${a.decisionReason}` : ''}
              </p>
            ))}
          </div>
          <button
            type="button"
            className="link"
            onClick={() =>
              void getApi()
                .markApprovalsSeen({ ids: unseen.map((a) => a.id) })
                .then(loadApprovals)
            }
          >
            {t('negotiation.seen')}
          </button>
        </div>
      )}
      <div className="row neg-row">
        <label>
          <input type="radio" name="neg-kind" checked={kind === 'plan'} onChange={() => setKind('plan')} /> {t('negotiation.plan')}
        </label>
        <label>
          <input
            type="radio"
            name="neg-kind"
            checked={kind === 'settlement'}
            onChange={() => setKind('settlement')}
            data-testid="neg-settlement"
          />{' '}
          {t('negotiation.settlement')}
        </label>
      </div>
      {kind === 'plan' ? (
        <div className="row neg-row">
          <label>
            {t('negotiation.installments')}{' '}
            <input
              data-testid="neg-installments"
              inputMode="numeric"
              size={4}
              value={installments}
              onChange={(e) => setInstallments(e.target.value)}
            />
          </label>
          <label>
            {t('negotiation.downPayment')}{' '}
            <input
              data-testid="neg-down"
              inputMode="decimal"
              size={12}
              value={down}
              onChange={(e) => {
                setDownTouched(true);
                setDown(e.target.value);
              }}
            />
          </label>
          <label>
            {t('negotiation.startDate')} <DateField value={startDate} min={today} onChange={setStartDate} testId="neg-start-date" />
          </label>
        </div>
      ) : (
        <div className="row neg-row">
          {(['principalPct', 'interestPct', 'feesPct'] as const).map((k) => (
            <label key={k}>
              {t(`negotiation.${k}`)}{' '}
              <input inputMode="decimal" size={4} value={disc[k]} onChange={(e) => setDisc({ ...disc, [k]: e.target.value })} /> %{' '}
              <span className="muted small" data-testid={`neg-of-${k}`}>
                {t('negotiation.ofAmount', { amount: formatMoney(split[PART[k]], currency, lang) })}
              </span>
            </label>
          ))}
          <label>
            {t('negotiation.payDate')} <DateField value={startDate} min={today} onChange={setStartDate} testId="neg-pay-date" />
          </label>
        </div>
      )}
      {error && (
        <div className="form-error" role="alert">
          {errorText(t, error)}
        </div>
      )}
      {quote && (
        <div data-testid="neg-quote">
          <p>
            {t('negotiation.total')}:{' '}
            <strong className="num" data-testid="neg-total">
              {formatMoney(quote.totalMinor, currency, lang)}
            </strong>
            {quote.discountMinor > 0 && (
              <>
                {' '}
                · {t('negotiation.discount')}: {formatMoney(quote.discountMinor, currency, lang)}
              </>
            )}
            {quote.interestMinor > 0 && (
              <>
                {' '}
                · {t('negotiation.interest')}: {formatMoney(quote.interestMinor, currency, lang)}
              </>
            )}
          </p>
          <table className="table compact">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('promises.dueDate')}</th>
                <th className="num">{t('promises.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {quote.schedule.map((i, n) => (
                <tr key={n}>
                  <td>{n + 1}</td>
                  <td>{formatCalendarDate(i.dueDate, lang)}</td>
                  <td className="num">{formatMoney(i.amountMinor, currency, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className={`chip verdict-${verdict}`} data-testid="neg-verdict" data-verdict={verdict}>
            {t(`negotiation.verdict.${verdict}`)}
          </p>
          <ul className="small">
            {quote.authority.reasons.map((r) => (
              <li key={r.ruleId}>{lang === 'en' ? r.en : r.es}</li>
            ))}
          </ul>
          {verdict === 'needs_approval' && (
            <label className="neg-justification">
              {t('negotiation.justification')}
              <textarea
                data-testid="neg-justification"
                rows={3}
                maxLength={2000}
                placeholder={t('negotiation.justificationHint')}
                value={justification}
                aria-invalid={justificationError && !justification.trim()}
                onChange={(e) => {
                  setJustification(e.target.value);
                  setJustificationError(false);
                }}
              />
              {justificationError && !justification.trim() && (
                <span className="field-error" role="alert" data-testid="neg-justification-error">
                  {t('negotiation.justificationRequired')}
                </span>
              )}
            </label>
          )}
          {verdict !== 'outside_policy' && (
            <button type="button" disabled={busy} onClick={() => void submit()} data-testid="neg-submit">
              {verdict === 'within_agent' ? t('negotiation.agree') : t('negotiation.sendForApproval')}
            </button>
          )}
        </div>
      )}
      {notice && (
        <p className="muted" role="status" data-testid="neg-notice">
          {noticeText}
        </p>
      )}
      {approvals.length > 0 && (
        <div>
          <h4>{t('negotiation.requests')}</h4>
          <ul data-testid="my-approvals">
            {approvals.map((a) => (
              <li key={a.id} data-status={a.status}>
                <span className={`chip approval-${a.status}`}>{t(`approvals.status.${a.status}`)}</span>{' '}
                {a.proposal.kind === 'plan'
                  ? t('negotiation.planSummary', { count: a.proposal.installments })
                  : t('negotiation.settlement')}
                {' · '}
                {formatMoney(a.quote.totalMinor, a.currency, lang)}
                {a.decisionReason && <> — {a.decisionReason}</>}
                {a.local && <span className="muted"> ({t('negotiation.notSynced')})</span>}
                {a.counterOffer?.kind === 'plan' && <> · {t('negotiation.counter', { count: a.counterOffer.installments })}</>}
                {a.status === 'countered' && a.counterOffer && (
                  <button type="button" className="link" data-testid="use-counter" onClick={() => applyCounter(a.counterOffer!)}>
                    {t('negotiation.useCounter')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
