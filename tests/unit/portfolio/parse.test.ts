import { describe, expect, it } from 'vitest';
import { PortfolioRow } from '../../../src/shared/domain/portfolio';
import { columnForHeader } from '../../../src/server/portfolio/columns';
import { detectDelimiter, parsePortfolioCsv } from '../../../src/server/portfolio/parse';

const AS_OF = '2026-11-25';
const HEAD = 'id_deudor;nombre;documento;pais;cuenta;moneda;saldo';

/** A one-data-row file: header + row, ';'-separated, extra columns appended to both. */
function oneRow(extraHead: string[], extraCells: string[], base = 'D1;María Gómez;1020304050;CO;C-1;COP;1500000'): string {
  return `${[HEAD, ...extraHead].join(';')}\n${[base, ...extraCells].join(';')}\n`;
}

function only(text: string) {
  const r = parsePortfolioCsv(text, { asOf: AS_OF });
  return { ...r, row: r.rows[0]?.row };
}

describe('parsePortfolioCsv: file shape', () => {
  it.each([
    ['semicolon', 'id_deudor;nombre;documento;pais;cuenta;saldo\nD1;Ana;1;CO;C1;1000\n'],
    ['comma', 'id_deudor,nombre,documento,pais,cuenta,saldo\nD1,Ana,1,CO,C1,1000\n'],
    ['tab', 'id_deudor\tnombre\tdocumento\tpais\tcuenta\tsaldo\nD1\tAna\t1\tCO\tC1\t1000\n'],
    ['BOM + CRLF', '\uFEFFid_deudor;nombre;documento;pais;cuenta;saldo\r\nD1;Ana;1;CO;C1;1000\r\n'],
    [
      'quoted fields with separator and newline',
      'id_deudor,nombre,documento,pais,cuenta,saldo,direccion\nD1,"Ana, la ""Mona""",1,CO,C1,"1,000","Calle 1\nApto 2"\n',
    ],
  ])('%s', (_label, text) => {
    const r = only(text);
    expect(r.errors).toEqual([]);
    expect(r.rowsRead).toBe(1);
    expect(r.row?.debtorExternalId).toBe('D1');
    expect(r.row?.balanceMinor).toBe(1000);
  });

  it('keeps the quoted name and the multi-line address intact', () => {
    const r = only('id_deudor,nombre,documento,pais,cuenta,saldo,direccion\nD1,"Ana, la ""Mona""",1,CO,C1,"1,000","Calle 1\nApto 2"\n');
    expect(r.row?.name).toBe('Ana, la "Mona"');
    // spaces collapse, the newline inside the quoted cell becomes one space
    expect(r.row?.address).toBe('Calle 1 Apto 2');
  });

  it.each([
    ['a;b,c;d', ';'],
    ['a,b,c;d', ','],
    ['"a;b",c,d', ','],
    ['a\tb\tc', '\t'],
  ])('detects the separator of %j as %j', (line, sep) => {
    expect(detectDelimiter(`${line}\n1;2`)).toBe(sep);
  });

  it.each([
    // header label → the column it must fill
    ['ID Deudor;Nombre;Cédula;País;Número Cuenta;Saldo', 'es, accents and capitals'],
    ['DEBTOR_ID;NAME;NATIONAL_ID;COUNTRY;ACCOUNT;BALANCE', 'en, upper case'],
    ['debtor-id;Full Name;RUT;Country;Account Number;Balance', 'en with hyphens and spaces'],
    ['id_cliente;razon_social;NIT;pais;obligacion;saldo_total', 'core-banking synonyms'],
  ])('accepts headers %j (%s)', (header) => {
    const r = only(`${header}\nD1;Ana;1;CO;C1;1000\n`);
    expect(r.errors).toEqual([]);
    expect(r.row).toMatchObject({
      debtorExternalId: 'D1',
      name: 'Ana',
      nationalId: '1',
      country: 'CO',
      accountRef: 'C1',
      balanceMinor: 1000,
    });
  });

  it('reports each missing required column once for the whole file, and writes no rows', () => {
    const r = parsePortfolioCsv('nombre;pais;saldo\nAna;CO;1\nLuis;CO;2\n', { asOf: AS_OF });
    expect(r.rows).toEqual([]);
    expect(r.rowsRead).toBe(2);
    expect(r.errors.map((e) => [e.row, e.field])).toEqual([
      [1, 'id_deudor'],
      [1, 'documento'],
      [1, 'cuenta'],
    ]);
    expect(r.errors[0]!.message).toContain('falta la columna obligatoria');
  });

  it('refuses two columns that mean the same thing', () => {
    const r = parsePortfolioCsv('id_deudor;nombre;documento;cedula;pais;cuenta;saldo\nD1;A;1;1;CO;C;1\n');
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([expect.objectContaining({ row: 1, field: 'cedula' })]);
  });

  it('an unterminated quote is one file error, not a crash', () => {
    const r = parsePortfolioCsv('id_deudor;nombre;documento;pais;cuenta;saldo\nD1;"Ana;1;CO;C1;1000\n');
    expect(r.rows).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.field).toBe('archivo');
  });

  it('empty file', () => {
    expect(parsePortfolioCsv('').errors).toEqual([expect.objectContaining({ row: 1, field: 'archivo' })]);
  });

  it('counts rows as a spreadsheet does (header = 1, blank lines keep their number but are not read)', () => {
    const text = `${HEAD}\nD1;A;1;CO;C1;COP;10\n\nD2;B;2;CO;C2;XXX;10\nD3;C;3;CO;C3;COP;10\n`;
    const r = parsePortfolioCsv(text, { asOf: AS_OF });
    expect(r.rowsRead).toBe(3);
    expect(r.rows.map((x) => x.rowNumber)).toEqual([2, 5]);
    expect(r.errors).toEqual([expect.objectContaining({ row: 4, field: 'moneda' })]);
  });
});

