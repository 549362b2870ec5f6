import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useManualCall } from './manual-call';
import { getApi } from '../api';
import type { AccountDetail, ComplianceDecision } from '../../shared/api/contract';
import { BlockedReason } from '../messaging/BlockedReason';
import { Channel, type Disposition } from '../../shared/domain/enums';
import { AGENT_CHANNELS } from '../../shared/domain/channels';
import type { ContactKind } from '../../shared/domain/enums';
import { currencyDigits, formatMoney } from '../../shared/domain/money';
import { promiseMinimumMinor } from '../../shared/rules/promises';
import { buildOutcome, MAX_INSTALLMENTS, type FieldErrors, type InstallmentDraft, type OutcomeDraft } from './buildOutcome';
import { DISPOSITION_ORDER, dispositionForShortcut, shortcutLabel } from './dispositions';
import { errorText } from '../lib/errors';
import { useAction } from '../lib/useAction';
import { altDigit, isTypingTarget, useKeydown } from '../lib/keyboard';
import { useSoftphone, type LastEndedCall } from '../softphone';
import { useAccount } from '../stores/account';
import { DateField } from '../components/DateField';
import { localDate } from '../../shared/domain/time';

const KINDS_FOR_CHANNEL: Record<Channel, ContactKind[]> = {
  call: ['phone'],
  sms: ['phone'],
  whatsapp: ['whatsapp', 'phone'],
  email: ['email'],
  visit: ['address'],
  letter: ['address'],
  self_service: [],
};

let rowKey = 0;
const newRow = (): InstallmentDraft => ({ key: `r${++rowKey}`, amount: '', date: '' });

function initialDraft(detail: AccountDetail): OutcomeDraft {
  const phone = detail.contactPoints.find((c) => c.kind === 'phone' && !c.invalid && !c.doNotContact);
  return {
    disposition: null,
    channel: 'call',
    direction: 'outbound',
    contactPointId: phone?.id ?? null,
    note: '',
    installments: [newRow()],
    callbackDate: '',
    callbackTime: '',
  };
}

/** Maps a field named by the main side (API schema paths) to the form field that shows it. */
function formField(apiField: string | undefined): string | null {
  if (!apiField) return null;
  // the API schema's paths (installments.2.amountMinor) and the promise rules' (installments[2].amountMinor)
  const inst = /installments(?:\.(\d+)\.|\[(\d+)\]\.)(amountMinor|dueDate)/.exec(apiField);
  if (inst) return `installments.${inst[1] ?? inst[2]}.${inst[3] === 'amountMinor' ? 'amount' : 'date'}`;
  if (apiField === 'installments' || apiField === 'promise') return 'installments';
  if (apiField.endsWith('callbackAt')) return 'callbackTime';
  if (apiField === 'note' || apiField === 'disposition') return apiField;
  return null;
}

