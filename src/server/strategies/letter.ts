import PDFDocument from 'pdfkit';

export interface Letter {
  debtorName: string;
  /** The postal address (the debtor's address contact point). */
  address: string;
  subject: string | null;
  body: string;
  /** dd/mm/aaaa in the debtor's zone. */
  date: string;
}

/**
 * A strategy letter as an A4 PDF, for printing or a mail house. pdfkit's built-in Helvetica
 * (WinAnsi) covers Spanish text (á, ñ, ¿, €); no font files ship with the server.
 */
export function renderLetterPdf(letter: Letter): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 72, info: { Title: letter.subject ?? 'Carta de cobranza' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica').fontSize(11).text(letter.date, { align: 'right' }).moveDown(2);
    doc.text(letter.debtorName).text(letter.address).moveDown(2);
    if (letter.subject) doc.font('Helvetica-Bold').text(letter.subject).font('Helvetica').moveDown();
    doc.text(letter.body, { align: 'left' });
    doc.end();
  });
}