describe('parsePortfolioCsv: amounts per currency', () => {
  it.each([
    ['COP', '1.500.000', 1_500_000],
    ['COP', '1500000', 1_500_000],
    ['COP', '$ 1.500.000', 1_500_000],
    ['CLP', '250.000', 250_000],
    ['MXN', '1,234.50', 123_450],
    ['MXN', '1.234,50', 123_450],
    ['PEN', '980.5', 98_050],
    ['USD', '100', 10_000],
    ['COP', '1500000,00', 1_500_000],
  ])('%s %s → %d minor units', (currency, text, minor) => {
    const r = only(oneRow([], [], `D1;Ana;1;CO;C1;${currency};"${text}"`));
    expect(r.errors).toEqual([]);
    expect(r.row?.balanceMinor).toBe(minor);
    expect(r.row?.currency).toBe(currency);
  });

  it.each([
    ['COP', '1500,5', 'más decimales'],
    ['MXN', '10.1234', 'más decimales'],
    ['MXN', 'abc', 'no es un número'],
    ['PEN', '-50', 'negativo'],
    ['MXN', '', 'vacío'],
  ])('%s %j is an error naming saldo (%s)', (currency, text, message) => {
    const r = only(oneRow([], [], `D1;Ana;1;CO;C1;${currency};${text}`));
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([{ row: 2, field: 'saldo', message: expect.stringContaining(message) }]);
  });

  it('principal defaults to the balance; an explicit one is parsed in the same currency', () => {
    expect(only(oneRow([], [])).row?.principalMinor).toBe(1_500_000);
    expect(only(oneRow(['capital'], ['2.000.000'])).row?.principalMinor).toBe(2_000_000);
  });

  it('currency defaults from the country when the column is absent', () => {
    const r = only('id_deudor;nombre;documento;pais;cuenta;saldo\nD1;A;1;PE;C1;10.50\nD2;B;2;CL;C2;10000\n');
    expect(r.rows.map((x) => [x.row.currency, x.row.balanceMinor])).toEqual([
      ['PEN', 1050],
      ['CLP', 10000],
    ]);
  });
});

