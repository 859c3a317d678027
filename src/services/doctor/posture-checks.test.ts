import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/validate.js';
import { checkPosture, type PostureFacts } from './posture-checks.js';

function facts(configValues: Record<string, unknown>, over: Partial<PostureFacts> = {}): PostureFacts {
  const r = resolveConfig(configValues, {});
  return {
    dataDirMode: 0o40700,
    files: [{ path: 'haven.json', mode: 0o100600 }],
    config: r.config,
    configProblems: r.problems,
    missingFiles: [],
    certificate: { present: true, keyPresent: true, notAfter: new Date('2030-01-01') },
    now: new Date('2026-01-01'),
    ...over,
  };
}

const problems = (f: PostureFacts) => checkPosture(f).filter((x) => !x.ok).map((x) => x.id);

describe('posture checks', () => {
  it('a default configuration with private files is clean', () => {
    expect(problems(facts({}))).toEqual([]);
  });
  it('names weak password hashing', () => {
    expect(problems(facts({ identity: { passwordHashMemoryKiB: 1024, passwordHashIterations: 1 } }))).toEqual(['identity.password_hashing']);
  });
  it('names open permissions and missing files', () => {
    expect(problems(facts({}, { dataDirMode: 0o40755, files: [{ path: 'keys/x', mode: 0o100644 }], missingFiles: ['instance.json'] }))).toEqual(['datadir.permissions', 'files.permissions', 'datadir.complete']);
  });
  it('names an expired certificate', () => {
    expect(problems(facts({}, { certificate: { present: true, keyPresent: true, notAfter: new Date('2020-01-01') } }))).toEqual(['tls.certificate']);
  });
});
