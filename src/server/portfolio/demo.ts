import { createRng } from '../../shared/lib/rng';
import type { Channel, DebtorType, Segment } from '../../shared/domain/enums';
import type { CurrencyCode } from '../../shared/domain/money';
import { PortfolioRow } from '../../shared/domain/portfolio';
import { addDays } from '../../shared/domain/time';
import { CITIES, COMPANY_CORES, COMPANY_PREFIXES, EMAIL_DOMAINS, GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE, STREETS, SURNAMES } from './names';
import { buildCurp, formatRut, nitCheckDigit, rucCheckDigit } from './national-id';
import { isValidMobile } from './phone';
import { resolveTimeZone } from './zones';

export interface DemoOptions {
  /** Number of rows (accounts); some debtors hold more than one. */
  count: number;
  seed: number;
  /** Agent usernames to spread the accounts over; empty leaves them unassigned. */
  agents: readonly string[];
  /** The day DPD are counted from, 'YYYY-MM-DD'; defaults to today (UTC). */
  asOf?: string;
}

class Dice {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [k, w] of entries) {
      r -= w;
      if (r < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }
  /** Log-uniform: balances spread over orders of magnitude, as real portfolios do. */
  logUniform(min: number, max: number): number {
    return Math.exp(Math.log(min) + this.next() * (Math.log(max) - Math.log(min)));
  }
}

type DemoCountry = 'CO' | 'MX' | 'PE' | 'CL';
const COUNTRY_MIX: Record<DemoCountry, number> = { CO: 45, MX: 25, PE: 15, CL: 15 };
const LEGAL_SUFFIX: Record<DemoCountry, string> = { CO: 'S.A.S.', MX: 'S.A. de C.V.', PE: 'S.A.C.', CL: 'SpA' };
const LOCAL_CURRENCY: Record<DemoCountry, CurrencyCode> = { CO: 'COP', MX: 'MXN', PE: 'PEN', CL: 'CLP' };
const MX_STATES = ['DF', 'JC', 'NL', 'PL', 'QT', 'BC', 'QR', 'MC', 'GT', 'VZ'];
/** National significant numbers in ranges libphonenumber accepts as mobile. */
const MX_CITY_AREA: Readonly<Record<string, string>> = {
  'Ciudad de México': '55',
  Guadalajara: '33',
  Puebla: '222',
  Querétaro: '442',
  Monterrey: '81',
  Tijuana: '664',
  Cancún: '998',
};
const MOBILE_NATIONAL: Record<DemoCountry, (d: Dice, city: string) => string> = {
  CO: (d) =>
    `3${d.pick(['00', '01', '02', '04', '05', '10', '11', '12', '13', '14', '15', '16', '17', '18', '20', '21', '23', '50'])}${d.digits(7)}`,
  // Mexico does not tell mobiles from landlines; the area code decides the debtor's zone.
  MX: (d, city) => {
    const area = MX_CITY_AREA[city] ?? '55';
    return area + d.digits(10 - area.length);
  },
  PE: (d) => `9${d.digits(8)}`,
  CL: (d) => `9${d.int(2, 9)}${d.digits(7)}`,
};
const DIAL: Record<DemoCountry, string> = { CO: '57', MX: '52', PE: '51', CL: '56' };

/** Balance range in major units per currency and product family (log-uniform inside it). */
const BALANCE_RANGE: Record<CurrencyCode, { small: [number, number]; large: [number, number] }> = {
  COP: { small: [150_000, 12_000_000], large: [8_000_000, 90_000_000] },
  MXN: { small: [1_500, 120_000], large: [60_000, 650_000] },
  PEN: { small: [300, 25_000], large: [15_000, 120_000] },
  CLP: { small: [80_000, 6_000_000], large: [4_000_000, 30_000_000] },
  USD: { small: [150, 8_000], large: [5_000, 40_000] },
};
const MINOR_DIGITS: Record<CurrencyCode, number> = { COP: 0, CLP: 0, MXN: 2, PEN: 2, USD: 2 };

interface Product {
  name: string;
  /** Balance scale: 'large' for vehicles and companies, 'tiny' for phone bills. */
  size: 'tiny' | 'small' | 'large';
  installments: [number, number] | null;
  countries?: DemoCountry[];
  companies: boolean;
  /** Peru lends in dollars too; phone bills and cards are billed in soles. */
  dollars: boolean;
}
const PRODUCTS: Product[] = [
  { name: 'Tarjeta de crédito', size: 'small', installments: null, companies: true, dollars: false },
  { name: 'Crédito de consumo', size: 'small', installments: [12, 60], companies: false, dollars: true },
  { name: 'Libranza', size: 'small', installments: [24, 96], countries: ['CO'], companies: false, dollars: false },
  { name: 'Microcrédito', size: 'small', installments: [6, 24], companies: true, dollars: false },
  { name: 'Crédito vehicular', size: 'large', installments: [36, 72], companies: true, dollars: true },
  { name: 'Telefonía celular', size: 'tiny', installments: null, companies: true, dollars: false },
];

