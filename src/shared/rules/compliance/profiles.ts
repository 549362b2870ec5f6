import { CHANNEL_FACTS, CHANNELS } from '../../domain/channels';
import type { Channel } from '../../domain/enums';
import type { ComplianceOverride, ComplianceProfile, DayHours, FrequencyCap, HourRule } from './types';

/**
 * The law as data, one profile per country, each rule citing its source. Read docs/compliance.md
 * for what each rule means and which reading of the law was chosen where the text is ambiguous.
 * The texts were checked against the laws as published and secondary sources on 2026-11-25; have
 * counsel confirm them before relying on them in production.
 */

const ALL: Channel[] = [...CHANNELS];
/**
 * Hour rules cover every channel whose moment of contact the sender controls. A letter's moment of
 * contact is its delivery, which the post decides, so hour rules leave letters out (CHANNEL_FACTS).
 */
const TIMED: Channel[] = CHANNELS.filter((c) => CHANNEL_FACTS[c].timed);
const VOICE_AND_VISIT: Channel[] = ['call', 'visit'];
const WRITTEN: Channel[] = CHANNELS.filter((c) => CHANNEL_FACTS[c].written);

const h = (from: string, to: string): DayHours => ({ from, to });
/** Sunday … Saturday */
const week = (sun: DayHours, weekdays: DayHours, sat: DayHours): DayHours[] => [sun, weekdays, weekdays, weekdays, weekdays, weekdays, sat];

const LEY_2300 = 'Colombia, Ley 2300 de 2023, art. 3';
const CO_HOURS: HourRule = {
  id: 'co.hours',
  source: `${LEY_2300} (lun–vie 07:00–19:00, sáb 08:00–15:00, nunca domingos ni festivos)`,
  es: 'Horario legal en Colombia: lunes a viernes 07:00–19:00, sábados 08:00–15:00; nunca domingos ni festivos',
  en: 'Colombian legal hours: Mon–Fri 07:00–19:00, Sat 08:00–15:00; never Sundays or public holidays',
  channels: TIMED,
  week: week(null, h('07:00', '19:00'), h('08:00', '15:00')),
  closedOnHolidays: true,
};

const CO_CAPS: FrequencyCap[] = [
  {
    kind: 'count',
    id: 'co.freq.daily',
    scope: 'debtor',
    appliesTo: ALL,
    counted: ALL,
    counts: 'attempts',
    windowDays: 1,
    blockAt: 1,
    source: `${LEY_2300}: no más de un contacto al día. Se cuentan intentos, no solo contactos efectivos (lectura conservadora)`,
    es: 'Colombia: como máximo un contacto por día con el deudor (ya hubo uno hoy)',
    en: 'Colombia: at most one contact a day with the debtor (one already happened today)',
  },
  {
    kind: 'single_channel',
    id: 'co.freq.one_channel_week',
    scope: 'debtor',
    appliesTo: ALL,
    counted: ALL,
    windowDays: 7,
    source: `${LEY_2300}: no por más de un canal en la misma semana; "semana" = 7 días calendario móviles (incluye toda semana calendario)`,
    es: 'Colombia: no más de un canal por semana (ya se usó otro canal en los últimos 7 días)',
    en: 'Colombia: no more than one channel a week (another channel was used in the last 7 days)',
  },
];

const MX_HOURS: HourRule = {
  id: 'mx.hours',
  source:
    'México, CONDUSEF, Disposiciones de carácter general aplicables a las entidades financieras en materia de despachos de cobranza: 07:00–22:00 hora local del deudor',
  es: 'Horario legal en México: 07:00–22:00, hora local del deudor',
  en: 'Mexican legal hours: 07:00–22:00, debtor local time',
  channels: TIMED,
  week: week(h('07:00', '22:00'), h('07:00', '22:00'), h('07:00', '22:00')),
  closedOnHolidays: false,
};

const PE_HOURS: HourRule = {
  id: 'pe.hours',
  source:
    'Perú, Ley 29571 (Código de Protección y Defensa del Consumidor), art. 62: sin llamadas ni visitas de 20:00 a 07:00, ni sábados, domingos o feriados',
  es: 'Perú: llamadas y visitas solo de lunes a viernes 07:00–20:00, nunca feriados',
  en: 'Peru: calls and visits only Mon–Fri 07:00–20:00, never public holidays',
  channels: VOICE_AND_VISIT,
  week: week(null, h('07:00', '20:00'), null),
  closedOnHolidays: true,
};

