import { describe, expect, it } from 'vitest';
import { stepData } from '../../libs/ml/test-helpers.js';
import { trainGbdt } from '../../libs/ml/gbdt.js';
import { artifactKind, parseArtifact, type ModelArtifact } from './model-artifact.js';

const { m, y } = stepData(300, 1);
const base: ModelArtifact = {
  format: 'haven-model',
  formatVersion: 1,
  workspace: 'w1',
  name: 'los',
  version: 2,
  target: 'y',
  spec: { columns: m.names.map((name) => ({ name, type: 'numeric' as const })) },
  model: trainGbdt(m, y, { nRounds: 3, maxDepth: 2, seed: 1 }),
  ood: { version: 1, features: [...m.names], lower: [0, 0, 0, 0], upper: [1, 1, 1, 1], mean: [0, 0, 0, 0], sd: [1, 1, 1, 1], precision: [], threshold: 1 },
  residuals: { q10: -1, q90: 1 },
  outputDecimals: 0,
};
const bytes = (a: unknown): Uint8Array => Buffer.from(JSON.stringify(a), 'utf8');
const who = { workspace: 'w1', name: 'los', version: 2 };

describe('model artifacts and their kind', () => {
  it('an artifact written before kinds existed still loads, as gbdt', () => {
    const parsed = parseArtifact(bytes(base), who);
    expect(parsed.kind).toBeUndefined();
    expect(artifactKind(parsed)).toBe('gbdt');
  });

  it('carries dp-gbdt and dp-linear kinds, and refuses an unknown kind as an integrity failure', () => {
    expect(artifactKind(parseArtifact(bytes({ ...base, kind: 'dp-gbdt' }), who))).toBe('dp-gbdt');
    expect(artifactKind(parseArtifact(bytes({ ...base, kind: 'dp-linear' }), who))).toBe('dp-linear');
    expect(() => parseArtifact(bytes({ ...base, kind: 'onnx-magic' }), who)).toThrow(
      expect.objectContaining({ code: 'HAVEN_MODEL_INTEGRITY', detail: { reason: 'kind' } }),
    );
  });
});
