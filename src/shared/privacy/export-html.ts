import type { DebtorExport } from '../api/privacy';
import { CurrencyCode, formatMoney } from '../domain/money';
import { formatDay, localDate, localParts } from '../domain/time';

/**
 * The export as one self-contained HTML file: what an administrator hands to the debtor or to a
 * regulator. Readable and printable in any browser with nothing installed (no ZIP to open, no
 * viewer), in Spanish, dates in the debtor's zone as dd/mm/aaaa, money in each account's
 * currency with its code. The complete JSON document travels inside it
 * (<script type="application/json" id="datos">), so the same single file is also the
 * structured, machine-readable copy a portability request asks for. Pure: the server answers it
 * (export.html) and the workstation's admin button builds it from the JSON document.
 */

const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function when(iso: string | null, tz: string, withTime = true): string {
  if (!iso) return '—';
  const p = localParts(new Date(iso), tz);
  const d = formatDay(localDate(new Date(iso), tz), 'es');
  return withTime ? `${d} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}` : d;
}
const dayOf = (date: string | null) => (date ? formatDay(date, 'es') : '—');

function money(minor: number | null, currency: string): string {
  if (minor === null) return '—';
  const c = CurrencyCode.safeParse(currency);
  return c.success ? `${formatMoney(minor, c.data)} ${c.data}` : `${minor} ${esc(currency)}`;
}

const who = (s: { displayName: string; username: string } | null) => (s ? `${esc(s.displayName)} (${esc(s.username)})` : '—');

