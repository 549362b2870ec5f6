import { describe, expect, it } from 'vitest';
import { mayReauthorizeByReply, optInWord, optOutWord } from '../../../src/shared/rules/opt-out';

describe('taking an opt-out back by a word', () => {
  it('reads the whole reply, case, accents and punctuation aside, on every channel and country', () => {
    expect(optInWord('ALTA', 'sms', 'CO')).toBe('alta');
    expect(optInWord('¡Darme de alta!', 'whatsapp', 'MX')).toBe('darme de alta');
    expect(optInWord(' Start ', 'email', 'PE')).toBe('start');
    expect(optInWord('Suscribir', 'sms', 'CL')).toBe('suscribir');
    // a sentence is a reply for the agent, not an instruction
    expect(optInWord('quiero darme de alta en el plan de pagos', 'sms', 'CO')).toBeNull();
    // an e-mail's quoted original is not read
    expect(optInWord('Alta\n\nEl lun, 2 nov 2026 Cartera escribió:\n> BAJA', 'email', 'CO')).toBe('alta');
  });

  it('has words for one channel or one country only', () => {
    expect(optInWord('UNSTOP', 'sms', 'CO')).toBe('unstop');
    expect(optInWord('UNSTOP', 'whatsapp', 'CO')).toBeNull();
    expect(optInWord('Activar', 'sms', 'CL')).toBe('activar');
    expect(optInWord('Activar', 'sms', 'CO')).toBeNull();
    expect(optInWord('Autorizo', 'whatsapp', 'CO')).toBe('autorizo');
    expect(optInWord('Autorizo', 'whatsapp', 'MX')).toBeNull();
  });

  it('no opt-in word is an opt-out word (one reply cannot mean both)', () => {
    for (const w of ['alta', 'start', 'unstop', 'suscribir', 'activar', 'autorizo', 'reanudar']) expect(optOutWord(w)).toBeNull();
  });

  it("lifts only a refusal the debtor made by a word, never an agent's record of a legal instruction", () => {
    expect(mayReauthorizeByReply({ refusedChannels: ['sms'], refusedByReply: ['sms'] }, 'sms')).toBe(true);
    expect(mayReauthorizeByReply({ refusedChannels: ['sms'] }, 'sms')).toBe(false);
    expect(mayReauthorizeByReply({ refusedChannels: ['sms', 'whatsapp'], refusedByReply: ['whatsapp'] }, 'sms')).toBe(false);
    expect(mayReauthorizeByReply({ refusedChannels: [], refusedByReply: [] }, 'email')).toBe(false);
    expect(mayReauthorizeByReply({}, 'sms')).toBe(false);
  });
});
