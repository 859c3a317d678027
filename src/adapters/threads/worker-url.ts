import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The URL of a compiled worker script next to the calling module. Worker threads need JavaScript: when the caller
 * runs from TypeScript sources (vitest), the worker is taken from the build output (`dist/`, made by `npm run build`,
 * which `npm test` runs first).
 * @param callerUrl - `import.meta.url` of the module that starts the worker
 * @param name - the worker file's base name, without extension
 */
export function workerUrl(callerUrl: string, name: string): URL {
  const url = new URL(`./${name}.js`, callerUrl);
  if (!callerUrl.endsWith('.ts')) {
    return url;
  }
  const path = fileURLToPath(url);
  const marker = `${'/'}src${'/'}`;
  const at = path.lastIndexOf(marker);
  return pathToFileURL(`${path.slice(0, at)}/dist${path.slice(at)}`);
}
