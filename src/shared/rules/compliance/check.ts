import type { ComplianceDecision } from '../../api/contract';
import type { Account, ContactPoint, Debtor } from '../../domain/entities';
import { CHANNEL_FACTS } from '../../domain/channels';
import type { AccountStatus, Channel, ContactKind } from '../../domain/enums';
import { localDateFast } from '../clock';
import { searchNextAllowed, softFailures, type PastContact, type SoftContext } from './evaluate';
import type { HolidayCalendar } from './holidays';
import { dateHolidaysCalendar } from './holidays.date-holidays';
import { mergeProfile, profileFor } from './profiles';
import { resolveZones, type ResolvedZones } from './timezone';
import { channelWord, kindWord } from './words';
import { ComplianceOverride, type ComplianceOverrideInput, type Party, type Reason } from './types';

export interface ContactAttempt {
  accountId: string;
  debtorId: string;
  channel: Channel;
  at: string;
  /** A conversation with the debtor happened (right-party contact). */
  conversation: boolean;
  /**
   * Outbound when absent. An inbound contact (the debtor called or wrote) is not an attempt of
   * ours, so it counts only towards the caps on conversations (Reg F's 7 days after a conversation).
   */
  direction?: 'outbound' | 'inbound';
  /** Who made it, when known: named in a cap's refusal (Reason.heldBy). */
  agentId?: string | null;
}

export interface ComplianceInput {
  channel: Channel;
  contactPoint: Pick<ContactPoint, 'kind' | 'value' | 'invalid' | 'doNotContact'> | null;
  debtor: Pick<Debtor, 'id' | 'country' | 'timeZone' | 'contactPrefs'>;
  account: Pick<Account, 'id' | 'status'>;
  /** Attempts on this debtor from every agent and channel: the server's, plus the client's unsynced ones. */
  history: ReadonlyArray<ContactAttempt>;
  /** Organisation: its country and zone (fallbacks), its DNC list and its stricter overrides. */
  org?: {
    country?: string;
    timeZone?: string;
    dncNumbers?: ReadonlyArray<string>;
    overrides?: ComplianceOverrideInput;
  };
  /** Who is being contacted; the debtor when absent. */
  party?: Party;
  /** Public holidays; date-holidays when absent. */
  holidays?: HolidayCalendar;
  at: Date;
}

const HARD_STATUS: Partial<Record<AccountStatus, { es: string; en: string }>> = {
  do_not_contact: {
    es: 'El deudor pidió no ser contactado (cese de comunicaciones)',
    en: 'The debtor asked not to be contacted (cease and desist)',
  },
  dispute: {
    es: 'Deuda en disputa bajo revisión: no se gestiona hasta resolverla',
    en: 'Debt disputed and under review: no contact until resolved',
  },
  hardship: { es: 'Cuenta en dificultad económica (hardship): toda gestión suspendida', en: 'Account in hardship: all activity suspended' },
  deceased: { es: 'Deudor fallecido', en: 'Debtor deceased' },
  bankrupt: { es: 'Deudor en quiebra o procedimiento concursal', en: 'Debtor bankrupt or in insolvency proceedings' },
  closed: { es: 'Cuenta cerrada', en: 'Account closed' },
};

const digits = (s: string) => s.replace(/\D/g, '');

function invalidInput(field: string, message: string): Error {
  return new Error(`checkContact: ${field}: ${message}`);
}

interface Prepared {
  hard: Reason[];
  soft: SoftContext;
  zones: ResolvedZones;
}

