import { describe, expect, it } from 'vitest';
import { altDigit } from './keyboard';
import { ALL_DISPOSITIONS, dispositionForShortcut, shortcutLabel } from '../outcome/dispositions';

const key = (code: string, mods: Partial<Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey'>> = {}) =>
  ({ code, altKey: false, ctrlKey: false, metaKey: false, ...mods }) as KeyboardEvent;

describe('disposition shortcuts', () => {
  it('reads Alt+digit from the physical key (layouts change e.key under Alt)', () => {
    expect(altDigit(key('Digit1', { altKey: true }))).toBe(1);
    expect(altDigit(key('Numpad9', { altKey: true }))).toBe(9);
    expect(altDigit(key('Digit0', { altKey: true }))).toBe(10);
    expect(altDigit(key('Digit1'))).toBeNull();
    expect(altDigit(key('Digit1', { altKey: true, ctrlKey: true }))).toBeNull();
    expect(altDigit(key('KeyA', { altKey: true }))).toBeNull();
  });

  it('maps Alt+1 … Alt+0 to the first ten dispositions, the rest have none', () => {
    expect(dispositionForShortcut(1)).toBe('promise_to_pay');
    expect(dispositionForShortcut(10)).toBe('dispute');
    expect(dispositionForShortcut(ALL_DISPOSITIONS.length + 1)).toBeNull();
    expect(shortcutLabel(0)).toBe('Alt+1');
    expect(shortcutLabel(9)).toBe('Alt+0');
    expect(shortcutLabel(10)).toBeNull();
  });
});
