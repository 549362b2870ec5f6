import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCsvBytes } from '../../../src/server/portfolio/decode';
import { parsePortfolioCsv } from '../../../src/server/portfolio/parse';

const EXAMPLE = 'resources/demo/cartera-ejemplo.csv';

describe('resources/demo/cartera-ejemplo.csv (the example in docs/portfolio-csv.md)', () => {
  const r = parsePortfolioCsv(readFileSync(EXAMPLE, 'utf8'));

  it('has the three format errors the docs show, by row and column', () => {
    expect(r.rowsRead).toBe(21);
    expect(r.errors).toEqual([
      { row: 5, field: 'saldo', message: '"1.250.000,75" tiene más decimales de los que admite COP' },
      { row: 10, field: 'fecha_vencimiento', message: '"31/02/2026" no es una fecha real' },
      { row: 15, field: 'telefono1', message: '"12345" tiene una longitud imposible para PE' },
    ]);
  });

  it('keeps every other row, including row 20 whose agent only the database can refuse', () => {
    expect(r.rows).toHaveLength(18);
    expect(r.rows.map((x) => x.rowNumber)).not.toContain(5);
    expect(r.rows.find((x) => x.rowNumber === 20)?.row.assignedAgent).toBe('agente9');
    expect(new Set(r.rows.map((x) => x.row.country))).toEqual(new Set(['CO', 'MX', 'PE', 'CL']));
  });
});

describe('decodeCsvBytes', () => {
  it('reads UTF-8 as UTF-8 and Excel Windows-1252 as Windows-1252', () => {
    expect(decodeCsvBytes(new TextEncoder().encode('País;Gómez'))).toEqual({ text: 'País;Gómez', encoding: 'utf-8' });
    // "País;Gómez" as Excel "CSV (delimitado por comas)" writes it on Windows
    const cp1252 = Uint8Array.from([0x50, 0x61, 0xed, 0x73, 0x3b, 0x47, 0xf3, 0x6d, 0x65, 0x7a]);
    expect(decodeCsvBytes(cp1252)).toEqual({ text: 'País;Gómez', encoding: 'windows-1252' });
  });
});
