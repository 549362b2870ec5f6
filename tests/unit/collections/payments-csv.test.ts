import { describe, expect, it } from 'vitest';
import { csvAmount, csvInstant, parsePaymentsCsv } from '../../../src/server/collections/payments-csv';

describe('payments CSV', () => {
  it('reads Spanish headers, either delimiter, and the reversed flag', () => {
    const r = parsePaymentsCsv(
      '\uFEFFReferencia;Cuenta;Monto;Fecha;Reversado\nR1;TC-1;150.000;2026-11-20;\nR2;TC-1;1.500,50;2026-11-21T10:00:00-05:00;sí\n',
    );
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      { rowNumber: 2, reference: 'R1', accountRef: 'TC-1', amountText: '150.000', dateText: '2026-11-20', reversed: false },
      { rowNumber: 3, reference: 'R2', accountRef: 'TC-1', amountText: '1.500,50', dateText: '2026-11-21T10:00:00-05:00', reversed: true },
    ]);
  });

  it('names the missing column and the bad row', () => {
    expect(parsePaymentsCsv('referencia,cuenta,fecha\nR1,TC-1,2026-11-20\n').errors).toEqual([
      { row: 1, field: 'monto', message: 'missing column' },
    ]);
    expect(parsePaymentsCsv('referencia,cuenta,monto,fecha\n,TC-1,5,2026-11-20\nR2,,5,2026-11-20\n').errors).toEqual([
      { row: 2, field: 'referencia', message: 'empty' },
      { row: 3, field: 'cuenta', message: 'empty' },
    ]);
  });

  it('amounts in the account currency and dates in the debtor zone', () => {
    expect(csvAmount('150.000', 'COP')).toBe(150_000);
    expect(csvAmount('1,500.50', 'USD')).toBe(150_050);
    expect(csvAmount('0', 'COP')).toBe('must be greater than zero');
    expect(typeof csvAmount('abc', 'COP')).toBe('string');
    // a day: its last second in the debtor's zone, never later than now
    expect(csvInstant('2026-11-20', 'America/Bogota', new Date('2026-12-01T00:00:00Z'))).toBe('2026-11-21T04:59:59.000Z');
    expect(csvInstant('2026-11-20', 'America/Bogota', new Date('2026-11-20T15:30:00Z'))).toBe('2026-11-20T15:30:00.000Z');
    expect(csvInstant('2026-02-30', 'America/Bogota')).toBeNull();
    expect(csvInstant('ayer', 'America/Bogota')).toBeNull();
  });
});
