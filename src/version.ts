import { readFileSync } from 'node:fs';

/** Haven's version, from package.json (read once at load; works from src/ and dist/src/). */
function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'haven' && pkg.version) {
        return pkg.version;
      }
    } catch {
      // try the next location
    }
  }
  return '0.0.0-unknown';
}

export const HAVEN_VERSION = readVersion();
