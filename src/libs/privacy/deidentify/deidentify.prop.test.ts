import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import type { ColumnLabels } from './column-labels.js';
import { deidentify, type DeidRow } from './deidentify.js';

const LABELS: ColumnLabels = {
  zip: { label: 'direct_identifier', kind: 'zip' },
  age: { label: 'quasi_identifier', kind: 'age' },
  when: { label: 'direct_identifier', kind: 'date' },
  born: { label: 'direct_identifier', kind: 'birth_date' },
  name: { label: 'direct_identifier', kind: 'name' },
  lab: { label: 'sensitive' },
};

const value = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -5, max: 120_000 }), fc.constant(null),
  fc.constantFrom('02139', '03601', '12/31/1920', '2012-02-29', '7/4/2012', '95', '90+'));
const row = fc.record({ zip: value, age: value, when: value, born: value, name: value, lab: value }, { requiredKeys: [] });

describe('deidentify on arbitrary rows', () => {
  it('never crashes, never keeps a name, and is idempotent', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        const opts = { labels: LABELS, referenceYear: 2020 };
        let once;
        try {
          once = deidentify(rows as DeidRow[], opts);
        } catch (err) {
          return err instanceof HavenError;
        }
        for (const r of once.rows) {
          expect(r).not.toHaveProperty('name');
          if (typeof r['age'] === 'number') {
            expect(r['age']).toBeLessThanOrEqual(89);
          }
          if (typeof r['zip'] === 'string') {
            expect(r['zip']).toMatch(/^(\d{3})?$/); // '' is a missing value, kept as is
          }
        }
        expect(deidentify(once.rows, opts).rows).toEqual(once.rows);
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
