import { describe, expect, it } from 'vitest';
import { HavenError } from '../../errors/haven-error.js';
import { checkLabelKind, overriddenEntry, protectionChange, type StoredClassification } from './label-override-rules.js';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return err instanceof HavenError ? err.code : 'not a HavenError';
  }
  return 'no error';
};

const ENTRY: StoredClassification = {
  column: 'facid',
  label: 'quasi_identifier',
  kind: 'facility',
  confidence: 0.8,
  evidence: { present: 10, missing: 0, sampled: 10, distinct: 5, uniqueRatio: 0.5, valueType: 'categorical', header: ['header:facility'], detectors: [] },
};

describe('label override rules', () => {
  it('accepts a label with one of its kinds, or none', () => {
    expect(checkLabelKind('direct_identifier', 'mrn')).toEqual({ label: 'direct_identifier', kind: 'mrn' });
    expect(checkLabelKind('quasi_identifier', undefined)).toEqual({ label: 'quasi_identifier', kind: undefined });
    expect(checkLabelKind('non_sensitive', undefined)).toEqual({ label: 'non_sensitive', kind: undefined });
  });

  it('refuses secret, unknown labels and kinds of another label', () => {
    expect(codeOf(() => checkLabelKind('secret', undefined))).toBe('HAVEN_INGEST_LABEL_INVALID');
    expect(codeOf(() => checkLabelKind('constructor', undefined))).toBe('HAVEN_INGEST_LABEL_INVALID');
    expect(codeOf(() => checkLabelKind('quasi_identifier', 'name'))).toBe('HAVEN_INGEST_LABEL_INVALID');
    expect(codeOf(() => checkLabelKind('non_sensitive', 'outcome'))).toBe('HAVEN_INGEST_LABEL_INVALID');
    expect(codeOf(() => checkLabelKind('direct_identifier', 'toString'))).toBe('HAVEN_INGEST_LABEL_INVALID');
  });

  it('orders protection: plain < pseudonymise < encrypt', () => {
    expect(protectionChange('plain', 'encrypt')).toBe('more');
    expect(protectionChange('plain', 'pseudonymise')).toBe('more');
    expect(protectionChange('pseudonymise', 'encrypt')).toBe('more');
    expect(protectionChange('encrypt', 'pseudonymise')).toBe('less');
    expect(protectionChange('encrypt', 'plain')).toBe('less');
    expect(protectionChange('encrypt', 'encrypt')).toBe('same');
  });

  it('keeps the evidence and the first detected label across overrides, and drops a kind the new label has not', () => {
    const once = overriddenEntry(ENTRY, { label: 'direct_identifier', kind: 'unique_id' }, 'u1', '2026-01-01T00:00:00.000Z', 'reason one');
    expect(once).toMatchObject({ label: 'direct_identifier', kind: 'unique_id', confidence: 1, overriddenBy: 'u1', evidence: ENTRY.evidence });
    expect(once.override).toEqual({
      by: 'u1',
      at: '2026-01-01T00:00:00.000Z',
      reason: 'reason one',
      detected: { label: 'quasi_identifier', kind: 'facility', confidence: 0.8 },
    });
    const twice = overriddenEntry(once, { label: 'non_sensitive', kind: undefined }, 'u2', '2026-01-02T00:00:00.000Z', 'reason two');
    expect(twice).not.toHaveProperty('kind');
    expect(twice.override).toMatchObject({ by: 'u2', reason: 'reason two', detected: { label: 'quasi_identifier', kind: 'facility' } });
  });
});
