import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Crash-safe file replacement: the new content goes to a temporary file beside the target (owner-only, created
 * exclusively, fsynced), which is then renamed over the target, and the directory is fsynced. After a crash at any
 * point the target holds either its old or its new content, never a mix and never nothing. Temporary names end in
 * `.tmp-<hex>`, which backups skip.
 */

function fsyncPath(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The prefix of temporary files staged for a target (to find leftovers of an interrupted replacement).
 * @param target - the file being replaced
 */
export function stagedPrefix(target: string): string {
  return `${basename(target)}.tmp-`;
}

/**
 * Write new content for `target` to a durable temporary file beside it; returns the temporary path.
 * @param target - the file to replace later
 * @param content - the new content
 */
export function stageFile(target: string, content: string | Uint8Array): string {
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const staged = join(dirname(target), `${stagedPrefix(target)}${randomBytes(6).toString('hex')}`);
  const fd = openSync(staged, 'wx', 0o600);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let at = 0;
    while (at < bytes.length) {
      at += writeSync(fd, bytes, at, bytes.length - at);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return staged;
}

/**
 * Atomically replace `target` by a staged file, then make the rename durable.
 * @param staged - path returned by stageFile
 * @param target - the file to replace
 */
export function commitStagedFile(staged: string, target: string): void {
  renameSync(staged, target);
  fsyncPath(dirname(target), 'r');
}

/**
 * Replace a file crash-safely (stage, then commit).
 * @param target - the file
 * @param content - the new content
 */
export function writeFileDurably(target: string, content: string | Uint8Array): void {
  commitStagedFile(stageFile(target, content), target);
}