const LEY_21320 = 'Chile, Ley 21.320 (modifica art. 37 de la Ley 19.496)';
const CL_HOURS: HourRule = {
  id: 'cl.hours',
  source: `${LEY_21320}: llamadas y visitas en días y horas hábiles (art. 59 CPC: lunes a sábado no festivos, 08:00–20:00)`,
  es: 'Chile: llamadas y visitas de lunes a sábado 08:00–20:00, nunca domingos ni festivos',
  en: 'Chile: calls and visits Mon–Sat 08:00–20:00, never Sundays or public holidays',
  channels: VOICE_AND_VISIT,
  week: week(null, h('08:00', '20:00'), h('08:00', '20:00')),
  closedOnHolidays: true,
};

const CL_CAPS: FrequencyCap[] = [
  {
    kind: 'count',
    id: 'cl.freq.calls_week',
    scope: 'debtor',
    appliesTo: VOICE_AND_VISIT,
    counted: VOICE_AND_VISIT,
    counts: 'attempts',
    windowDays: 7,
    blockAt: 1,
    source: `${LEY_21320}: más de un contacto telefónico o visita por semana infringe la ley`,
    es: 'Chile: como máximo una llamada o visita por semana',
    en: 'Chile: at most one call or visit a week',
  },
  {
    kind: 'count',
    id: 'cl.freq.written_week',
    scope: 'debtor',
    appliesTo: WRITTEN,
    counted: WRITTEN,
    counts: 'attempts',
    windowDays: 7,
    blockAt: 2,
    source: `${LEY_21320}: por otros medios (correo, SMS, email, mensajería) no más de dos gestiones por semana`,
    es: 'Chile: como máximo dos mensajes escritos por semana',
    en: 'Chile: at most two written messages a week',
  },
  {
    kind: 'min_gap',
    id: 'cl.freq.written_gap',
    scope: 'debtor',
    appliesTo: WRITTEN,
    counted: WRITTEN,
    windowDays: 2,
    source: `${LEY_21320}: las gestiones por otros medios deben tener una separación de al menos dos días`,
    es: 'Chile: dos mensajes escritos deben estar separados por al menos dos días',
    en: 'Chile: two written messages must be at least two days apart',
  },
];

const REG_F = 'USA, Regulation F, 12 CFR 1006';
const US_HOURS: HourRule = {
  id: 'us.hours',
  source: `${REG_F}.6(b)(1)(i): antes de las 08:00 o después de las 21:00 hora local del consumidor es inconveniente`,
  es: 'EE. UU.: solo entre 08:00 y 21:00, hora local del deudor',
  en: 'USA: only between 08:00 and 21:00, debtor local time',
  channels: TIMED,
  week: week(h('08:00', '21:00'), h('08:00', '21:00'), h('08:00', '21:00')),
  closedOnHolidays: false,
};

const US_CAPS: FrequencyCap[] = [
  {
    kind: 'count',
    id: 'us.regf.7in7',
    scope: 'account',
    appliesTo: ['call'],
    counted: ['call'],
    counts: 'attempts',
    windowDays: 7,
    blockAt: 7,
    source: `${REG_F}.14(b)(2)(i)(A): más de 7 llamadas en 7 días consecutivos sobre una deuda se presume acoso`,
    es: 'EE. UU. (Reg F): ya hubo 7 llamadas sobre esta deuda en 7 días consecutivos',
    en: 'USA (Reg F): 7 calls about this debt already placed within 7 consecutive days',
  },
  {
    kind: 'count',
    id: 'us.regf.after_conversation',
    scope: 'account',
    appliesTo: ['call'],
    counted: ['call'],
    counts: 'conversations',
    windowDays: 7,
    blockAt: 1,
    source: `${REG_F}.14(b)(2)(i)(B): una llamada dentro de los 7 días siguientes a una conversación telefónica sobre la deuda se presume acoso (el día de la conversación es el primero)`,
    es: 'EE. UU. (Reg F): hubo una conversación telefónica sobre esta deuda en los últimos 7 días',
    en: 'USA (Reg F): a telephone conversation about this debt took place within the last 7 days',
  },
];

const DEFAULT_HOURS: HourRule = {
  id: 'default.hours',
  source: 'Política interna para países sin perfil: lunes a sábado 08:00–20:00, sin domingos ni festivos',
  es: 'Horario de gestión: lunes a sábado 08:00–20:00, sin domingos ni festivos',
  en: 'Contact hours: Mon–Sat 08:00–20:00, no Sundays or public holidays',
  channels: TIMED,
  week: week(null, h('08:00', '20:00'), h('08:00', '20:00')),
  closedOnHolidays: true,
};

