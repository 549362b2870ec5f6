import { formatMoney, formatMoneyCode, minorToDecimal, type CurrencyCode } from '../../shared/domain/money';
import { formatDay } from '../../shared/domain/time';
import type { NegotiationRule } from '../../shared/rules/negotiation';
import type { DebtAccount, DebtorView, Quoted } from './actions';
import { esc, field, form, hidden, note, section, select } from './html';
import { t, type Lang } from './texts';

/** The page's pieces, each a function of what it shows; routes.ts strings them together. */

export interface Ctx {
  lang: Lang;
  /** /p/<token> */
  base: string;
}

/** Money in the account's currency; with the ISO code once the debtor's accounts mix currencies. */
export function money(c: Ctx, minor: number, currency: CurrencyCode, mixed: boolean): string {
  return mixed ? formatMoneyCode(minor, currency, c.lang) : formatMoney(minor, currency, c.lang);
}

export const mixedCurrencies = (v: DebtorView): boolean => new Set(v.accounts.map((a) => a.currency)).size > 1;

export function identityForm(c: Ctx, method: 'national_id_last4' | 'sms_code', message: string | null): string {
  const msg = message ? note(message) : '';
  if (method === 'national_id_last4') {
    return section(
      t(c.lang, 'identityTitle'),
      msg +
        form(
          `${c.base}/verify`,
          c.lang,
          field(
            t(c.lang, 'identityNationalId'),
            'answer',
            'inputmode="numeric" autocomplete="off" pattern="[0-9]{4}" maxlength="4" required',
          ),
          t(c.lang, 'continue'),
        ),
    );
  }
  return section(
    t(c.lang, 'identityTitle'),
    msg +
      `<p>${esc(t(c.lang, 'identitySmsIntro'))}</p>` +
      form(`${c.base}/code`, c.lang, '', t(c.lang, 'sendCode')) +
      form(
        `${c.base}/verify`,
        c.lang,
        field(t(c.lang, 'smsCode'), 'answer', 'inputmode="numeric" autocomplete="one-time-code" maxlength="6" required'),
        t(c.lang, 'continue'),
      ),
  );
}

export const ddmmyyyy = (iso: string): string => formatDay(iso, 'es');