export function OutcomeForm({ detail, active }: { detail: AccountDetail; active: boolean }) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<OutcomeDraft>(() => initialDraft(detail));
  const [errors, setErrors] = useState<FieldErrors>({});
  const { busy, error: apiError, setError: setApiError, run } = useAction();
  const [success, setSuccess] = useState<{ promise: boolean } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const { account, debtor } = detail;
  const currency = account.currency;
  // A call the softphone logged for this account: the outcome closes it (callActivityId).
  const [call, setCall] = useState<LastEndedCall | null>(null);
  const lastEnded = useSoftphone((s) => s.lastEnded);
  useEffect(() => {
    if (!lastEnded || lastEnded.accountId !== account.id) return;
    setCall(lastEnded);
    const cp = detail.contactPoints.find((c) => c.kind === 'phone' && c.id === draft.contactPointId);
    setDraft((d) => ({
      ...d,
      channel: 'call',
      contactPointId: cp?.id ?? d.contactPointId,
      disposition: lastEnded.suggestedDisposition ?? d.disposition,
    }));
    setSuccess(null);
    useSoftphone.getState().consumeLastEnded();
  }, [lastEnded, account.id]);

  // Beside a call button the softphone cannot serve: log a call dialled from another phone.
  const manual = useManualCall((s) => s.request);
  useEffect(() => {
    if (!manual || manual.accountId !== account.id) return;
    setCall(null);
    setDraft((d) => ({ ...d, channel: 'call', contactPointId: manual.contactPointId, direction: 'outbound' }));
    setSuccess(null);
    requestAnimationFrame(() => {
      formRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
      formRef.current?.querySelector<HTMLElement>('input[name="disposition"]')?.focus();
    });
  }, [manual, account.id]);

  // Logging a contact by hand is making it: checked like placing it, before and at submit (the
  // workstation refuses a forbidden outbound one). A softphone call was checked before dialling.
  const direction = draft.direction ?? 'outbound';
  const checked = !call && direction === 'outbound' && draft.channel !== 'letter';
  const [decision, setDecision] = useState<ComplianceDecision | null>(null);
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    let live = true;
    setDecision(null);
    if (!checked) return;
    getApi()
      .checkContact({ accountId: account.id, contactPointId: draft.contactPointId, channel: draft.channel })
      .then(
        (d) => {
          if (live) setDecision(d);
        },
        () => {
          /* the submit's own check answers */
        },
      );
    return () => {
      live = false;
    };
  }, [checked, account.id, draft.contactPointId, draft.channel, detail]);

  const contactOptions = useMemo(
    () => detail.contactPoints.filter((c) => KINDS_FOR_CHANNEL[draft.channel].includes(c.kind)),
    [detail.contactPoints, draft.channel],
  );

  const update = (patch: Partial<OutcomeDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSuccess(null);
  };
  const updateRow = (i: number, patch: Partial<InstallmentDraft>) =>
    update({ installments: draft.installments.map((r, j) => (j === i ? { ...r, ...patch } : r)) });

  const chooseDisposition = (disposition: Disposition) => {
    update({ disposition });
    setErrors(({ disposition: _dropped, ...rest }) => rest);
    // Put the cursor where the agent types next for the chosen disposition.
    requestAnimationFrame(() => {
      const target =
        disposition === 'promise_to_pay'
          ? 'input[name="installments.0.amount"]'
          : disposition === 'callback_requested'
            ? 'input[name="callbackDate"]'
            : 'textarea[name="note"]';
      formRef.current?.querySelector<HTMLElement>(target)?.focus();
    });
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    setApiError(null);
    setSuccess(null);
    setRefused(false);
    const built = buildOutcome(draft, {
      accountId: account.id,
      currency,
      balanceMinor: account.balanceMinor,
      timeZone: debtor.timeZone,
      now: new Date(),
      callActivityId: call?.activityId ?? null,
      policy: detail.promisePolicy ?? null,
    });
    if (!built.ok) {
      setErrors(built.errors);
      const first = Object.keys(built.errors)[0];
      if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    setErrors({});
    // the account and the queue are read again — once — on the dataChanged the write emits (stores/data.ts)
    await run(
      async () => {
        const result = await useAccount.getState().logOutcome(built.input);
        setSuccess({ promise: result.promiseId !== null });
        setDraft(initialDraft(detail));
        setCall(null);
        // saved: the cursor leaves the form, so the next key is a shortcut, not text in the note
        const focused = document.activeElement;
        if (focused instanceof HTMLElement && formRef.current?.contains(focused)) focused.blur();
      },
      {
        onError: (ui) => {
          if (ui.code === 'compliance.blocked') {
            // the reasons and the next allowed moment, in the agent's language and the debtor's time
            setRefused(true);
            void getApi()
              .checkContact({ accountId: account.id, contactPointId: built.input.contactPointId ?? null, channel: built.input.channel })
              .then(setDecision, () => {});
            return;
          }
          const field = formField(ui.field);
          if (field) setErrors({ [field]: { key: 'server', params: { message: errorText(t, ui) } } });
          else setApiError(ui);
        },
      },
    );
  };

  useKeydown((e) => {
    const digit = altDigit(e);
    if (digit !== null) {
      const d = dispositionForShortcut(digit);
      if (d) {
        e.preventDefault();
        chooseDisposition(d);
      }
      return;
    }
    const inThisForm = formRef.current?.contains(e.target as Node | null) ?? false;
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && (inThisForm || !isTypingTarget(e.target))) {
      e.preventDefault();
      void submit();
    }
  }, active);

  const err = (field: string) => {
    const fe = errors[field];
    if (!fe) return null;
    const text = fe.text ? fe.text[i18n.language === 'en' ? 'en' : 'es'] : t(`outcome.errors.${fe.key}`, fe.params);
    return (
      <span className="field-error" role="alert" data-testid={`error-${field}`}>
        {text}
      </span>
    );
  };
  const step = currencyDigits(currency) === 0 ? '1' : '0.01';
  // the policy's least total, said before the agent types (the same rule checks it at submit)
  const minimum = detail.promisePolicy ? promiseMinimumMinor(detail.promisePolicy, account.balanceMinor) : 0;

  return (
    <form
      ref={formRef}
      className="card outcome-form"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="outcome-title"
      noValidate
      data-testid="outcome-form"
    >
      <h3 id="outcome-title">{t('outcome.title')}</h3>
      {call && (
        <div className="call-link" data-testid="outcome-call">
          <span>{t('outcome.closingCall', { status: call.sipStatus ?? '—' })}</span>
          <button type="button" className="link small" onClick={() => setCall(null)}>
            {t('outcome.detachCall')}
          </button>
        </div>
      )}
      <fieldset className="dispositions">
        <legend>{t('outcome.disposition')}</legend>
        {DISPOSITION_ORDER.map((d, i) => (
          <label key={d} className={`disp${draft.disposition === d ? ' chosen' : ''}`}>
            <input type="radio" name="disposition" value={d} checked={draft.disposition === d} onChange={() => chooseDisposition(d)} />
            <span>{t(`disposition.${d}`)}</span>
            {shortcutLabel(i) && <kbd>{shortcutLabel(i)}</kbd>}
          </label>
        ))}
        {err('disposition')}
      </fieldset>

      <div className="row2">
        <label>
          {t('outcome.channel')}
          <select
            name="channel"
            value={draft.channel}
            onChange={(e) => {
              const channel = Channel.parse(e.target.value);
              const first = detail.contactPoints.find((c) => KINDS_FOR_CHANNEL[channel].includes(c.kind) && !c.invalid);
              update({ channel, contactPointId: first?.id ?? null });
            }}
          >
            {AGENT_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('outcome.contactPoint')}
          <select
            name="contactPointId"
            value={draft.contactPointId ?? ''}
            onChange={(e) => update({ contactPointId: e.target.value || null })}
          >
            <option value="">{t('common.none')}</option>
            {contactOptions.map((c) => (
              <option key={c.id} value={c.id}>
                {c.value}
                {c.invalid ? ` (${t('contact.invalid')})` : ''}
              </option>
            ))}
          </select>
        </label>
      </div>

      {draft.disposition === 'promise_to_pay' && (
        <fieldset className="promise-rows" data-testid="promise-rows">
          <legend>{t('outcome.promise', { currency })}</legend>
          {draft.installments.map((row, i) => (
            <div key={row.key} className="promise-row">
              <span className="muted">{i + 1}.</span>
              <label>
                {t('outcome.amount', { currency })}
                <input
                  name={`installments.${i}.amount`}
                  inputMode="decimal"
                  data-step={step}
                  autoComplete="off"
                  value={row.amount}
                  aria-invalid={Boolean(errors[`installments.${i}.amount`])}
                  onChange={(e) => updateRow(i, { amount: e.target.value })}
                />
                {err(`installments.${i}.amount`)}
              </label>
              <label>
                {t('outcome.date')}
                <DateField
                  name={`installments.${i}.date`}
                  value={row.date}
                  startFrom={localDate(new Date(), debtor.timeZone)}
                  onChange={(date) => updateRow(i, { date })}
                />
                {err(`installments.${i}.date`)}
              </label>
              {draft.installments.length > 1 && (
                <button
                  type="button"
                  className="small"
                  aria-label={t('outcome.removeRow', { n: i + 1 })}
                  onClick={() => update({ installments: draft.installments.filter((_, j) => j !== i) })}
                >
                  ✕
                </button>
              )}
            </div>
          ))}
          {draft.installments.length < MAX_INSTALLMENTS && (
            <button type="button" className="small" onClick={() => update({ installments: [...draft.installments, newRow()] })}>
              {t('outcome.addRow')}
            </button>
          )}
          {minimum > 0 && (
            <span className="muted small" data-testid="promise-minimum">
              {t('outcome.minimum', { amount: formatMoney(minimum, currency, i18n.language), currency })}
            </span>
          )}
          <span className="muted small">{t('outcome.debtorCalendar', { zone: debtor.timeZone })}</span>
          {err('installments')}
        </fieldset>
      )}

      {draft.disposition === 'callback_requested' && (
        <fieldset className="row2">
          <legend>
            {t('outcome.callback')}{' '}
            <span className="muted small">
              — {t('account.debtorLocalTimeShort')} ({debtor.timeZone})
            </span>
          </legend>
          <label>
            {t('outcome.date')}
            <DateField
              name="callbackDate"
              value={draft.callbackDate}
              startFrom={localDate(new Date(), debtor.timeZone)}
              onChange={(callbackDate) => update({ callbackDate })}
            />
            {err('callbackDate')}
          </label>
          <label>
            {t('outcome.time')}
            <input name="callbackTime" type="time" value={draft.callbackTime} onChange={(e) => update({ callbackTime: e.target.value })} />
            {err('callbackTime')}
          </label>
        </fieldset>
      )}

      {!call && (
        <fieldset className="direction" data-testid="outcome-direction">
          <legend>{t('outcome.direction')}</legend>
          {(['outbound', 'inbound'] as const).map((d) => (
            <label key={d}>
              <input
                type="radio"
                name="direction"
                value={d}
                checked={direction === d}
                onChange={() => {
                  update({ direction: d });
                  setRefused(false);
                }}
              />
              {t(`outcome.direction_${d}`)}
            </label>
          ))}
          {draft.channel === 'call' && direction === 'outbound' && (
            <span className="muted small" data-testid="outcome-manual-dial">
              {t('outcome.manualDial')}
            </span>
          )}
        </fieldset>
      )}
      {checked && decision && !decision.allowed && (
        <div data-testid={refused ? 'outcome-refused' : 'outcome-blocked'} role={refused ? 'alert' : undefined}>
          <strong>{t(refused ? 'outcome.refused' : 'outcome.blockedNow')}</strong>
          <BlockedReason decision={decision} timeZone={debtor.timeZone} testId="outcome-blocked-reason" accountId={account.id} />
          <span className="muted small">{t('outcome.inboundHint')}</span>
        </div>
      )}

      <label>
        {t('outcome.note')}
        <textarea name="note" rows={3} maxLength={4000} value={draft.note} onChange={(e) => update({ note: e.target.value })} />
        {err('note')}
      </label>

      {apiError && (
        <div className="form-error" role="alert">
          {errorText(t, apiError)}
        </div>
      )}
      {success && (
        <div className="form-success" role="status" data-testid="outcome-success">
          {success.promise ? t('outcome.savedPromise') : t('outcome.saved')}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="outcome-submit">
          {busy ? t('common.saving') : t('outcome.submit')} <kbd>Ctrl+Enter</kbd>
        </button>
        <span className="muted small" lang={i18n.language}>
          {t('outcome.savedLocally')}
        </span>
      </div>
    </form>
  );
}
