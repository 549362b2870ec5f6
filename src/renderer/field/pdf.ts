import { getApi } from '../api';

/** Saves a receipt's PDF (built on the main side) through the browser's download, ready to print. */
export async function downloadReceiptPdf(receiptId: string, lang: 'es' | 'en'): Promise<void> {
  const { fileName, base64 } = await getApi().receiptPdf({ receiptId, lang });
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
