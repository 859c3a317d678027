import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HavenError } from '../errors/haven-error.js';
import type { HavenConfig } from './schema.js';
import { resolveConfig } from './validate.js';

/** The config file inside a data directory. */
export const CONFIG_FILE_NAME = 'haven.json';

/**
 * Load the configuration of a data directory: defaults, then `DATA_DIR/haven.json`, then `HAVEN_*` variables.
 * The only place that reads configuration files and the environment. Throws one HavenError listing every problem.
 * @param dataDir - the data directory
 * @param env - the environment (defaults to process.env)
 */
export function loadConfig(dataDir: string, env: Readonly<Record<string, string | undefined>> = process.env): HavenConfig {
  let text: string;
  try {
    text = readFileSync(join(dataDir, CONFIG_FILE_NAME), 'utf8');
  } catch (cause) {
    throw new HavenError('HAVEN_CONFIG_FILE_UNREADABLE', `configuration file ${CONFIG_FILE_NAME} cannot be read`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HavenError('HAVEN_CONFIG_INVALID', `configuration file ${CONFIG_FILE_NAME} is not valid JSON`);
  }
  const result = resolveConfig(parsed, env);
  if (!result.config) {
    const lines = result.problems.map((p) => `${p.key} (${p.source}): ${p.problem}`);
    throw new HavenError('HAVEN_CONFIG_INVALID', `configuration is invalid:\n  ${lines.join('\n  ')}`, {
      detail: { problems: result.problems.length },
    });
  }
  return result.config;
}
