/**
 * Training objectives (validated construction); the implementations live in objectives-core.ts.
 */
import { HavenError } from '../../errors/haven-error.js';
import type { GbdtObjectiveName } from './gbdt-model.js';
import { absolute, huber, logloss, squared, type Objective } from './objectives-core.js';

export { sigmoid, type Objective } from './objectives-core.js';

/**
 * The objective for a name.
 * @param name - objective name
 * @param huberDelta - residual size where Huber turns linear (default 1)
 */
export function makeObjective(name: GbdtObjectiveName, huberDelta = 1): Objective {
  switch (name) {
    case 'squared':
      return squared;
    case 'absolute':
      return absolute;
    case 'huber':
      if (!(huberDelta > 0) || !Number.isFinite(huberDelta)) {
        throw new HavenError('HAVEN_ML_BAD_OPTION', undefined, { detail: { option: 'huberDelta' } });
      }
      return huber(huberDelta);
    case 'logloss':
      return logloss;
    default:
      throw new HavenError('HAVEN_ML_BAD_OPTION', undefined, { detail: { option: 'objective' } });
  }
}
