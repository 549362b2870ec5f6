/**
 * The columns a portfolio ("cartera") file may have and the header names accepted for each.
 * Headers are matched after normalising case, accents, spaces and hyphens, so "Días de mora",
 * "DIAS_MORA" and "dias-mora" are the same column. docs/portfolio-csv.md documents this table;
 * keep the two in step.
 */

export type ColumnKey =
  | 'debtorId'
  | 'name'
  | 'nationalId'
  | 'country'
  | 'timeZone'
  | 'debtorType'
  | 'segment'
  | 'account'
  | 'product'
  | 'currency'
  | 'principal'
  | 'balance'
  | 'dueDate'
  | 'dpd'
  | 'installments'
  | 'installmentsPaid'
  | 'installmentAmount'
  | 'phone'
  | 'email'
  | 'whatsapp'
  | 'address'
  | 'authorizedChannels'
  | 'agent';

export interface ColumnSpec {
  key: ColumnKey;
  /** Spanish canonical header, used in error messages when the column is missing. */
  canonical: string;
  /** Accepted header names, already normalised. */
  names: readonly string[];
  required: boolean;
  /** Several columns may map here (telefono1, telefono2…); their values are all kept. */
  repeatable?: boolean;
}

export const COLUMNS: readonly ColumnSpec[] = [
  {
    key: 'debtorId',
    canonical: 'id_deudor',
    names: ['id_deudor', 'debtor_id', 'codigo_deudor', 'cliente_id', 'id_cliente', 'customer_id'],
    required: true,
  },
  { key: 'name', canonical: 'nombre', names: ['nombre', 'nombre_completo', 'razon_social', 'name', 'full_name'], required: true },
  {
    key: 'nationalId',
    canonical: 'documento',
    names: [
      'documento',
      'numero_documento',
      'nro_documento',
      'no_documento',
      'n_documento',
      'num_documento',
      'numero_identificacion',
      'identificacion',
      'cedula',
      'nit',
      'rut',
      'rfc',
      'curp',
      'dni',
      'ruc',
      'national_id',
      'document',
      'tax_id',
    ],
    required: true,
  },
  { key: 'country', canonical: 'pais', names: ['pais', 'country'], required: true },
  { key: 'timeZone', canonical: 'zona_horaria', names: ['zona_horaria', 'huso_horario', 'time_zone', 'timezone', 'tz'], required: false },
  { key: 'debtorType', canonical: 'tipo', names: ['tipo', 'tipo_deudor', 'tipo_persona', 'debtor_type', 'type'], required: false },
  { key: 'segment', canonical: 'segmento', names: ['segmento', 'riesgo', 'nivel_riesgo', 'segment', 'risk'], required: false },
  {
    key: 'account',
    canonical: 'cuenta',
    names: [
      'cuenta',
      'numero_cuenta',
      'nro_cuenta',
      'no_cuenta',
      'n_cuenta',
      'num_cuenta',
      'obligacion',
      'numero_obligacion',
      'credito',
      'numero_credito',
      'account',
      'account_ref',
      'account_number',
    ],
    required: true,
  },
  { key: 'product', canonical: 'producto', names: ['producto', 'product'], required: false },
  { key: 'currency', canonical: 'moneda', names: ['moneda', 'divisa', 'currency'], required: false },
  { key: 'principal', canonical: 'capital', names: ['capital', 'monto_original', 'principal'], required: false },
  { key: 'balance', canonical: 'saldo', names: ['saldo', 'saldo_total', 'saldo_deuda', 'balance'], required: true },
  {
    key: 'dueDate',
    canonical: 'fecha_vencimiento',
    names: ['fecha_vencimiento', 'vencimiento', 'fecha_venc', 'due_date'],
    required: false,
  },
  { key: 'dpd', canonical: 'dias_mora', names: ['dias_mora', 'dias_de_mora', 'mora', 'dpd', 'days_past_due'], required: false },
  { key: 'installments', canonical: 'cuotas', names: ['cuotas', 'numero_cuotas', 'plazo', 'installments'], required: false },
  { key: 'installmentsPaid', canonical: 'cuotas_pagadas', names: ['cuotas_pagadas', 'installments_paid'], required: false },
  {
    key: 'installmentAmount',
    canonical: 'valor_cuota',
    names: ['valor_cuota', 'monto_cuota', 'cuota', 'installment_amount'],
    required: false,
  },
  {
    key: 'phone',
    canonical: 'telefono',
    names: ['telefono', 'tel', 'celular', 'movil', 'phone', 'mobile'],
    required: false,
    repeatable: true,
  },
  {
    key: 'email',
    canonical: 'email',
    names: ['email', 'e_mail', 'correo', 'correo_electronico', 'mail'],
    required: false,
    repeatable: true,
  },
  { key: 'whatsapp', canonical: 'whatsapp', names: ['whatsapp', 'wa'], required: false, repeatable: true },
  { key: 'address', canonical: 'direccion', names: ['direccion', 'domicilio', 'address'], required: false },
  {
    key: 'authorizedChannels',
    canonical: 'canales_autorizados',
    names: ['canales_autorizados', 'canales', 'authorized_channels', 'channels'],
    required: false,
  },
  {
    key: 'agent',
    canonical: 'asesor',
    names: ['asesor', 'agente', 'gestor', 'usuario_asesor', 'agent', 'agent_username'],
    required: false,
  },
];

/** Lower case, no accents, every run of other characters (spaces, hyphens, dots, °) as one underscore. */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const BY_NAME = new Map<string, ColumnSpec>();
for (const c of COLUMNS) for (const n of c.names) BY_NAME.set(n, c);

/**
 * Words that may follow a repeatable column's name ("telefono_casa", "email personal"). A closed
 * list on purpose: "telefono_referencia" is a third party's number, and calling it as if it were
 * the debtor's is what collection laws forbid, so unknown suffixes are not read.
 */
const CONTACT_SUFFIXES = new Set([
  'fijo',
  'casa',
  'hogar',
  'residencia',
  'oficina',
  'trabajo',
  'laboral',
  'empresa',
  'movil',
  'celular',
  'personal',
  'principal',
  'alterno',
  'alternativo',
  'adicional',
  'secundario',
  'home',
  'work',
  'mobile',
  'cell',
]);

/**
 * The column a header names, or undefined for a column we do not read. Repeatable columns also
 * match with a number ("telefono2", "phone_3", "email 2") or a known suffix ("telefono_casa").
 */
export function columnForHeader(header: string): ColumnSpec | undefined {
  const h = normaliseHeader(header);
  const exact = BY_NAME.get(h);
  if (exact) return exact;
  const stem = h.replace(/_?\d+$/, '');
  const suffixed = /^(.+)_([a-z]+)$/.exec(stem);
  const baseName = BY_NAME.has(stem) ? stem : suffixed && CONTACT_SUFFIXES.has(suffixed[2]!) ? suffixed[1]! : undefined;
  const base = baseName === undefined ? undefined : BY_NAME.get(baseName);
  return base?.repeatable ? base : undefined;
}
