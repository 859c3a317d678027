import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compare two strings in constant time with respect to their content.
 * Both sides are hashed first so inputs of different lengths compare without leaking the length
 * through an early return.
 * @param a - first value
 * @param b - second value
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}
