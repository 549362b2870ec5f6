import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccount } from '../stores/account';
import { useNav } from '../stores/nav';
import { DebtorPanel } from '../account/DebtorPanel';
import { ContactPoints } from '../account/ContactPoints';
import { ActivityHistory } from '../account/ActivityHistory';
import { Conversation } from '../account/Conversation';
import { NotesPanel } from '../account/NotesPanel';
import { PaymentsPanel } from '../account/PaymentsPanel';
import { ReceiptPanel } from '../field/ReceiptPanel';
import { RiskScorePanel } from '../account/RiskScorePanel';
import { PromisesPanel } from '../account/PromisesPanel';
import { NegotiationPanel } from '../negotiation/NegotiationPanel';
import { OutcomeForm } from '../outcome/OutcomeForm';
import { MessagePanel } from '../messaging/MessagePanel';
import { ExportDebtorButton } from '../account/ExportDebtorButton';
import { PortalLinkButtons } from '../account/PortalLinkButtons';
import { errorText } from '../lib/errors';
import { CALL_KEY, callButtonFor, isTypingTarget, useKeydown } from '../lib/keyboard';

export function AccountScreen({ accountId, active }: { accountId: string; active: boolean }) {
  const { t } = useTranslation();
  const detail = useAccount((s) => s.detail);
  const loading = useAccount((s) => s.loading);
  const error = useAccount((s) => s.error);
  const noteRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    void useAccount.getState().open(accountId);
    return () => useAccount.getState().close();
  }, [accountId]);

  // A contact blocked until a later moment (e.g. 07:00 the debtor's time) is re-checked when that
  // moment comes, so the call button comes back by itself.
  const callChecks = useAccount((s) => s.callChecks);
  useEffect(() => {
    const now = Date.now();
    const next = Object.values(callChecks)
      .filter((d) => !d.allowed && d.nextAllowedAt)
      .map((d) => Date.parse(d.nextAllowedAt!))
      .filter((ms) => ms > now && ms - now < 24 * 3600_000)
      .sort((a, b) => a - b)[0];
    if (next === undefined) return;
    const timer = setTimeout(() => void useAccount.getState().refresh(), next - now + 500);
    return () => clearTimeout(timer);
  }, [callChecks]);

  useKeydown((e) => {
    if (e.key === 'Escape') {
      if (isTypingTarget(e.target)) {
        (e.target as HTMLElement).blur();
        return;
      }
      e.preventDefault();
      useNav.getState().backToQueue();
      return;
    }
    if (isTypingTarget(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'n') {
      e.preventDefault();
      noteRef.current?.focus();
    } else if (e.key === CALL_KEY) {
      const button = callButtonFor(document, document.activeElement);
      if (button) {
        e.preventDefault();
        button.click();
      }
    } else if (e.key === 'r') {
      void useAccount.getState().refresh();
    }
  }, active);

  const back = (
    <button type="button" className="link back" onClick={() => useNav.getState().backToQueue()} data-testid="back-to-queue">
      ← {t('account.backToQueue')} <kbd>Esc</kbd>
    </button>
  );
  if (error && !detail) {
    return (
      <section className="account-screen">
        {back}
        <div className="form-error" role="alert">
          {errorText(t, error)}
        </div>
      </section>
    );
  }
  if (loading || !detail || detail.account.id !== accountId) {
    return (
      <section className="account-screen">
        {back}
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      </section>
    );
  }
  return (
    <section className="account-screen" aria-label={t('account.title')} data-testid="account-screen">
      {back}
      <ExportDebtorButton debtorId={detail.account.debtorId} />
      <PortalLinkButtons debtorId={detail.account.debtorId} />
      <div className="account-grid">
        <div className="col">
          <DebtorPanel detail={detail} />
          <RiskScorePanel detail={detail} />
          <ContactPoints detail={detail} />
          <MessagePanel detail={detail} />
        </div>
        <div className="col">
          <OutcomeForm key={detail.account.id} detail={detail} active={active} />
          <PromisesPanel detail={detail} />
          <NegotiationPanel detail={detail} />
          <ReceiptPanel detail={detail} />
          <PaymentsPanel detail={detail} />
        </div>
        <div className="col col-wide">
          <Conversation detail={detail} />
          <ActivityHistory detail={detail} />
          <NotesPanel detail={detail} noteRef={noteRef} />
        </div>
      </div>
    </section>
  );
}