/** dd/mm/aaaa (or yyyy-mm-dd) → yyyy-mm-dd; null when it is no date. */
export function parseDay(text: string): string | null {
  const s = text.trim();
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s) ?? null;
  const iso = m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : null;
  if (!iso) return null;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** The least down payment the debtor may confirm alone (the agent's minimum), up to the plan's rounding unit. */
function downDefault(a: DebtAccount, rule: NegotiationRule | null): number {
  if (!rule) return 0;
  const unit = rule.plan.roundingUnitMinor;
  return Math.min(a.balanceMinor, Math.ceil((a.balanceMinor * rule.plan.agentMinDownPaymentPct) / 100 / unit) * unit);
}

function accountCard(c: Ctx, v: DebtorView, a: DebtAccount, rule: NegotiationRule | null): string {
  const mixed = mixedCurrencies(v);
  const head = `<dl><dt>${esc(t(c.lang, 'account'))}</dt><dd>${esc(a.externalRef)}</dd><dt>${esc(t(c.lang, 'balance'))}</dt><dd>${esc(
    money(c, a.balanceMinor, a.currency, mixed),
  )}</dd><dt>${esc(t(c.lang, 'dpd'))}</dt><dd>${a.dpd}</dd></dl>`;
  if (a.balanceMinor <= 0) return section(a.externalRef, head + note(t(c.lang, 'paid'), true));
  const today = ddmmyyyy(v.today);
  const acc = hidden('accountId', a.id);
  const full = form(
    `${c.base}/quote`,
    c.lang,
    acc + hidden('kind', 'full') + field(t(c.lang, 'date'), 'date', `value="${today}" inputmode="numeric" required`),
    t(c.lang, 'see'),
  );
  const s = rule?.settlement;
  const pct = s ? Math.max(s.agentDiscountPrincipalPct, s.agentDiscountInterestPct) : 0;
  const settle =
    pct > 0
      ? `<details><summary>${esc(t(c.lang, 'settlement'))} (${esc(t(c.lang, 'discount'))} ${pct} %)</summary>${form(
          `${c.base}/quote`,
          c.lang,
          acc + hidden('kind', 'settlement') + field(t(c.lang, 'date'), 'date', `value="${today}" inputmode="numeric" required`),
          t(c.lang, 'see'),
        )}</details>`
      : '';
  const max = rule?.plan.maxInstallments ?? 1;
  const counts: Array<[string, string]> = Array.from({ length: Math.max(0, max - 1) }, (_, i) => [String(i + 2), String(i + 2)]);
  const plan =
    counts.length > 0
      ? `<details open><summary>${esc(t(c.lang, 'plan'))}</summary>${form(
          `${c.base}/quote`,
          c.lang,
          acc +
            hidden('kind', 'plan') +
            select(t(c.lang, 'installments'), 'installments', counts, String(Math.min(3, max))) +
            field(t(c.lang, 'downPayment'), 'down', `value="${minorToDecimal(downDefault(a, rule), a.currency)}" inputmode="decimal"`) +
            field(t(c.lang, 'firstDate'), 'date', `value="${today}" inputmode="numeric" required`),
          t(c.lang, 'see'),
        )}</details>`
      : '';
  return section(
    a.externalRef,
    `${head}<h3>${esc(t(c.lang, 'options'))}</h3><details><summary>${esc(t(c.lang, 'payFull'))}</summary>${full}</details>${settle}${plan}`,
  );
}

export function mainPage(c: Ctx, v: DebtorView, rules: Map<string, NegotiationRule | null>, flash: string | null): string {
  const cards = v.accounts.map((a) => accountCard(c, v, a, rules.get(a.id) ?? null)).join('');
  return (flash ? note(flash, true) : '') + `<p>${esc(v.name)}</p>` + cards + voiceForms(c, v);
}

export function scheduleTable(
  c: Ctx,
  rows: Array<{ dueDate: string; amountMinor: number; pay?: string }>,
  currency: CurrencyCode,
  mixed: boolean,
): string {
  const body = rows
    .map(
      (r, i) =>
        `<tr><td>${i + 1}</td><td>${ddmmyyyy(r.dueDate)}</td><td class="n">${esc(money(c, r.amountMinor, currency, mixed))}</td>${
          r.pay !== undefined ? `<td>${r.pay}</td>` : ''
        }</tr>`,
    )
    .join('');
  const payHead = rows.some((r) => r.pay !== undefined) ? '<th><span class="sr">—</span></th>' : '';
  return `<table><caption>${esc(t(c.lang, 'schedule'))}</caption><thead><tr><th>#</th><th>${esc(t(c.lang, 'due'))}</th><th class="n">${esc(
    t(c.lang, 'amount'),
  )}</th>${payHead}</tr></thead><tbody>${body}</tbody></table>`;
}

export function quotePage(c: Ctx, v: DebtorView, a: DebtAccount, q: Quoted, fields: Record<string, string>): string {
  const mixed = mixedCurrencies(v);
  const keep = Object.entries(fields)
    .map(([k, val]) => hidden(k, val))
    .join('');
  const total = `<p><strong>${esc(t(c.lang, 'total'))}: ${esc(money(c, q.totalMinor, a.currency, mixed))}</strong></p>`;
  let action: string;
  if (q.errors.length > 0 || q.decision === 'outside_policy') {
    action = note(q.errors.map((e) => e[c.lang]).join(' · ') || t(c.lang, 'invalidInput', { field: t(c.lang, 'plan') }));
  } else if (q.decision === 'within_agent') {
    action = form(`${c.base}/confirm`, c.lang, keep, t(c.lang, 'confirm'));
  } else {
    action =
      note(t(c.lang, 'needsApproval')) +
      form(
        `${c.base}/confirm`,
        c.lang,
        keep +
          hidden('request', '1') +
          `<label for="msg">${esc(t(c.lang, 'message'))}</label><textarea id="msg" name="message" maxlength="1000" rows="3"></textarea>`,
        t(c.lang, 'request'),
      );
  }
  return (
    section(a.externalRef, scheduleTable(c, q.schedule, a.currency, mixed) + total + action) +
    `<p><a href="${esc(c.base)}?lang=${c.lang}">${esc(t(c.lang, 'back'))}</a></p>`
  );
}

function voiceForms(c: Ctx, v: DebtorView): string {
  const channels: Array<[string, string]> = (['whatsapp', 'sms', 'email', 'call'] as const).map((ch) => [ch, t(c.lang, `channel_${ch}`)]);
  const prefs = form(
    `${c.base}/voice`,
    c.lang,
    hidden('kind', 'preferences') +
      select(t(c.lang, 'preferredChannel'), 'channel', channels, v.contactPrefs.preferredChannel ?? undefined) +
      field(t(c.lang, 'from'), 'from', 'type="time" value="09:00" required') +
      field(t(c.lang, 'to'), 'to', 'type="time" value="18:00" required'),
    t(c.lang, 'save'),
  );
  const refuse = form(
    `${c.base}/voice`,
    c.lang,
    hidden('kind', 'refuse') + select(t(c.lang, 'refuse'), 'channel', channels),
    t(c.lang, 'refuseBtn'),
  );
  const accounts: Array<[string, string]> = v.accounts.map((a) => [a.id, a.externalRef]);
  const dispute = form(
    `${c.base}/voice`,
    c.lang,
    hidden('kind', 'dispute') +
      select(t(c.lang, 'account'), 'accountId', accounts) +
      `<label for="reason">${esc(t(c.lang, 'disputeReason'))}</label><textarea id="reason" name="reason" maxlength="1000" rows="3" required></textarea>`,
    t(c.lang, 'disputeBtn'),
  );
  return section(
    t(c.lang, 'voice'),
    `<details><summary>${esc(t(c.lang, 'preferredChannel'))}</summary>${prefs}</details><details><summary>${esc(t(c.lang, 'refuse'))}</summary>${refuse}</details><details><summary>${esc(
      t(c.lang, 'dispute'),
    )}</summary>${dispute}</details>`,
  );
}
