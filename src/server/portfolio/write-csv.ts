import { minorToDecimal } from '../../shared/domain/money';
import type { PortfolioRow } from '../../shared/domain/portfolio';
import type { Channel } from '../../shared/domain/channels';

/**
 * Writes portfolio rows back as a CSV the parser reads: demo files for people to open in a
 * spreadsheet, and round-trip tests of the parser.
 */
export interface WriteCsvOptions {
  /** ';' (what Spanish-locale spreadsheets export, with decimal commas) or ','. */
  separator?: ';' | ',';
  /** 'dmy' writes DD/MM/YYYY as people type it in Latin America; 'iso' writes YYYY-MM-DD. */
  dates?: 'dmy' | 'iso';
}

const HEADERS = [
  'id_deudor',
  'nombre',
  'documento',
  'pais',
  'zona_horaria',
  'tipo',
  'segmento',
  'cuenta',
  'producto',
  'moneda',
  'capital',
  'saldo',
  'fecha_vencimiento',
  'cuotas',
  'cuotas_pagadas',
  'valor_cuota',
  'telefono1',
  'telefono2',
  'whatsapp',
  'email',
  'direccion',
  'canales_autorizados',
  'asesor',
] as const;

const TYPE_ES = { individual: 'persona', company: 'empresa' } as const;
const SEGMENT_ES = { low: 'bajo', medium: 'medio', high: 'alto' } as const;
const CHANNEL_ES = {
  call: 'llamada',
  sms: 'sms',
  email: 'email',
  whatsapp: 'whatsapp',
  visit: 'visita',
  letter: 'carta',
  self_service: 'autogestion',
} as const satisfies Record<Channel, string>;

function quote(value: string, separator: string): string {
  return /["\r\n]/.test(value) || value.includes(separator) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function portfolioRowsToCsv(rows: readonly PortfolioRow[], options: WriteCsvOptions = {}): string {
  const sep = options.separator ?? ';';
  const decimalComma = sep === ';';
  const money = (minor: number | null, row: PortfolioRow): string => {
    if (minor === null) return '';
    const s = minorToDecimal(minor, row.currency);
    return decimalComma ? s.replace('.', ',') : s;
  };
  const date = (iso: string | null): string => {
    if (!iso) return '';
    if (options.dates !== 'dmy') return iso;
    const [y, m, d] = iso.split('-');
    return `${d}/${m}/${y}`;
  };
  const lines = [HEADERS.join(sep)];
  for (const r of rows) {
    const cells: string[] = [
      r.debtorExternalId,
      r.name,
      r.nationalId,
      r.country,
      r.timeZone,
      TYPE_ES[r.debtorType],
      SEGMENT_ES[r.segment],
      r.accountRef,
      r.product,
      r.currency,
      money(r.principalMinor, r),
      money(r.balanceMinor, r),
      date(r.dueDate),
      String(r.installmentsTotal),
      String(r.installmentsPaid),
      money(r.installmentAmountMinor, r),
      r.phones[0] ?? '',
      r.phones.slice(1).join(' | '),
      r.whatsapp.join(' | '),
      r.emails.join(' | '),
      r.address ?? '',
      r.authorizedChannels.map((c) => CHANNEL_ES[c]).join('|'),
      r.assignedAgent ?? '',
    ];
    lines.push(cells.map((c) => quote(c, sep)).join(sep));
  }
  return `${lines.join('\r\n')}\r\n`;
}
