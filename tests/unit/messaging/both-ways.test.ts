import { describe, expect, it } from 'vitest';
import { metaSignature, twilioSignature, verifyMeta, verifyTwilio } from '../../../src/server/messaging/webhook-signatures';
import { nextMessageStatus } from '../../../src/shared/domain/message-status';
import { normalizeReply, optOutWord } from '../../../src/shared/rules/opt-out';
import { checkContact } from '../../../src/shared/rules/compliance';
import { inputOf } from '../rules/compliance-fixtures';

describe('Twilio request signature', () => {
  // The worked example of Twilio's "Webhooks security" guide (auth token 12345).
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params: Array<[string, string]> = [
    ['To', '+18005551212'],
    ['CallSid', 'CA1234567890ABCDE'],
    ['Digits', '1234'],
    ['From', '+12349013030'],
    ['Caller', '+12349013030'],
  ];

  it("matches Twilio's documented signature (parameters in any order)", () => {
    expect(twilioSignature(url, params, '12345')).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(verifyTwilio(url, params, '12345', '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(true);
  });

  it('refuses another token, a changed parameter, another URL, or no header', () => {
    const sig = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';
    expect(verifyTwilio(url, params, '54321', sig)).toBe(false);
    expect(verifyTwilio(url, [...params.slice(1), ['To', '+18005551213']], '12345', sig)).toBe(false);
    expect(verifyTwilio('https://mycompany.com/myapp.php?foo=1&bar=3', params, '12345', sig)).toBe(false);
    expect(verifyTwilio(url, params, '12345', undefined)).toBe(false);
  });

  it('accepts the URL with the default port written out, as Twilio may sign it', () => {
    const withPort = twilioSignature('https://mycompany.com:443/myapp.php?foo=1&bar=2', params, '12345');
    expect(verifyTwilio(url, params, '12345', withPort)).toBe(true);
  });
});

describe('Meta X-Hub-Signature-256', () => {
  const body = Buffer.from('{"object":"whatsapp_business_account"}');
  it('is sha256= and the hex HMAC-SHA256 of the raw body with the app secret (checked against openssl)', () => {
    // printf '%s' '{"object":"whatsapp_business_account"}' | openssl dgst -sha256 -hmac 'app-secret-0123456789'
    expect(metaSignature(body, 'app-secret-0123456789')).toBe('sha256=7cfc14407fab487f4169dcfd59fc5643357cefb7fdb7eb9c0a6eb917f0ec1e05');
    expect(verifyMeta(body, 'app-secret-0123456789', 'sha256=7cfc14407fab487f4169dcfd59fc5643357cefb7fdb7eb9c0a6eb917f0ec1e05')).toBe(true);
  });
  it('refuses a body changed by one byte, another secret, a missing header', () => {
    const sig = metaSignature(body, 'app-secret-0123456789');
    expect(verifyMeta(Buffer.from('{"object":"whatsapp_business_accounT"}'), 'app-secret-0123456789', sig)).toBe(false);
    expect(verifyMeta(body, 'other-secret-0123456789', sig)).toBe(false);
    expect(verifyMeta(body, 'app-secret-0123456789', undefined)).toBe(false);
  });
});

describe('delivery status order', () => {
  it('a late "sent" never overwrites delivered or read; read follows delivered', () => {
    expect(nextMessageStatus('delivered', 'sent')).toBeNull();
    expect(nextMessageStatus('read', 'delivered')).toBeNull();
    expect(nextMessageStatus('sent', 'delivered')).toBe('delivered');
    expect(nextMessageStatus('delivered', 'read')).toBe('read');
    expect(nextMessageStatus('queued', 'read')).toBe('read');
  });
  it('failed after sent is taken; after delivered it is not; blocked never moves', () => {
    expect(nextMessageStatus('sent', 'failed')).toBe('failed');
    expect(nextMessageStatus('delivered', 'failed')).toBeNull();
    expect(nextMessageStatus('failed', 'read')).toBe('read');
    expect(nextMessageStatus('blocked', 'delivered')).toBeNull();
  });
});

describe('opt-out replies', () => {
  it.each(['STOP', 'stop', 'Baja', 'BAJA.', '¡NO MÁS!', 'no mas', 'No  Más', 'CANCELAR', 'cancelar ', 'Dar de baja'])(
    '"%s" is an opt-out',
    (t) => {
      expect(optOutWord(t)).not.toBeNull();
    },
  );
  it.each(['no puedo pagar hasta el viernes', 'stop llamando a mi trabajo por favor', 'Bajaré al banco mañana', 'ok', ''])(
    '"%s" is a reply, not an opt-out',
    (t) => {
      expect(optOutWord(t)).toBeNull();
    },
  );
  it("reads only the e-mail's own text, not the quoted original", () => {
    expect(optOutWord('BAJA\n\nEl mar, 1 dic 2026 escribió:\n> Estimado cliente, su saldo...')).toBe('baja');
    expect(normalizeReply('  ¡NO   MÁS!  ')).toBe('no mas');
  });
});

describe('checkContact and a refused channel', () => {
  const base = inputOf({
    name: 'x',
    rule: 'x',
    country: 'MX',
    at: '2026-11-25T17:00:00Z',
    channel: 'sms',
    allowed: true,
    reasons: [],
    next: null,
  });
  it('blocks the refused channel for good and leaves the others', () => {
    expect(checkContact(base).allowed).toBe(true);
    const refused = {
      ...base,
      debtor: { ...base.debtor, contactPrefs: { ...base.debtor.contactPrefs, refusedChannels: ['sms' as const] } },
    };
    const d = checkContact(refused);
    expect(d.allowed).toBe(false);
    expect(d.nextAllowedAt).toBeNull();
    expect(d.reasons.map((r) => r.ruleId)).toContain('hard.channel_refused');
    expect(checkContact({ ...refused, channel: 'call' }).allowed).toBe(true);
  });
});
