import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { utf8ErrorOffset } from './utf8-error-offset.js';

describe('utf8ErrorOffset', () => {
  it('finds the first bad byte', () => {
    expect(utf8ErrorOffset(new TextEncoder().encode('héllo 😀'))).toBe(-1);
    expect(utf8ErrorOffset(new Uint8Array([0x61, 0x80]))).toBe(1);
    expect(utf8ErrorOffset(new Uint8Array([0x61, 0xe2, 0x82]))).toBe(1);
    expect(utf8ErrorOffset(new Uint8Array([0xc0, 0x80]))).toBe(0);
    expect(utf8ErrorOffset(new Uint8Array([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2);
  });

  it('agrees with the platform validator on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        expect(utf8ErrorOffset(bytes) === -1).toBe(isUtf8(bytes));
      }),
      { numRuns: 1000 },
    );
  });
});
