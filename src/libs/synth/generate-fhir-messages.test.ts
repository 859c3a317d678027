import { describe, expect, it } from 'vitest';
import { mapAdmission } from '../formats/fhir/map-admission.js';
import { applyDischarge, mapDischarge } from '../formats/fhir/map-discharge.js';
import { generateFhirMessages } from './generate-fhir-messages.js';

describe('generateFhirMessages', () => {
  for (const shape of ['bundle', 'legacy'] as const) {
    it(`round-trips through the FHIR mapping (${shape})`, () => {
      for (const m of generateFhirMessages({ rows: 200, seed: 5, shape })) {
        const mapped = mapAdmission(JSON.parse(JSON.stringify(m.admission)) as unknown);
        expect(mapped.shape).toBe(shape);
        expect(mapped.unknownCodes).toEqual([]);
        expect(mapped.notes).toEqual([]);
        const admitted: Record<string, unknown> = { ...m.record };
        delete admitted['discharged'];
        delete admitted['lengthofstay'];
        expect(mapped.record).toEqual(admitted);
        const done = applyDischarge(mapped.record, mapDischarge(JSON.parse(JSON.stringify(m.discharge)) as unknown));
        expect(done).toEqual(m.record);
      }
    });
  }

  it('generates out-of-distribution sodium like the reference demo when asked', () => {
    const normal = [...generateFhirMessages({ rows: 100, seed: 9 })];
    const ood = [...generateFhirMessages({ rows: 100, seed: 9, outOfDistribution: true })];
    expect(normal.every((m) => m.record.sodium > 120)).toBe(true);
    for (const m of ood) {
      expect(m.record.sodium).toBeGreaterThanOrEqual(5.9);
      expect(m.record.sodium).toBeLessThan(14.9);
      expect(mapAdmission(m.admission).record.sodium).toBe(m.record.sodium);
    }
    // Only sodium changes.
    expect(ood.map((m) => ({ ...m.record, sodium: 0 }))).toEqual(normal.map((m) => ({ ...m.record, sodium: 0 })));
  });

  it('is deterministic for a seed', () => {
    expect([...generateFhirMessages({ rows: 20, seed: 3 })]).toEqual([...generateFhirMessages({ rows: 20, seed: 3 })]);
  });
});
