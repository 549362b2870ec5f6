import { describe, expect, it } from 'vitest';
import { replyNotice } from '../../../src/main/shell/notifications';

describe('desktop notice of debtors’ replies', () => {
  const replies = [{ debtorName: 'Marta Ospina' }, { debtorName: 'Marta Ospina' }, { debtorName: 'Luis Gil' }];
  it('on a locked screen says only how many, with real plurals', () => {
    expect(replyNotice(replies, 'es', true)).toEqual({
      title: 'Respuestas de deudores',
      body: 'Tienes 3 respuestas nuevas.',
      namesDebtors: false,
    });
    expect(replyNotice(replies.slice(0, 1), 'en', true)).toEqual({
      title: 'A debtor replied',
      body: 'You have 1 new reply.',
      namesDebtors: false,
    });
  });
  it('unlocked names each debtor once; nothing to say for none', () => {
    expect(replyNotice(replies, 'es', false)).toEqual({
      title: 'Respuestas de deudores',
      body: 'Marta Ospina, Luis Gil',
      namesDebtors: true,
    });
    expect(replyNotice([], 'es', false)).toBeNull();
  });
});