describe('parsePortfolioCsv: dates and days past due', () => {
  it.each([
    ['fecha_vencimiento', '2026-10-01', '2026-10-01'],
    ['fecha_vencimiento', '01/10/2026', '2026-10-01'],
    ['Fecha Vencimiento', '1/2/2026', '2026-02-01'],
    ['due_date', '29-02-2024', '2024-02-29'],
    ['dias_mora', '45', '2026-10-11'],
    ['DPD', '0', '2026-11-25'],
  ])('%s %j → due %s', (head, cell, due) => {
    const r = only(oneRow([head], [cell]));
    expect(r.errors).toEqual([]);
    expect(r.row?.dueDate).toBe(due);
  });

  it('a date wins over days past due when both are given', () => {
    expect(only(oneRow(['fecha_vencimiento', 'dias_mora'], ['2026-01-31', '5'])).row?.dueDate).toBe('2026-01-31');
  });

  it('no date and no DPD → no due date', () => {
    expect(only(oneRow([], [])).row?.dueDate).toBeNull();
  });

  it.each([
    ['fecha_vencimiento', '31/02/2026'],
    ['fecha_vencimiento', '2026-13-01'],
    ['fecha_vencimiento', 'ayer'],
    ['dias_mora', '-3'],
    ['dias_mora', 'diez'],
  ])('%s %j is an error naming the column', (head, cell) => {
    const r = only(oneRow([head], [cell]));
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([expect.objectContaining({ row: 2, field: head })]);
  });

  it('DPD without asOf counts back from today in the debtor zone', () => {
    const r = parsePortfolioCsv(oneRow(['dias_mora'], ['0']));
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Bogota' }).format(new Date());
    expect(r.rows[0]?.row.dueDate).toBe(today);
  });
});

describe('parsePortfolioCsv: phones and time zones', () => {
  it.each([
    ['CO', '300 123 4567', '+573001234567', 'America/Bogota'],
    ['CO', '(601) 234 5678', '+576012345678', 'America/Bogota'],
    ['CO', '573001234567', '+573001234567', 'America/Bogota'],
    ['CO', '3001234567.0', '+573001234567', 'America/Bogota'],
    ['MX', '55 1234 5678', '+525512345678', 'America/Mexico_City'],
    ['MX', '664 123 4567', '+526641234567', 'America/Tijuana'],
    ['MX', '81 1234 5678', '+528112345678', 'America/Monterrey'],
    ['PE', '987 654 321', '+51987654321', 'America/Lima'],
    ['CL', '+56 9 6123 4567', '+56961234567', 'America/Santiago'],
    ['US', '(212) 555-0123', '+12125550123', 'America/New_York'],
    ['US', '415-555-0199', '+14155550199', 'America/Los_Angeles'],
    ['US', '312 555 0142', '+13125550142', 'America/Chicago'],
  ])('%s %j → %s in %s', (country, phone, e164, zone) => {
    const r = only(oneRow(['telefono'], [phone], `D1;Ana;1;${country};C1;USD;10`));
    expect(r.errors).toEqual([]);
    expect(r.row?.phones).toEqual([e164]);
    expect(r.row?.timeZone).toBe(zone);
  });

  it('collects several phone columns and several numbers per cell, without duplicates', () => {
    const r = only(
      oneRow(['telefono1', 'telefono2', 'celular', 'whatsapp'], ['3001234567 | 3109876543', '300-123-4567', '3201112233', '3001234567']),
    );
    expect(r.errors).toEqual([]);
    expect(r.row?.phones).toEqual(['+573001234567', '+573109876543', '+573201112233']);
    expect(r.row?.whatsapp).toEqual(['+573001234567']);
  });

  it.each([
    ['12345', 'longitud imposible'],
    ['3991234567', 'no es un número válido'],
    ['llamar tarde', 'no es un número'],
  ])('phone %j is an error naming the row and the phone column', (phone, message) => {
    const r = only(oneRow(['telefono1', 'Telefono2'], ['3001234567', phone]));
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([{ row: 2, field: 'Telefono2', message: expect.stringContaining(message) }]);
  });

  it('explicit zones are validated and canonicalised', () => {
    expect(only(oneRow(['zona_horaria'], ['america/bogota'])).row?.timeZone).toBe('America/Bogota');
    const bad = only(oneRow(['zona_horaria'], ['Bogota']));
    expect(bad.errors).toEqual([expect.objectContaining({ row: 2, field: 'zona_horaria' })]);
  });

  it('a US debtor with no zone and no phone that tells one is an error', () => {
    const r = only(oneRow([], [], 'D1;Jim;9;US;C1;USD;10'));
    expect(r.errors).toEqual([expect.objectContaining({ row: 2, field: 'zona_horaria' })]);
    // 850 spans two zones (Florida panhandle): not guessed
    const split = only(oneRow(['phone'], ['850 555 0101'], 'D1;Jim;9;US;C1;USD;10'));
    expect(split.errors).toEqual([expect.objectContaining({ row: 2, field: 'zona_horaria' })]);
    const given = only(oneRow(['time_zone', 'phone'], ['America/Chicago', '850 555 0101'], 'D1;Jim;9;US;C1;USD;10'));
    expect(given.row?.timeZone).toBe('America/Chicago');
  });
});

