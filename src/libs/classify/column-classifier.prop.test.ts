import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createColumnClassifier } from './column-classifier.js';

const LABELS = ['direct_identifier', 'quasi_identifier', 'sensitive_attribute', 'non_sensitive', 'secret'];

describe('column classifier properties', () => {
  it('never throws on arbitrary headers and cells, and returns a valid label and confidence', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.array(fc.string({ unit: 'binary', maxLength: 60 }), { maxLength: 80 }), (header, cells) => {
        const c = createColumnClassifier(header, { head: 20, stride: 3 });
        cells.forEach((v) => c.observe(v));
        const r = c.result();
        expect(LABELS).toContain(r.label);
        expect(r.confidence).toBeGreaterThanOrEqual(0);
        expect(r.confidence).toBeLessThanOrEqual(1);
        expect(r.evidence.present + r.evidence.missing).toBe(cells.length);
      }),
      { numRuns: 300 },
    );
  });

  it('evidence never contains a value fed in (random canary among realistic cells)', () => {
    const realistic = fc.oneof(
      fc.constantFrom('John Smith', '555-201-3344', 'a@b.org', '078-05-1120', '9/21/2012', '12.5', 'F', 'AKIAIOSFODNN7EXAMPLE', 'Seen by Mary on 3/4/2021'),
      fc.string({ maxLength: 20 }),
    );
    const canary = fc.stringMatching(/^[A-Za-z]{6,12}$/).map((s) => `Zq${s}`);
    fc.assert(
      fc.property(
        fc.constantFrom('notes', 'name', 'eid', 'value', 'password', 'email'),
        fc.array(realistic, { maxLength: 40 }),
        canary,
        fc.nat({ max: 40 }),
        fc.constantFrom('', ' Smith', '@example.org', ' called 555-201-3344'),
        (header, cells, secret, at, suffix) => {
          const c = createColumnClassifier(header, { head: 50 });
          const all = [...cells];
          all.splice(Math.min(at, all.length), 0, `${secret}${suffix}`);
          all.forEach((v) => c.observe(v));
          expect(JSON.stringify(c.result())).not.toContain(secret);
        },
      ),
      { numRuns: 300 },
    );
  });
});
