import { describe, it, expect } from 'vitest';
import { isCardNumber, isIban, isNpi, isSsn, luhnValid } from './checksums.js';

describe('checksums', () => {
  it('Luhn accepts known-good numbers and rejects one-digit changes', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('12a4')).toBe(false);
  });

  it('card numbers need a known prefix, 13-19 digits and Luhn', () => {
    expect(isCardNumber('4111 1111 1111 1111')).toBe(true);
    expect(isCardNumber('5500-0000-0000-0004')).toBe(true);
    expect(isCardNumber('340000000000009')).toBe(true);
    expect(isCardNumber('4111 1111 1111 1112')).toBe(false);
    expect(isCardNumber('9111111111111111')).toBe(false);
    expect(isCardNumber('411111111111')).toBe(false);
  });

  it('SSNs follow the area, group and serial rules', () => {
    expect(isSsn('078-05-1120')).toBe(true);
    for (const bad of ['000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000', '123456789', '12-345-6789']) {
      expect(isSsn(bad)).toBe(false);
    }
    expect(isSsn('123456789', true)).toBe(true);
  });

  it('IBAN mod 97', () => {
    expect(isIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isIban('DE89370400440532013000')).toBe(true);
    expect(isIban('DE89370400440532013001')).toBe(false);
    expect(isIban('GB82WEST')).toBe(false);
  });

  it('NPI Luhn with the 80840 prefix', () => {
    expect(isNpi('1234567893')).toBe(true);
    expect(isNpi('1234567890')).toBe(false);
    expect(isNpi('3234567893')).toBe(false);
  });
});