/** Days-past-due buckets with their share of the portfolio; "current" feeds preventive reminders. */
const DPD_MIX = { current: 10, '1-30': 28, '31-60': 18, '61-90': 12, '91-120': 10, '121-180': 10, '180+': 12 } as const;
const DPD_RANGE: Record<keyof typeof DPD_MIX, [number, number]> = {
  current: [-10, 0],
  '1-30': [1, 30],
  '31-60': [31, 60],
  '61-90': [61, 90],
  '91-120': [91, 120],
  '121-180': [121, 180],
  '180+': [181, 720],
};

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function mobile(d: Dice, country: DemoCountry, city: string): string {
  for (;;) {
    const e164 = `+${DIAL[country]}${MOBILE_NATIONAL[country](d, city)}`;
    // Retry the rare draw the numbering plan reserves; the sequence stays seed-determined.
    if (isValidMobile(e164)) return e164;
  }
}

interface DemoDebtor {
  id: string;
  name: string;
  nationalId: string;
  country: DemoCountry;
  timeZone: string;
  type: DebtorType;
  segment: Segment;
  phones: string[];
  emails: string[];
  whatsapp: string[];
  address: string;
  channels: Channel[];
}

function makeDebtor(d: Dice, n: number): DemoDebtor {
  const country = d.weighted(COUNTRY_MIX);
  const type: DebtorType = d.chance(0.1) ? 'company' : 'individual';
  let name: string;
  let nationalId: string;
  let emailLocal: string;
  if (type === 'company') {
    const core = d.pick(COMPANY_CORES);
    name = `${d.pick(COMPANY_PREFIXES)} ${core} ${LEGAL_SUFFIX[country]}`;
    emailLocal = `${d.pick(['cartera', 'tesoreria', 'contabilidad', 'gerencia'])}.${ascii(core)}${d.int(1, 99)}`;
    if (country === 'CO') {
      const b = d.int(800_000_000, 901_999_999);
      nationalId = `${b}-${nitCheckDigit(b)}`;
    } else if (country === 'MX')
      nationalId = `${ascii(core).toUpperCase().padEnd(3, 'X').slice(0, 3)}${d.int(10, 25)}${String(d.int(1, 12)).padStart(2, '0')}${String(d.int(1, 28)).padStart(2, '0')}${d.pick(['A1', 'B2', 'K9', 'M4'])}${d.int(0, 9)}`;
    else if (country === 'PE') {
      const f = `20${d.digits(8)}`;
      nationalId = f + rucCheckDigit(f);
    } else nationalId = formatRut(d.int(76_000_000, 77_999_999));
  } else {
    const female = d.chance(0.5);
    const given = d.pick(female ? GIVEN_NAMES_FEMALE : GIVEN_NAMES_MALE);
    const secondName = d.chance(0.4) ? d.pick(female ? GIVEN_NAMES_FEMALE : GIVEN_NAMES_MALE) : '';
    const second = secondName && secondName !== given ? ` ${secondName}` : '';
    const s1 = d.pick(SURNAMES);
    const s2 = d.pick(SURNAMES);
    name = `${given}${second} ${s1} ${s2}`;
    emailLocal = `${ascii(given)}${d.pick(['.', '_', ''])}${ascii(s1)}${d.chance(0.6) ? d.int(1, 99) : ''}`;
    if (country === 'CO') nationalId = String(d.chance(0.5) ? d.int(10_000_000, 99_999_999) : d.int(1_000_000_000, 1_199_999_999));
    else if (country === 'PE') nationalId = d.digits(8).replace(/^0/, '4');
    else if (country === 'CL') nationalId = formatRut(d.int(6_000_000, 26_999_999));
    else {
      const year = d.int(1955, 2003);
      const birth = `${year}-${String(d.int(1, 12)).padStart(2, '0')}-${String(d.int(1, 28)).padStart(2, '0')}`;
      nationalId = buildCurp({
        given,
        surname1: s1,
        surname2: s2,
        birth,
        sex: female ? 'M' : 'H',
        state: d.pick(MX_STATES),
        homoclave: year < 2000 ? String(d.int(0, 9)) : d.pick(['A', 'B', 'C']),
      });
    }
  }
  const city = d.pick(CITIES[country]!);
  const phones = [mobile(d, country, city)];
  if (d.chance(0.3)) phones.push(mobile(d, country, city));
  const whatsapp = d.chance(0.7) ? [phones[0]!] : [];
  const emails = d.chance(type === 'company' ? 0.95 : 0.7) ? [`${emailLocal}@${d.pick(EMAIL_DOMAINS)}`] : [];
  const street = d.pick(STREETS[country]!);
  const address =
    country === 'CO' ? `${street} ${d.int(1, 180)} # ${d.int(1, 120)}-${d.int(1, 99)}, ${city}` : `${street} ${d.int(10, 3999)}, ${city}`;
  const channels: Channel[] = [];
  if (d.chance(0.92)) channels.push('call');
  if (d.chance(0.75)) channels.push('sms');
  if (emails.length > 0 && d.chance(type === 'company' ? 0.95 : 0.6)) channels.push('email');
  if (whatsapp.length > 0 && d.chance(0.6)) channels.push('whatsapp');
  if (d.chance(0.08)) channels.push('visit');
  const zone = resolveTimeZone(country, phones);
  if (!zone.ok) throw new Error(`demo: no zone for ${country}`);
  return {
    id: `D${String(n).padStart(7, '0')}`,
    name,
    nationalId,
    country,
    timeZone: zone.zone,
    type,
    segment: d.weighted({ low: 35, medium: 40, high: 25 }),
    phones,
    emails,
    whatsapp,
    address,
    channels,
  };
}

