import { describe, expect, it } from 'vitest';
import { amountInWords, englishNumber, spanishNumber } from '../../../src/shared/field/amount-words';

describe('Spanish number words', () => {
  it.each([
    [0, 'cero'],
    [1, 'uno'],
    [15, 'quince'],
    [16, 'dieciséis'],
    [21, 'veintiuno'],
    [22, 'veintidós'],
    [30, 'treinta'],
    [31, 'treinta y uno'],
    [99, 'noventa y nueve'],
    [100, 'cien'],
    [101, 'ciento uno'],
    [115, 'ciento quince'],
    [200, 'doscientos'],
    [500, 'quinientos'],
    [555, 'quinientos cincuenta y cinco'],
    [700, 'setecientos'],
    [900, 'novecientos'],
    [1000, 'mil'],
    [1001, 'mil uno'],
    [2000, 'dos mil'],
    [21000, 'veintiún mil'],
    [31000, 'treinta y un mil'],
    [100000, 'cien mil'],
    [101000, 'ciento un mil'],
    [999999, 'novecientos noventa y nueve mil novecientos noventa y nueve'],
    [1000000, 'un millón'],
    [1200000, 'un millón doscientos mil'],
    [2000000, 'dos millones'],
    [21000000, 'veintiún millones'],
    [1000000000, 'mil millones'],
    [1500000000, 'mil quinientos millones'],
    [1000000000000, 'un billón'],
    [2000001000000, 'dos billones un millón'],
  ])('%i → %s', (n, words) => {
    expect(spanishNumber(n)).toBe(words);
  });

  it('refuses what is not a count', () => {
    expect(() => spanishNumber(-1)).toThrow(RangeError);
    expect(() => spanishNumber(1.5)).toThrow(RangeError);
  });
});

describe('amount in words on a receipt', () => {
  it.each([
    [1200000, 'COP', 'un millón doscientos mil pesos'],
    [1000000, 'COP', 'un millón de pesos'],
    [3000000, 'COP', 'tres millones de pesos'],
    [2000000000, 'COP', 'dos mil millones de pesos'],
    [1, 'COP', 'un peso'],
    [21, 'CLP', 'veintiún pesos'],
    [101, 'CLP', 'ciento un pesos'],
    [0, 'CLP', 'cero pesos'],
    [150050, 'MXN', 'mil quinientos pesos con cincuenta centavos'],
    [100, 'MXN', 'un peso'],
    [101, 'MXN', 'un peso con un centavo'],
    [2121, 'MXN', 'veintiún pesos con veintiún centavos'],
    [100000005, 'MXN', 'un millón de pesos con cinco centavos'],
    [10105, 'PEN', 'ciento un soles con cinco céntimos'],
    [100, 'PEN', 'un sol'],
    [199, 'USD', 'un dólar con noventa y nueve centavos'],
    [500000, 'USD', 'cinco mil dólares'],
  ] as const)('%i %s → %s', (minor, currency, words) => {
    expect(amountInWords(minor, currency, 'es')).toBe(words);
  });

  it.each([
    [1200000, 'COP', 'one million two hundred thousand pesos'],
    [1, 'COP', 'one peso'],
    [150050, 'MXN', 'one thousand five hundred pesos and fifty centavos'],
    [10105, 'PEN', 'one hundred one soles and five céntimos'],
    [199, 'USD', 'one dollar and ninety-nine cents'],
    [101, 'USD', 'one dollar and one cent'],
    [0, 'CLP', 'zero pesos'],
  ] as const)('English: %i %s → %s', (minor, currency, words) => {
    expect(amountInWords(minor, currency, 'en')).toBe(words);
  });

  it('English numbers cross the scales', () => {
    expect(englishNumber(1_000_001)).toBe('one million one');
    expect(englishNumber(2_000_000_000)).toBe('two billion');
    expect(englishNumber(45_678)).toBe('forty-five thousand six hundred seventy-eight');
  });

  it('every amount up to 3,000 reads back to its own number (no two amounts share words)', () => {
    const seen = new Map<string, number>();
    for (let n = 0; n <= 3000; n++) {
      const w = spanishNumber(n);
      expect(seen.get(w), `${n} and ${seen.get(w)} both read "${w}"`).toBeUndefined();
      seen.set(w, n);
      expect(w).not.toMatch(/\s{2}|^\s|\s$|un mil|uno mil|ciento mil/);
    }
  });
});
