 
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HavenError } from '../../../errors/haven-error.js';
import { mapAdmission } from './map-admission.js';
import { mapDischarge } from './map-discharge.js';

const admitText = readFileSync(resolve(process.cwd(), '../shared/fhir/admit_100001.json'), 'utf8');

/** Runs fn; passes when it returns or throws a HavenError, fails on any other throw. */
function resultOrHavenError(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    return err instanceof HavenError;
  }
}

/** Replaces the value at a random path of a JSON tree. */
function mutate(tree: unknown, choices: readonly number[], replacement: unknown): unknown {
  if (choices.length === 0 || tree === null || typeof tree !== 'object') {
    return replacement;
  }
  const [c, ...rest] = choices as [number, ...number[]];
  if (Array.isArray(tree)) {
    if (tree.length === 0) {
      return replacement;
    }
    const i = c % tree.length;
    return tree.map((v, j) => (j === i ? mutate(v, rest, replacement) : v));
  }
  const keys = Object.keys(tree);
  if (keys.length === 0) {
    return replacement;
  }
  const k = keys[c % keys.length]!;
  return { ...(tree as Record<string, unknown>), [k]: mutate((tree as Record<string, unknown>)[k], rest, replacement) };
}

describe('mapAdmission/mapDischarge on any JSON', () => {
  it('give a result or a HavenError for arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => resultOrHavenError(() => mapAdmission(v)) && resultOrHavenError(() => mapDischarge(v))),
      { numRuns: 300 },
    );
  });

  it('give a result or a HavenError for the demo message with any part replaced', () => {
    const base = JSON.parse(admitText) as unknown;
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), (path, rep) => {
        const m = mutate(base, path, rep);
        return resultOrHavenError(() => mapAdmission(m)) && resultOrHavenError(() => mapDischarge(m));
      }),
      { numRuns: 400 },
    );
  });

  it('never echoes input strings in error messages or details', () => {
    const base = JSON.parse(admitText) as unknown;
    const secret = 'SECRET-PHI-Zq9';
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 8 }), fc.constantFrom(secret, { value: secret }, [secret], { coding: [{ code: secret }] }), (path, rep) => {
        try {
          mapAdmission(mutate(base, path, rep));
        } catch (err) {
          expect(err).toBeInstanceOf(HavenError);
          const e = err as HavenError;
          expect(`${e.message} ${JSON.stringify(e.detail ?? {})}`).not.toContain(secret);
        }
      }),
      { numRuns: 300 },
    );
  });
});