function amountMinor(d: Dice, currency: CurrencyCode, size: Product['size']): number {
  const [lo, hi] = BALANCE_RANGE[currency][size === 'large' ? 'large' : 'small'];
  // A phone bill in arrears is a few months of plan: a tenth of a small loan.
  const major = d.logUniform(lo, hi) * (size === 'tiny' ? 0.1 : 1);
  const digits = MINOR_DIGITS[currency];
  // Peso amounts are round to the hundred, as banks bill them; cents currencies keep cents.
  return digits === 0 ? Math.round(major / 100) * 100 : Math.round(major * 10 ** digits);
}

/**
 * A deterministic, realistic Latin American portfolio for demos, tests and benchmarks. The
 * same options always give the same rows. Every row passes PortfolioRow; phones are valid
 * mobiles; ids carry correct check digits.
 */
export function generateDemoPortfolio(options: DemoOptions): PortfolioRow[] {
  const { count, seed, agents } = options;
  if (!Number.isInteger(count) || count < 0) throw new Error('count must be a non-negative integer');
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const d = new Dice(createRng(seed));
  const rows: PortfolioRow[] = [];
  let debtor: DemoDebtor | undefined;
  let debtorNo = 0;
  let accountsLeft = 0;
  for (let i = 0; i < count; i++) {
    if (!debtor || accountsLeft === 0) {
      debtor = makeDebtor(d, ++debtorNo);
      accountsLeft = d.chance(0.15) ? d.int(2, 3) : 1;
    }
    accountsLeft--;
    const candidates = PRODUCTS.filter(
      (p) => (!p.countries || p.countries.includes(debtor!.country)) && (debtor!.type === 'individual' || p.companies),
    );
    const product = d.pick(candidates);
    const currency: CurrencyCode = debtor.country === 'PE' && product.dollars && d.chance(0.25) ? 'USD' : LOCAL_CURRENCY[debtor.country];
    const size = debtor.type === 'company' && product.size === 'small' ? 'large' : product.size;
    const principalMinor = amountMinor(d, currency, size);
    const bucket = d.weighted(DPD_MIX);
    const [dpdLo, dpdHi] = DPD_RANGE[bucket];
    const dpd = d.int(dpdLo, dpdHi);
    let installmentsTotal = 0;
    let installmentsPaid = 0;
    let installmentAmountMinor: number | null = null;
    let balanceMinor: number;
    if (product.installments) {
      installmentsTotal = d.int(product.installments[0], product.installments[1]);
      installmentsPaid = d.int(0, Math.max(0, installmentsTotal - 2));
      const perInstallment = Math.round((principalMinor * 1.25) / installmentsTotal);
      const unit = MINOR_DIGITS[currency] === 0 ? 100 : 1;
      installmentAmountMinor = Math.max(unit, Math.round(perInstallment / unit) * unit);
      balanceMinor = installmentAmountMinor * (installmentsTotal - installmentsPaid);
    } else {
      // Revolving products: late fees and interest can push the balance past the limit used.
      balanceMinor = Math.round(principalMinor * (0.4 + d.next() * 0.8));
      if (MINOR_DIGITS[currency] === 0) balanceMinor = Math.round(balanceMinor / 100) * 100;
    }
    const prefix =
      {
        'Tarjeta de crédito': 'TC',
        'Crédito de consumo': 'CC',
        Libranza: 'LB',
        Microcrédito: 'MC',
        'Crédito vehicular': 'CV',
        'Telefonía celular': 'TEL',
      }[product.name] ?? 'CR';
    rows.push(
      PortfolioRow.parse({
        debtorExternalId: debtor.id,
        name: debtor.name,
        nationalId: debtor.nationalId,
        country: debtor.country,
        timeZone: debtor.timeZone,
        debtorType: debtor.type,
        segment: debtor.segment,
        accountRef: `${debtor.country}-${prefix}-${String(i + 1).padStart(8, '0')}`,
        product: product.name,
        currency,
        principalMinor,
        balanceMinor,
        dueDate: addDays(asOf, -dpd),
        installmentsTotal,
        installmentsPaid,
        installmentAmountMinor,
        phones: debtor.phones,
        emails: debtor.emails,
        whatsapp: debtor.whatsapp,
        address: debtor.address,
        authorizedChannels: debtor.channels,
        assignedAgent: agents.length > 0 ? agents[(debtorNo - 1) % agents.length]! : null,
      }),
    );
  }
  return rows;
}
