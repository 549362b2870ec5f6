import { describe, expect, it } from 'vitest';
import { templateVars } from '../../../src/shared/domain/message-template';
import { WhatsAppTemplateConfig, whatsappTemplateMessage, whatsappTemplateMismatch } from '../../../src/shared/domain/whatsapp-template';

const vars = templateVars(
  { balanceMinor: 1_850_000, currency: 'MXN', dueDate: '2026-10-15', externalRef: 'MX-1' },
  { name: 'Mariana Hernández', timeZone: 'America/Mexico_City' },
  new Date('2026-11-25T15:00:00Z'),
);
const config = WhatsAppTemplateConfig.parse({
  name: 'recordatorio_pago',
  language: 'es',
  languageByCountry: { MX: 'es_MX' },
  params: ['monto', 'nombre'],
});

describe('WhatsApp approved templates', () => {
  it("parameters follow the configured order, with the preview's formatted values", () => {
    expect(whatsappTemplateMessage(config, 'MX', vars)).toEqual({
      name: 'recordatorio_pago',
      language: 'es_MX',
      parameters: [vars.monto, 'Mariana Hernández'],
    });
    expect(vars.monto).toBe('$18,500.00');
  });

  it("a country without its own language gets the template's default", () => {
    expect(whatsappTemplateMessage(config, 'PE', vars).language).toBe('es');
  });

  it('names every placeholder the body and the Meta parameters disagree on', () => {
    expect(whatsappTemplateMismatch('{{nombre}}: {{ monto }}', config)).toEqual([]);
    expect(whatsappTemplateMismatch('{{nombre}} vence el {{fecha_vencimiento}}', config)).toEqual([
      '{{fecha_vencimiento}} is in the body but not in the Meta parameters',
      '{{monto}} is a Meta parameter but not in the body',
    ]);
  });

  it('refuses what Meta would: a name with capitals or spaces, a hyphenated language, an unknown placeholder', () => {
    expect(WhatsAppTemplateConfig.safeParse({ ...config, name: 'Recordatorio Pago' }).success).toBe(false);
    expect(WhatsAppTemplateConfig.safeParse({ ...config, language: 'es-MX' }).success).toBe(false);
    expect(WhatsAppTemplateConfig.safeParse({ ...config, languageByCountry: { MX: 'es-MX' } }).success).toBe(false);
    expect(WhatsAppTemplateConfig.safeParse({ ...config, params: ['nombre', 'cuota'] }).success).toBe(false);
  });
});
