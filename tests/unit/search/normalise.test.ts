import { describe, expect, it } from 'vitest';
import { compactId, digitsOnly, phoneTails, searchTerms, searchText } from '../../../src/shared/domain/search';

/** How the store matches: a stored text holds a term as a substring, a stored number ends with a tail. */
const findsId = (stored: string, typed: string) =>
  searchTerms(typed).text.some((t) => searchText('Ana Gómez', stored, 'REF-1').includes(t));
const findsPhone = (stored: string, typed: string) => phoneTails(typed).some((t) => digitsOnly(stored).endsWith(t));

describe('search normalisation: national ids in any formatting', () => {
  it.each([
    // Chile: RUT with dots and check digit (K or a digit), typed bare
    ['CL', '26.627.098-K', '26627098'],
    ['CL', '26.627.098-K', '26627098k'],
    ['CL', '26.627.098-K', '26627098-K'],
    ['CL', '2.662.709-8', '26627098'],
    ['CL', '2.662.709-8', '2662709-8'],
    // Colombia: cédula with thousands dots, typed bare, and stored bare but typed with dots
    ['CO', '1.020.304.050', '1020304050'],
    ['CO', '1020304050', '1.020.304.050'],
    ['CO', 'CC 79.456.123', '79456123'],
    // Mexico: CURP and RFC, typed in lower case or without the RFC's dashes
    ['MX', 'GOMA800101HDFRRN09', 'goma800101hdfrrn09'],
    ['MX', 'GOMA-800101-AB1', 'GOMA800101AB1'],
    // Peru: DNI and RUC as digits, typed with spaces
    ['PE', '45678912', '4567 8912'],
    ['PE', '20123456789', '20-12345678-9'],
    // Argentina: DNI with dots, CUIT with dashes, each typed the other way
    ['AR', '20.123.456', '20123456'],
    ['AR', '20-20123456-7', '20201234567'],
  ])('%s: stored %s is found by %s', (_country, stored, typed) => {
    expect(findsId(stored, typed)).toBe(true);
  });

  it('does not find a different id', () => {
    expect(findsId('26.627.098-K', '26627099')).toBe(false);
    expect(findsId('1.020.304.050', '1020304051')).toBe(false);
  });

  it('keeps the folded name first (the name sort reads it) and ids compacted', () => {
    const text = searchText('Peña Núñez', '26.627.098-K', 'CL-001/2');
    expect(text.startsWith('pena nunez\u0001')).toBe(true);
    expect(text).toContain('26627098k');
    expect(text).toContain('cl0012');
    expect(compactId(' 1.020.304-050 ')).toBe('1020304050');
    // a plain name is searched as typed only, no compact twin
    expect(searchTerms('  Gómez ').text).toEqual(['gomez']);
  });
});

describe('search normalisation: phones with or without country code', () => {
  it.each([
    // Colombia: mobile with and without +57, spaces, dashes, parentheses; Bogotá landline
    ['CO', '+573001234567', '300 123 4567'],
    ['CO', '+573001234567', '(300) 123-4567'],
    ['CO', '3001234567', '+57 300 123 4567'],
    ['CO', '+573001234567', '0057 300 1234567'],
    ['CO', '+576017456789', '(601) 745 6789'],
    // Mexico: ten digits, the old mobile "1" after +52, the old "044" prefix
    ['MX', '+525512345678', '55 1234 5678'],
    ['MX', '5512345678', '+52 1 55 1234 5678'],
    ['MX', '+525512345678', '044 55 1234 5678'],
    // Peru: nine-digit mobile, Lima landline with its trunk 0
    ['PE', '987654321', '+51 987 654 321'],
    ['PE', '+51987654321', '987-654-321'],
    ['PE', '+5114112233', '(01) 411-2233'],
    // Chile: mobile 9 XXXX XXXX
    ['CL', '+56987654321', '9 8765 4321'],
    ['CL', '987654321', '+56 9 8765 4321'],
    // Argentina: the "9" after +54 for mobiles, and the national "0 11 15" form of the same number
    ['AR', '+5491141234567', '11 4123-4567'],
    ['AR', '1141234567', '+54 9 11 4123-4567'],
    ['AR', '+5491141234567', '011 15-4123-4567'],
  ])('%s: stored %s is found by %s', (_country, stored, typed) => {
    expect(findsPhone(stored, typed)).toBe(true);
  });

  it('does not read names or short numbers as phones, nor match another number', () => {
    expect(phoneTails('Ana 3001234567')).toEqual([]);
    expect(phoneTails('123 456')).toEqual([]);
    expect(findsPhone('+573001234567', '300 123 4568')).toBe(false);
    expect(findsPhone('+525512345678', '+52 55 1234 5679')).toBe(false);
    expect(findsPhone('+5491141234567', '011 15-4123-4568')).toBe(false);
  });
});
