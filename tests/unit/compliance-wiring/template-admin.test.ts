import { describe, expect, it } from 'vitest';
import { MessageTemplateInput, smsSegments, templateProblems } from '../../../src/shared/domain/template-admin';
import { renderSubject } from '../../../src/shared/domain/message-template';

describe('template rules shared by the admin screen and the server', () => {
  it('names the field and the placeholder', () => {
    expect(templateProblems({ channel: 'email', subject: 'Hola {{cliente}}', body: '{{nombre}} {{ saldo }}', whatsapp: null })).toEqual([
      { field: 'body', code: 'unknown_placeholder', names: ['saldo'], message: expect.stringContaining('unknown placeholder {{saldo}}') },
      {
        field: 'subject',
        code: 'unknown_placeholder',
        names: ['cliente'],
        message: expect.stringContaining('unknown placeholder {{cliente}}'),
      },
    ]);
    expect(templateProblems({ channel: 'email', subject: null, body: 'Hola', whatsapp: null })).toEqual([
      { field: 'subject', code: 'subject_required', names: [], message: 'an e-mail template needs a subject' },
    ]);
    expect(templateProblems({ channel: 'sms', subject: null, body: 'Hola {{nombre}}', whatsapp: null })).toEqual([]);
  });

  it('WhatsApp parameters must match the body (the shared mismatch check)', () => {
    const problems = templateProblems({
      channel: 'whatsapp',
      subject: null,
      body: 'Hola {{nombre}}, debe {{monto}}',
      whatsapp: { name: 'x', language: 'es', languageByCountry: {}, params: ['monto', 'link'] },
    });
    const message = '{{nombre}} is in the body but not in the Meta parameters; {{link}} is a Meta parameter but not in the body';
    expect(problems).toEqual([
      { field: 'whatsapp.params', code: 'whatsapp_param_missing', names: ['nombre'], message },
      { field: 'whatsapp.params', code: 'whatsapp_param_extra', names: ['link'], message },
    ]);
    // not approved yet is allowed to be saved (it is only refused when sent)
    expect(templateProblems({ channel: 'whatsapp', subject: null, body: 'Hola {{nombre}}', whatsapp: null })).toEqual([]);
  });

  it('the zod schema reports the first problem at its path and empties a blank subject', () => {
    const r = MessageTemplateInput.safeParse({ name: 'X', channel: 'sms', body: 'Hola {{apellido}}' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['body']);
    const ok = MessageTemplateInput.parse({ name: ' X ', channel: 'sms', subject: '  ', body: 'Hola' });
    expect(ok).toMatchObject({ name: 'X', subject: null, active: true, whatsapp: null });
  });

  it('counts SMS segments (GSM-7 160/153, otherwise 70/67)', () => {
    expect(smsSegments('a'.repeat(160))).toBe(1);
    expect(smsSegments('a'.repeat(161))).toBe(2);
    expect(smsSegments('ó'.repeat(70))).toBe(1);
    expect(smsSegments('ó'.repeat(71))).toBe(2);
  });

  it('a subject is rendered on one line', () => {
    expect(
      renderSubject('Saldo\r\nde {{nombre}}', {
        nombre: 'Ana\nGómez',
        monto: '',
        moneda: '',
        fecha_vencimiento: '',
        dias_mora: '',
        link: '',
      }),
    ).toBe('Saldo de Ana Gómez');
  });
});