describe('parsePortfolioCsv: other columns', () => {
  it('reads every optional column', () => {
    const r = only(
      oneRow(
        [
          'tipo',
          'segmento',
          'producto',
          'cuotas',
          'cuotas_pagadas',
          'valor_cuota',
          'email',
          'correo2',
          'direccion',
          'canales_autorizados',
          'asesor',
        ],
        [
          'Empresa',
          'Alto',
          'Libranza',
          '36',
          '10',
          '120.000',
          'Pagos@Example.com',
          'b@example.com',
          'Calle 45 # 12-34, Bogotá',
          'Llamada|SMS|correo',
          'agente1',
        ],
      ),
    );
    expect(r.errors).toEqual([]);
    expect(r.row).toMatchObject({
      debtorType: 'company',
      segment: 'high',
      product: 'Libranza',
      installmentsTotal: 36,
      installmentsPaid: 10,
      installmentAmountMinor: 120_000,
      emails: ['pagos@example.com', 'b@example.com'],
      address: 'Calle 45 # 12-34, Bogotá',
      authorizedChannels: ['call', 'sms', 'email'],
      assignedAgent: 'agente1',
    });
    expect(() => PortfolioRow.parse(r.row)).not.toThrow();
  });

  it('defaults: persona, medium segment, no channels, no agent', () => {
    expect(only(oneRow([], [])).row).toMatchObject({
      debtorType: 'individual',
      segment: 'medium',
      authorizedChannels: [],
      assignedAgent: null,
      installmentsTotal: 0,
      installmentAmountMinor: null,
      phones: [],
      emails: [],
      whatsapp: [],
      address: null,
    });
  });

  it('country names are accepted in Spanish', () => {
    expect(only(oneRow([], [], 'D1;A;1;México;C1;MXN;10')).row?.country).toBe('MX');
    expect(only(oneRow([], [], 'D1;A;1;Perú;C1;PEN;10')).row?.country).toBe('PE');
  });

  // One table of "bad cell → error names row 2 and this column"
  it.each([
    ['id_deudor', '', 'base'],
    ['nombre', '', 'base'],
    ['documento', '', 'base'],
    ['pais', 'Narnia', 'base'],
    ['cuenta', '', 'base'],
    ['moneda', 'EUR', 'base'],
    ['tipo', 'cooperativa', 'extra'],
    ['segmento', 'urgente', 'extra'],
    ['cuotas', '12.5', 'extra'],
    ['valor_cuota', '10,5', 'extra'],
    ['email', 'no-es-correo', 'extra'],
    ['canales_autorizados', 'llamada|paloma', 'extra'],
    ['zona_horaria', 'Marte/Base', 'extra'],
  ])('bad %s (%j) → error on row 2, that field; row left out', (field, value, where) => {
    let text: string;
    if (where === 'base') {
      const cells = ['D1', 'María', '1020', 'CO', 'C-1', 'COP', '1000'];
      const idx = HEAD.split(';').indexOf(field);
      cells[idx] = value;
      text = `${HEAD}\n${cells.join(';')}\n`;
    } else {
      text = oneRow([field], [value]);
    }
    const r = parsePortfolioCsv(text, { asOf: AS_OF });
    expect(r.rows).toEqual([]);
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) expect(e.row).toBe(2);
    expect(r.errors.map((e) => e.field)).toContain(field);
  });

  it('more installments paid than the total is an error on cuotas_pagadas', () => {
    const r = only(oneRow(['cuotas', 'cuotas_pagadas'], ['12', '13']));
    expect(r.errors).toEqual([expect.objectContaining({ row: 2, field: 'cuotas_pagadas' })]);
  });
});

