import PDFDocument from 'pdfkit';
import type { FieldReceipt, ReceiptIssuer } from '../../shared/domain/field';
import { formatMoneyCode } from '../../shared/domain/money';
import { formatDay, localParts } from '../../shared/domain/time';
import { amountInWords } from '../../shared/field/amount-words';
import { formatReceiptNumber } from '../../shared/field/receipt-book';

/**
 * The printable receipt a collector hands the debtor (docs/field-collection.md): the
 * organisation, the debtor and account, the amount in figures with its currency code and in
 * words, the receipt number, the date (dd/mm/aaaa, the debtor's zone) and the verification code
 * the server can check. Built in the main process with pdfkit's standard fonts (no font files to
 * ship; WinAnsi covers Spanish's accents and ñ). The document's dates are fixed to the receipt's
 * so the same receipt always gives the same bytes.
 */
export interface ReceiptPdfData {
  receipt: FieldReceipt;
  issuer: ReceiptIssuer;
  debtor: { name: string; nationalId: string; timeZone: string };
  account: { externalRef: string; product: string };
  collectorName: string;
  lang: 'es' | 'en';
}

const TEXT = {
  es: {
    title: 'RECIBO DE PAGO',
    number: 'Recibo N.º',
    date: 'Fecha',
    time: 'Hora',
    received: 'Recibimos de',
    id: 'Identificación',
    account: 'Cuenta',
    product: 'Producto',
    amount: 'La suma de',
    words: 'Son',
    method: 'Medio de pago',
    cash: 'Efectivo',
    transfer: 'Transferencia',
    reference: 'Referencia de la transferencia',
    collector: 'Recibido por',
    code: 'Código de verificación',
    taxId: 'NIT / RUT / RFC',
    voided: 'ANULADO',
    footer:
      'Este recibo acredita el pago en la fecha indicada. El código de verificación permite a la entidad comprobar que el recibo no fue alterado.',
    signature: 'Firma del gestor',
  },
  en: {
    title: 'PAYMENT RECEIPT',
    number: 'Receipt No.',
    date: 'Date',
    time: 'Time',
    received: 'Received from',
    id: 'ID number',
    account: 'Account',
    product: 'Product',
    amount: 'The sum of',
    words: 'In words',
    method: 'Payment method',
    cash: 'Cash',
    transfer: 'Bank transfer',
    reference: 'Transfer reference',
    collector: 'Received by',
    code: 'Verification code',
    taxId: 'Tax ID',
    voided: 'VOID',
    footer:
      'This receipt proves the payment on the date shown. The verification code lets the organisation check that the receipt was not altered.',
    signature: "Collector's signature",
  },
} as const;

export function receiptFileName(r: FieldReceipt): string {
  return `recibo-${formatReceiptNumber(r.number)}.pdf`;
}

export function renderReceiptPdf(d: ReceiptPdfData): Promise<Buffer> {
  const t = TEXT[d.lang];
  const r = d.receipt;
  const issued = new Date(r.issuedAt);
  const doc = new PDFDocument({
    size: 'A5',
    margin: 36,
    info: { Title: `${t.title} ${formatReceiptNumber(r.number)}`, Author: d.issuer.name, CreationDate: issued, ModDate: issued },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const p = localParts(issued, d.debtor.timeZone);
  const hhmm = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  doc.font('Helvetica-Bold').fontSize(14).text(d.issuer.name);
  doc.font('Helvetica').fontSize(9);
  if (d.issuer.taxId) doc.text(`${t.taxId}: ${d.issuer.taxId}`);
  if (d.issuer.address) doc.text(d.issuer.address);
  doc.text(d.issuer.country);
  doc.moveDown();
  doc
    .font('Helvetica-Bold')
    .fontSize(13)
    .text(`${t.title}   ${t.number} ${formatReceiptNumber(r.number)}`);
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`${t.date}: ${formatDay(r.day, d.lang)}   ${t.time}: ${hhmm} (${d.debtor.timeZone})`);
  doc.moveDown();
  const line = (label: string, value: string) => {
    doc.font('Helvetica-Bold').text(`${label}: `, { continued: true }).font('Helvetica').text(value);
  };
  line(t.received, d.debtor.name);
  line(t.id, d.debtor.nationalId);
  line(t.account, d.account.externalRef);
  line(t.product, d.account.product);
  doc.moveDown(0.5);
  doc.fontSize(12);
  line(t.amount, formatMoneyCode(r.amountMinor, r.currency, d.lang));
  doc.fontSize(10);
  line(t.words, `${amountInWords(r.amountMinor, r.currency, d.lang)} (${r.currency})`);
  line(t.method, r.method === 'cash' ? t.cash : t.transfer);
  if (r.transferReference) line(t.reference, r.transferReference);
  line(t.collector, d.collectorName);
  doc.moveDown(0.5);
  doc.font('Courier-Bold').fontSize(12).text(`${t.code}: ${r.code}`);
  if (r.voidedAt) doc.moveDown(0.5).font('Helvetica-Bold').fontSize(20).fillColor('#b00020').text(t.voided).fillColor('black');
  doc.moveDown(2);
  doc.font('Helvetica').fontSize(9).text('______________________________');
  doc.text(t.signature);
  doc.moveDown();
  doc.fontSize(7).fillColor('#444').text(t.footer);
  doc.end();
  return done;
}
