import { describe, it, expect } from 'vitest';
import { VALUE_DETECTORS } from './value-detectors.js';

const test = (id: string, v: string): boolean => VALUE_DETECTORS.find((d) => d.id === id)!.test(v);

describe('value detectors', () => {
  it.each([
    ['email', 'a.b+c@mail.example.org', 'a@b'],
    ['phone', '(555) 201-3344', '5552013344'],
    ['phone', '+44 20 7946 0958', '12.5'],
    ['ipv4', '192.168.1.20', '256.1.1.1'],
    ['ipv6', '2001:db8::8a2e:370:7334', '10:30'],
    ['ipv6', 'fe80:0:0:0:0:0:0:1', '1::2::3'],
    ['url', 'https://example.org/a?b=c', 'example org'],
    ['zip9', '02139-4307', '02139'],
    ['street_address', '221B Baker Street', 'Baker Street'],
    ['street_address', '12 North Oak Ave., Apt 4', '12 apples'],
    ['vin', '1HGCM82633A004352', 'ABCDEFGHJKLMNPRST'],
    ['mac_address', '00:1A:2B:3C:4D:5E', '00:1A:2B:3C:4D'],
    ['uuid', '123e4567-e89b-12d3-a456-426614174000', '123e4567e89b12d3a456426614174000'],
    ['name_shape', "Mary-Kate O'Neil", 'R2-D2'],
    ['name_dictionary', 'Garcia, Maria', 'Blue Table'],
    ['sex_value', 'Female', 'Fem'],
  ])('%s matches %s but not %s', (id, yes, no) => {
    expect(test(id, yes)).toBe(true);
    expect(test(id, no)).toBe(false);
  });

  it('never throws on odd input', () => {
    for (const v of ['', ' ', '\u0000', '😀'.repeat(50), 'a'.repeat(10_000)]) {
      for (const d of VALUE_DETECTORS) {
        expect(typeof d.test(v)).toBe('boolean');
      }
    }
  });
});