describe('parsePortfolioCsv: several rows', () => {
  const text = [
    'id_deudor;nombre;documento;pais;cuenta;producto;saldo;telefono',
    'D1;Ana Ruiz;100;CO;C1;Tarjeta;1000;3001234567',
    'D1;Ana Ruiz;100;CO;C2;Libranza;2000;3109876543',
    'D2;Luis Pérez;200;CO;C3;Tarjeta;abc;3001112233',
    'D3;Eva Soto;300;CO;C1;Tarjeta;500;3002223344',
    'D1;Ana Ruiz;999;CO;C4;Tarjeta;500;3001234567',
    'D4;Raúl Díaz;400;CO;C5;Tarjeta;700;12',
    'D5;Inés Vega;500;CO;C6;Tarjeta;800;3205556677',
  ].join('\n');
  const r = parsePortfolioCsv(text, { asOf: AS_OF });

  it('good rows survive bad ones', () => {
    expect(r.rowsRead).toBe(7);
    expect(r.rows.map((x) => [x.rowNumber, x.row.accountRef])).toEqual([
      [2, 'C1'],
      [3, 'C2'],
      [8, 'C6'],
    ]);
  });

  it('each bad row is named with its field', () => {
    expect(r.errors.map((e) => [e.row, e.field])).toEqual([
      [4, 'saldo'],
      [5, 'cuenta'], // C1 already on row 2
      [6, 'documento'], // D1 had 100 on row 2
      [7, 'telefono'],
    ]);
    expect(r.errors[1]!.message).toContain('fila 2');
  });

  it('several accounts per debtor each keep their own phones', () => {
    expect(r.rows.filter((x) => x.row.debtorExternalId === 'D1').map((x) => x.row.phones)).toEqual([['+573001234567'], ['+573109876543']]);
  });
});

it('lists the header cells it did not read, so a misspelt column is noticed', () => {
  const r = parsePortfolioCsv(`${HEAD};telefono_referencia;Observaciones;;telefono\nD1;A;1;CO;C1;COP;10;3001234567;x;;3109876543\n`);
  expect(r.errors).toEqual([]);
  expect(r.ignoredColumns).toEqual(['telefono_referencia', 'Observaciones']);
  // the reference's number is not taken as the debtor's
  expect(r.rows[0]!.row.phones).toEqual(['+573109876543']);
});

describe('columnForHeader', () => {
  it.each([
    ['Teléfono', 'phone'],
    ['TELEFONO 2', 'phone'],
    ['telefono_casa', 'phone'],
    ['Teléfono Oficina 2', 'phone'],
    ['Celular-Personal', 'phone'],
    ['phone_3', 'phone'],
    ['Correo Personal', 'email'],
    ['email2', 'email'],
    ['WhatsApp 1', 'whatsapp'],
    ['Días de mora', 'dpd'],
    ['N° documento', 'nationalId'],
    ['Nro. Cuenta', 'account'],
    // a reference's (third party's) number is never read as the debtor's
    ['telefono_referencia', undefined],
    ['celular_codeudor', undefined],
    // numbers only extend columns that may repeat
    ['saldo2', undefined],
    ['nombre_casa', undefined],
  ])('%j → %s', (header, key) => {
    expect(columnForHeader(header)?.key).toBe(key);
  });
});