function prepare(input: ComplianceInput): Prepared {
  // Not `instanceof Date`: a Date from another realm (iframe, vm context) is still a Date.
  if (Object.prototype.toString.call(input.at) !== '[object Date]' || Number.isNaN(input.at.getTime()))
    throw invalidInput('at', 'not a valid Date');
  const parsedOverride = input.org?.overrides === undefined ? undefined : ComplianceOverride.safeParse(input.org.overrides);
  if (parsedOverride && !parsedOverride.success) {
    const issue = parsedOverride.error.issues[0];
    throw invalidInput(`org.overrides.${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid');
  }
  const profile = mergeProfile(profileFor(input.debtor.country || input.org?.country), parsedOverride?.data);
  const history: PastContact[] = input.history.map((h, i) => {
    const at = Date.parse(h.at);
    if (Number.isNaN(at)) throw invalidInput(`history[${i}].at`, `not an ISO instant: ${JSON.stringify(h.at)}`);
    return {
      at,
      channel: h.channel,
      conversation: h.conversation,
      accountId: h.accountId,
      inbound: h.direction === 'inbound',
      agentId: h.agentId ?? null,
    };
  });
  const cp = input.contactPoint;
  const hard: Reason[] = [];
  const status = HARD_STATUS[input.account.status];
  if (status) hard.push({ ruleId: `hard.status.${input.account.status}`, ...status });
  if (cp?.invalid) hard.push({ ruleId: 'hard.contact_point.invalid', es: 'Dato de contacto inválido', en: 'Invalid contact point' });
  if (cp?.doNotContact)
    hard.push({
      ruleId: 'hard.contact_point.dnc',
      es: 'Dato de contacto marcado "no contactar"',
      en: 'Contact point marked do-not-contact',
    });
  if (cp && !CHANNEL_FACTS[input.channel].kinds.includes(cp.kind)) {
    hard.push({
      ruleId: 'hard.contact_point.kind',
      es: `El canal ${channelWord(input.channel, 'es')} no puede usar un dato de tipo ${kindWord(cp.kind, 'es')}`,
      en: `The ${channelWord(input.channel, 'en')} channel cannot use a ${kindWord(cp.kind, 'en')} contact point`,
    });
  }
  if (cp && (cp.kind === 'phone' || cp.kind === 'whatsapp') && input.org?.dncNumbers?.length) {
    const n = digits(cp.value);
    if (n && input.org.dncNumbers.some((d) => digits(d) === n)) {
      hard.push({
        ruleId: 'hard.org_dnc',
        es: 'Número en la lista interna de no contactar de la organización',
        en: "Number on the organisation's do-not-call list",
      });
    }
  }
  if ((input.debtor.contactPrefs.refusedChannels ?? []).includes(input.channel)) {
    hard.push({
      ruleId: 'hard.channel_refused',
      es: `El deudor pidió no recibir más mensajes por ${channelWord(input.channel, 'es')} (baja)`,
      en: `The debtor opted out of the ${channelWord(input.channel, 'en')} channel`,
    });
  }
  const authorized = input.debtor.contactPrefs.authorizedChannels;
  if ((profile.requireAuthorizedChannels || authorized.length > 0) && !authorized.includes(input.channel)) {
    hard.push({
      ruleId: 'hard.channel_not_authorized',
      es: `El deudor no autorizó el canal ${channelWord(input.channel, 'es')}${profile.requireAuthorizedChannels ? ` (${profile.country === 'CO' ? 'Ley 2300 de 2023' : 'política de la organización'})` : ''}`,
      en: `The debtor has not authorised the ${channelWord(input.channel, 'en')} channel`,
    });
  }
  if (profile.blockedChannels.includes(input.channel)) {
    hard.push({
      ruleId: 'hard.org_channel_blocked',
      es: `La organización no permite el canal ${channelWord(input.channel, 'es')}`,
      en: `The organisation does not allow the ${channelWord(input.channel, 'en')} channel`,
    });
  }
  const party = input.party ?? 'debtor';
  if (!profile.allowedParties.includes(party)) {
    hard.push({
      ruleId: 'hard.party',
      es: `No se permite gestionar la deuda con ${party} (${profile.allowedPartiesSource})`,
      en: `Contacting a ${party} about the debt is not allowed (${profile.allowedPartiesSource})`,
    });
  }
  const zones = resolveZones({
    debtorZone: input.debtor.timeZone,
    phone: cp && (cp.kind === 'phone' || cp.kind === 'whatsapp') ? cp.value : null,
    debtorCountry: input.debtor.country,
    orgZone: input.org?.timeZone,
  });
  const soft: SoftContext = {
    profile,
    channel: input.channel,
    accountId: input.account.id,
    zones: zones.zones,
    holidays: input.holidays ?? dateHolidaysCalendar,
    windows: input.debtor.contactPrefs.windows,
    history,
  };
  return { hard, soft, zones };
}

/**
 * The one compliance check every outbound contact passes, in the client (offline too) and again on
 * the server. Returns every reason that blocks the contact now, and the earliest instant it would
 * be allowed (null for a hard stop, or when nothing is allowed within 60 days).
 */
export function checkContact(input: ComplianceInput): ComplianceDecision {
  return decide(prepare(input), input.at.getTime());
}

function decide({ hard, soft }: Prepared, t: number): ComplianceDecision {
  const failing = softFailures(soft, t);
  const reasons = [...hard, ...failing.map(({ ruleId, es, en, heldBy }) => ({ ruleId, es, en, ...(heldBy ? { heldBy } : {}) }))];
  if (hard.length > 0) return { allowed: false, reasons, nextAllowedAt: null };
  if (failing.length === 0) return { allowed: true, reasons: [], nextAllowedAt: new Date(t).toISOString() };
  const next = searchNextAllowed(soft, t);
  return { allowed: false, reasons, nextAllowedAt: next === null ? null : new Date(next).toISOString() };
}

/**
 * For the queue: can this debtor still be contacted on this channel today (their local day, in
 * every zone they may be in)? True now, or later today; false after hours, on closed days, when a
 * cap is reached, or under a hard stop.
 */
export function isContactableToday(input: ComplianceInput): boolean {
  const prepared = prepare(input);
  const decision = decide(prepared, input.at.getTime());
  if (decision.allowed) return true;
  if (!decision.nextAllowedAt) return false;
  const { soft } = prepared;
  const next = Date.parse(decision.nextAllowedAt);
  return soft.zones.every((z) => localDateFast(next, z) === localDateFast(input.at.getTime(), z));
}

/** The zones the rules read for this input, and where they came from (for the UI's local clock). */
export function complianceZones(input: ComplianceInput): ResolvedZones {
  return prepare(input).zones;
}
