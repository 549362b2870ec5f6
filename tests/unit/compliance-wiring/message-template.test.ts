import { describe, expect, it } from 'vitest';
import { LINK_PREVIEW, renderTemplate, templateVars, unknownPlaceholders } from '../../../src/shared/domain/message-template';

const account = { balanceMinor: 1_850_000, currency: 'MXN' as const, dueDate: '2026-10-15', externalRef: 'MX 001/A' };
const debtor = { name: 'Mariana Hernández', timeZone: 'America/Mexico_City' };

describe('message templates', () => {
  it("fills every placeholder: amount in the account currency, dd/mm/aaaa, days past due in the debtor's calendar", () => {
    // 05:30 UTC on 25 Nov is still 24 Nov in Mexico City: 40 days past 15 Oct, not 41
    const vars = templateVars(account, debtor, new Date('2026-11-25T05:30:00Z'));
    expect(vars).toMatchObject({ nombre: 'Mariana Hernández', moneda: 'MXN', fecha_vencimiento: '15/10/2026', dias_mora: '40' });
    expect(vars.monto).toMatch(/18,500\.00/);
    // a preview cannot know the signed link (the server makes it as it sends): it says so in words
    expect(vars.link).toBe(LINK_PREVIEW);
    expect(templateVars(account, debtor, new Date('2026-11-25T05:30:00Z'), 'https://pagos.acme.example/p/abc.def').link).toBe(
      'https://pagos.acme.example/p/abc.def',
    );
    const text = renderTemplate('Hola {{nombre}}, debe {{ monto }} desde el {{fecha_vencimiento}} ({{dias_mora}} días). {{link}}', vars);
    expect(text).toBe(`Hola Mariana Hernández, debe ${vars.monto} desde el 15/10/2026 (40 días). ${vars.link}`);
  });

  it('leaves unknown placeholders visible and reports them', () => {
    const vars = templateVars(account, debtor, new Date('2026-11-25T15:00:00Z'));
    expect(renderTemplate('{{nombre}} {{apellido}}', vars)).toBe('Mariana Hernández {{apellido}}');
    expect(unknownPlaceholders('{{nombre}} {{apellido}} {{monto}} {{cuota}}')).toEqual(['apellido', 'cuota']);
  });

  it('an account without due date renders no date and zero days', () => {
    const vars = templateVars({ ...account, dueDate: null }, debtor, new Date('2026-11-25T15:00:00Z'));
    expect(vars.fecha_vencimiento).toBe('');
    expect(vars.dias_mora).toBe('0');
  });
});
