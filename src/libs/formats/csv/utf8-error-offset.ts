/**
 * Index of the first byte that makes `bytes` invalid UTF-8 (overlong forms, surrogates,
 * code points above U+10FFFF and truncated sequences are invalid), or -1 when it is valid.
 * Used only on the error path, to report where a file breaks without echoing its bytes.
 * @param bytes - the bytes to check
 * @returns the offset of the first invalid sequence, or -1
 */
export function utf8ErrorOffset(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) {
        lo = 0xa0;
      } else if (b === 0xed) {
        hi = 0x9f;
      }
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) {
        lo = 0x90;
      } else if (b === 0xf4) {
        hi = 0x8f;
      }
    } else {
      return i;
    }
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c === undefined || c < min || c > max) {
        return i;
      }
    }
    i += need + 1;
  }
  return -1;
}
