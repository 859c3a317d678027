import { describe, it, expect } from 'vitest';
import type { SpanKind } from './classification-types.js';
import { countPiiSpans } from './text-spans.js';

describe('countPiiSpans', () => {
  it('counts each kind once per span', () => {
    const counts: Partial<Record<SpanKind, number>> = {};
    const n = countPiiSpans('Mary called from 555-201-3344 about 078-05-1120; mail mary.smith@example.org or see https://x.org on 3/4/2021 from 10.0.0.1', counts);
    expect(counts).toEqual({ email: 1, url: 1, ssn: 1, phone: 1, ip_address: 1, date: 1, name: 1 });
    expect(n).toBe(7);
  });

  it('finds nothing in clinical prose', () => {
    const counts: Partial<Record<SpanKind, number>> = {};
    expect(countPiiSpans('stable overnight, tolerating diet, ambulating with assistance', counts)).toBe(0);
    expect(counts).toEqual({});
  });
});