function table(title: string, head: string[], rows: string[][], empty = 'Sin registros'): string {
  const body = rows.length
    ? rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')
    : `<tr><td colspan="${head.length}">${empty}</td></tr>`;
  return `<section><h2>${esc(title)} (${rows.length})</h2>
<table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table></section>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;color:#111;margin:2rem;max-width:80rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;font-size:12px}th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eee}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dt{font-weight:600}
.bad{color:#8a0000;font-weight:600}.note{white-space:pre-wrap}
@media print{body{margin:0}section{break-inside:auto}tr{break-inside:avoid}}`;

export function renderDebtorExportHtml(doc: DebtorExport): string {
  const tz = doc.debtor.timeZone;
  const d = doc.debtor;
  const acct = new Map(doc.accounts.map((a) => [a.id, a]));
  const ref = (accountId: string) => esc(acct.get(accountId)?.externalRef ?? accountId);
  const json = JSON.stringify(doc).replace(/</g, '\\u003c');
  const verdict = (c: DebtorExport['contactAttempts'][number]['compliance']) =>
    (c.blocked ? '<span class="bad">Bloqueado por el servidor</span> ' : '') +
    (c.violations?.length ? `<span class="bad">Incumple: ${c.violations.map(esc).join(', ')}</span>` : c.blocked ? '' : 'Conforme');

  return `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>Datos personales de ${esc(d.name)}</title>
<style>${CSS}</style></head>
<body><main>
<h1>Datos personales en poder de ${esc(doc.organization.name)}</h1>
<p>Titular: <strong>${esc(d.name)}</strong>, documento ${esc(d.nationalId)}. Generado el ${when(doc.generatedAt, tz)} (hora de ${esc(tz)})
por ${who(doc.generatedBy)}. Contiene todo lo que la organización guarda sobre el titular: datos de identificación y contacto,
cuentas, asignaciones, cada intento de contacto con el dictamen de cumplimiento registrado en ese momento, mensajes, notas,
promesas, pagos y solicitudes de aprobación. Los mismos datos, completos y estructurados, van en este archivo en formato JSON
(elemento <code>script#datos</code>).</p>
<section><h2>Titular</h2><dl>
<dt>Nombre</dt><dd>${esc(d.name)}</dd><dt>Documento</dt><dd>${esc(d.nationalId)}</dd>
<dt>Identificador del acreedor</dt><dd>${esc(d.externalId)}</dd><dt>País / zona horaria</dt><dd>${esc(d.country)} / ${esc(tz)}</dd>
<dt>Tipo / segmento</dt><dd>${esc(d.debtorType)} / ${esc(d.segment)}</dd>
<dt>Preferencias de contacto</dt><dd><code>${esc(JSON.stringify(d.contactPrefs))}</code></dd>
<dt>Alta</dt><dd>${when(d.createdAt, tz)}</dd><dt>Anonimizado</dt><dd>${when(d.erasedAt, tz)}</dd>
</dl></section>
${table(
  'Datos de contacto',
  ['Tipo', 'Valor', 'Etiqueta', 'Verificado', 'Inválido', 'No contactar', 'Alta'],
  doc.contactPoints.map((c) => [
    esc(c.kind),
    esc(c.value),
    esc(c.label ?? '—'),
    c.verified ? 'sí' : 'no',
    c.invalid ? 'sí' : 'no',
    c.doNotContact ? 'sí' : 'no',
    when(c.createdAt, tz),
  ]),
)}
${table(
  'Cuentas',
  ['Referencia', 'Producto', 'Capital', 'Saldo', 'Vencimiento', 'Cuotas', 'Estado', 'Gestor', 'Cerrada'],
  doc.accounts.map((a) => [
    esc(a.externalRef),
    esc(a.product),
    money(a.principalMinor, a.currency),
    money(a.balanceMinor, a.currency),
    dayOf(a.dueDate),
    `${a.installmentsPaid}/${a.installmentsTotal}`,
    esc(a.status),
    who(a.assignedAgent),
    when(a.closedAt, tz),
  ]),
)}
${table(
  'Asignaciones',
  ['Cuenta', 'De', 'A', 'Por', 'Fecha'],
  doc.assignments.map((s) => [ref(s.accountId), who(s.from), who(s.to), who(s.by), when(s.at, tz)]),
)}
${table(
  'Intentos de contacto',
  [
    'Inicio',
    'Cuenta',
    'Canal',
    'Sentido',
    'Destino',
    'Resultado',
    'Duración (s)',
    'Gestor',
    'Nota',
    'Dictamen de cumplimiento (al recibirlo)',
  ],
  doc.contactAttempts.map((t) => [
    when(t.startedAt, tz),
    ref(t.accountId),
    esc(t.channel),
    esc(t.direction),
    esc(t.address ?? '—'),
    esc(t.disposition ?? '—'),
    esc(t.durationSec ?? '—'),
    who(t.agent),
    `<span class="note">${esc(t.note ?? '')}</span>`,
    `${verdict(t.compliance)} <small>(${when(t.compliance.judgedAt, tz)})</small>`,
  ]),
)}
${table(
  'Mensajes',
  ['Fecha', 'Cuenta', 'Canal', 'Destino', 'Asunto', 'Texto', 'Estado', 'Motivos'],
  doc.messages.map((m) => [
    when(m.createdAt, tz),
    ref(m.accountId),
    esc(m.channel),
    esc(m.address),
    esc(m.subject ?? '—'),
    `<span class="note">${esc(m.body)}</span>`,
    esc(m.status),
    m.reasons ? `<code>${esc(JSON.stringify(m.reasons))}</code>` : '—',
  ]),
)}
${table(
  'Notas',
  ['Fecha', 'Cuenta', 'Autor', 'Texto'],
  doc.notes.map((n) => [when(n.createdAt, tz), ref(n.accountId), who(n.author), `<span class="note">${esc(n.body)}</span>`]),
)}
${table(
  'Promesas de pago',
  ['Fecha', 'Cuenta', 'Canal', 'Estado', 'Cuotas (vencimiento: monto, pagado)', 'Gestor'],
  doc.promises.map((p) => [
    when(p.createdAt, tz),
    ref(p.accountId),
    esc(p.channel),
    esc(p.status),
    p.installments
      .map((i) => `${dayOf(i.dueDate)}: ${money(i.amountMinor, p.currency)}, ${money(i.paidMinor, p.currency)} (${esc(i.status)})`)
      .join('<br>'),
    who(p.agent),
  ]),
)}
${table(
  'Pagos',
  ['Fecha', 'Cuenta', 'Referencia', 'Monto', 'Aplicado', 'Revertido'],
  doc.payments.map((p) => [
    when(p.paidAt, tz),
    ref(p.accountId),
    esc(p.reference),
    money(p.amountMinor, p.currency),
    money(p.appliedMinor, p.currency),
    when(p.reversedAt, tz),
  ]),
)}
${table(
  'Solicitudes de aprobación',
  ['Fecha', 'Cuenta', 'Gestor', 'Estado', 'Decidió', 'Motivo'],
  doc.approvals.map((a) => [
    when(a.createdAt, tz),
    ref(a.accountId),
    who(a.agent),
    esc(a.status),
    who(a.decidedBy),
    esc(a.decisionReason ?? '—'),
  ]),
)}
${table(
  'Registro de privacidad (consultas y supresiones de estos datos)',
  ['Fecha', 'Acción', 'Por'],
  doc.privacyLog.map((l) => [when(l.at, tz), esc(l.action), who(l.actor)]),
)}
<p><small>Moneda: montos en la moneda de cada cuenta. Horas en la zona del titular (${esc(tz)}).
Formato de los datos: ${esc(doc.format)}.</small></p>
</main>
<script type="application/json" id="datos">${json}</script>
</body></html>
`;
}

/** A download name from the creditor's id of the debtor: letters, digits, dash and dot only. */
export function debtorExportFileName(doc: DebtorExport, ext: 'html' | 'json'): string {
  return `datos-${doc.debtor.externalId.replace(/[^A-Za-z0-9.-]+/g, '_').slice(0, 60)}-${doc.generatedAt.slice(0, 10)}.${ext}`;
}
