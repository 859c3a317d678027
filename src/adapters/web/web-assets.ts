import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A built file of the dashboard, held in memory. */
export interface WebAsset {
  readonly body: Buffer;
  readonly contentType: string;
  /** Content-hashed file names never change content: cache them for a year. */
  readonly immutable: boolean;
  readonly etag: string;
}

/** The dashboard as built by Vite: the shell page and an allow-list of files by their path under /app/. */
export interface WebBundle {
  readonly index: WebAsset;
  readonly files: ReadonlyMap<string, WebAsset>;
}

/** The only file types served, with their content types. Anything else in the build directory is not served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite's content hash in a file name: `name-<8+ url-safe base64 characters>.ext`. */
const HASHED = /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;
const MAX_DEPTH = 3;
const MAX_FILES = 500;

function asset(body: Buffer, contentType: string, immutable: boolean): WebAsset {
  return { body, contentType, immutable, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

function walk(dir: string, prefix: string, depth: number, out: Map<string, WebAsset>): void {
  for (const name of readdirSync(dir).sort()) {
    // Plain names only: no dot files (Vite's .vite/manifest.json), nothing a URL could not name exactly.
    if (name.startsWith('.') || !SAFE_NAME.test(name)) {
      continue;
    }
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory() && depth < MAX_DEPTH) {
      walk(path, `${prefix}${name}/`, depth + 1, out);
      continue;
    }
    const ext = name.slice(name.lastIndexOf('.'));
    const type = CONTENT_TYPES[ext];
    // Regular files only (never a symlink out of the directory), of a served type.
    if (!stat.isFile() || type === undefined || out.size >= MAX_FILES) {
      continue;
    }
    out.set(`${prefix}${name}`, asset(readFileSync(path), type, prefix.startsWith('assets/') && HASHED.test(name)));
  }
}

/**
 * Load the built dashboard into memory: index.html and every file of an allowed type, keyed by its path relative to
 * the build directory. Nothing is read from disk per request, so no request path can reach another file.
 * @param dir - the build directory (default: dist/web of the package)
 * @returns the bundle, or undefined when the dashboard has not been built
 */
export function loadWebBundle(dir: string = defaultWebDir()): WebBundle | undefined {
  const indexPath = join(dir, 'index.html');
  if (!existsSync(indexPath) || !lstatSync(indexPath).isFile()) {
    return undefined;
  }
  const files = new Map<string, WebAsset>();
  walk(dir, '', 0, files);
  return { index: asset(readFileSync(indexPath), 'text/html; charset=utf-8', false), files };
}

/**
 * dist/web of the package, whether this module runs from src/ (tests) or from dist/src/ (the built package).
 */
export function defaultWebDir(): string {
  const here = fileURLToPath(import.meta.url);
  const marker = `${'/'}src${'/'}`;
  const at = here.lastIndexOf(marker);
  const root = here.slice(0, at).replace(/\/dist$/, '');
  return join(root, 'dist', 'web');
}
