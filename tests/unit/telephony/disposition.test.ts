import { describe, expect, it } from 'vitest';
import { suggestDisposition } from '../../../src/shared/telephony/disposition';

describe('suggestDisposition', () => {
  it.each([
    [{ answered: true, sipStatus: 200, ringTimeout: false }, 'rpc'],
    [{ answered: false, sipStatus: 486, ringTimeout: false }, 'busy'],
    [{ answered: false, sipStatus: 600, ringTimeout: false }, 'busy'],
    [{ answered: false, sipStatus: 603, ringTimeout: false }, 'busy'],
    [{ answered: false, sipStatus: 408, ringTimeout: false }, 'no_answer'],
    [{ answered: false, sipStatus: 480, ringTimeout: false }, 'no_answer'],
    [{ answered: false, sipStatus: 487, ringTimeout: true }, 'no_answer'],
    [{ answered: false, sipStatus: 404, ringTimeout: false }, 'wrong_number'],
    [{ answered: false, sipStatus: 484, ringTimeout: false }, 'wrong_number'],
    [{ answered: false, sipStatus: 410, ringTimeout: false }, 'wrong_number'],
    [{ answered: false, sipStatus: 487, ringTimeout: false }, null],
    [{ answered: false, sipStatus: 503, ringTimeout: false }, null],
  ] as const)('%j → %s', (end, expected) => {
    expect(suggestDisposition(end)).toBe(expected);
  });
});

describe('formatDuration (call timer)', () => {
  it.each([
    [0, '0:00'],
    [9.9, '0:09'],
    [61, '1:01'],
    [3599, '59:59'],
    [3600, '1:00:00'],
    [-5, '0:00'],
  ])('%s s → %s', async (sec, text) => {
    const { formatDuration } = await import('../../../src/renderer/softphone/format');
    expect(formatDuration(sec)).toBe(text);
  });
});