const DEFAULT_CAPS: FrequencyCap[] = [
  {
    kind: 'count',
    id: 'default.freq.daily',
    scope: 'debtor',
    appliesTo: ALL,
    counted: ALL,
    counts: 'attempts',
    windowDays: 1,
    blockAt: 3,
    source: 'Política interna para países sin perfil: como máximo 3 intentos por día',
    es: 'Como máximo 3 intentos de contacto por día',
    en: 'At most 3 contact attempts a day',
  },
  {
    kind: 'count',
    id: 'default.freq.calls_week',
    scope: 'debtor',
    appliesTo: ['call'],
    counted: ['call'],
    counts: 'attempts',
    windowDays: 7,
    blockAt: 7,
    source: 'Política interna para países sin perfil: como máximo 7 llamadas en 7 días',
    es: 'Como máximo 7 llamadas en 7 días',
    en: 'At most 7 calls in 7 days',
  },
];

const GUARANTORS_OK = ['debtor', 'guarantor', 'co_obligor'] as const;

export const PROFILES: Readonly<Record<string, ComplianceProfile>> = {
  CO: {
    country: 'CO',
    holidayCountry: 'CO',
    hourRules: [CO_HOURS],
    caps: CO_CAPS,
    requireAuthorizedChannels: true,
    allowedParties: [...GUARANTORS_OK],
    allowedPartiesSource: `${LEY_2300}; Ley 1266 de 2008`,
  },
  MX: {
    country: 'MX',
    holidayCountry: 'MX',
    hourRules: [MX_HOURS],
    caps: [],
    requireAuthorizedChannels: false,
    allowedParties: [...GUARANTORS_OK],
    allowedPartiesSource:
      'CONDUSEF, despachos de cobranza: no gestionar con terceros distintos de referencias, avales u obligados solidarios',
  },
  PE: {
    country: 'PE',
    holidayCountry: 'PE',
    hourRules: [PE_HOURS],
    caps: [],
    requireAuthorizedChannels: false,
    allowedParties: [...GUARANTORS_OK],
    allowedPartiesSource: 'Ley 29571, art. 62 (comunicaciones a terceros ajenos a la deuda)',
  },
  CL: {
    country: 'CL',
    holidayCountry: 'CL',
    hourRules: [CL_HOURS],
    caps: CL_CAPS,
    requireAuthorizedChannels: false,
    allowedParties: [...GUARANTORS_OK],
    allowedPartiesSource: `${LEY_21320}: comunicaciones a terceros ajenos a la obligación`,
  },
  US: {
    country: 'US',
    holidayCountry: 'US',
    hourRules: [US_HOURS],
    caps: US_CAPS,
    requireAuthorizedChannels: false,
    allowedParties: [...GUARANTORS_OK],
    allowedPartiesSource: `${REG_F}.6(d): comunicación con terceros`,
  },
};

export const DEFAULT_PROFILE: ComplianceProfile = {
  country: 'default',
  holidayCountry: null,
  hourRules: [DEFAULT_HOURS],
  caps: DEFAULT_CAPS,
  requireAuthorizedChannels: false,
  allowedParties: [...GUARANTORS_OK],
  allowedPartiesSource: 'Política interna',
};

/** The profile for a country; unknown countries get the default, with that country's holidays. */
export function profileFor(country: string | null | undefined): ComplianceProfile {
  const p = country ? PROFILES[country] : undefined;
  if (p) return p;
  return { ...DEFAULT_PROFILE, holidayCountry: country ?? null };
}

/**
 * The organisation's rules added to the law's. Every field of an override narrows: the result
 * refuses at least everything the base refuses.
 */
export function mergeProfile(
  base: ComplianceProfile,
  override: ComplianceOverride | undefined,
): ComplianceProfile & { closedDates: string[]; blockedChannels: Channel[] } {
  if (!override) return { ...base, closedDates: [], blockedChannels: [] };
  return {
    ...base,
    hourRules: [...base.hourRules, ...override.hourRules],
    caps: [...base.caps, ...override.caps],
    requireAuthorizedChannels: base.requireAuthorizedChannels || override.requireAuthorizedChannels,
    allowedParties: base.allowedParties.filter((p) => !override.disallowedParties.includes(p)),
    closedDates: [...override.closedDates],
    blockedChannels: [...override.blockedChannels],
  };
}

/**
 * Whether the rules count contacts per debtor rather than per debt (a cap scoped to the debtor,
 * as Colombia's Ley 2300 and Chile's Ley 21.320 are): one contact then covers every account of the
 * debtor, and the agent's queue lists debtors, not accounts, unless the agent asks otherwise.
 */
export function countsContactsPerDebtor(profile: Pick<ComplianceProfile, 'caps'>): boolean {
  return profile.caps.some((c) => c.scope === 'debtor');
}
