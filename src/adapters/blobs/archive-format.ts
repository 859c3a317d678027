import { HavenError } from '../../errors/haven-error.js';

/**
 * The plaintext framing inside a backup (which is then encrypted as one AEAD stream): a sequence of entries, each
 * `u32 BE header length ‖ JSON header {path, size} ‖ size bytes`, closed by an entry `{end: true, files: n}`.
 * The stream AEAD gives integrity and detects truncation; the closing entry and the size checks make a
 * well-formed but incomplete archive fail too.
 */

/** One archive entry header. */
export interface EntryHeader {
  readonly path: string;
  readonly size: number;
}

const MAX_HEADER = 4096;
const PATH_RE = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._/-]{1,512}$/;

function bad(reason: string): HavenError {
  return new HavenError('HAVEN_KEYS_BACKUP_INVALID', undefined, { detail: { reason } });
}

/**
 * Check an archive path: relative, no `.`/`..` segments, a safe alphabet.
 * @param path - the path
 */
export function assertArchivePath(path: string): void {
  if (!PATH_RE.test(path)) {
    throw bad('path');
  }
}

/**
 * Frame the start of an entry.
 * @param header - path and size
 */
export function entryHead(header: EntryHeader | { end: true; files: number }): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return Buffer.concat([len, json]);
}

/** Callbacks of the archive reader. */
export interface ArchiveSink {
  begin(header: EntryHeader): void;
  data(bytes: Buffer): void;
  end(): void;
}

/**
 * Incremental parser of the framing: push decrypted chunks, call finish() at the end.
 */
export class ArchiveReader {
  private buf: Buffer = Buffer.alloc(0);
  private remaining = -1; // bytes left of the current entry's data; -1 = expecting a header
  private done = false;
  private files = 0;

  /** @param sink - receives entries */
  constructor(private readonly sink: ArchiveSink) {}

  /**
   * Feed decrypted bytes.
   * @param chunk - next bytes
   */
  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.done) {
        if (this.buf.length > 0) {
          throw bad('trailing');
        }
        return;
      }
      if (this.remaining > 0) {
        if (this.buf.length === 0) {
          return;
        }
        const take = Math.min(this.remaining, this.buf.length);
        this.sink.data(this.buf.subarray(0, take));
        this.buf = this.buf.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) {
          this.sink.end();
          this.remaining = -1;
        }
        continue;
      }
      if (this.buf.length < 4) {
        return;
      }
      const len = this.buf.readUInt32BE(0);
      if (len > MAX_HEADER) {
        throw bad('header');
      }
      if (this.buf.length < 4 + len) {
        return;
      }
      let header: Record<string, unknown>;
      try {
        header = JSON.parse(this.buf.subarray(4, 4 + len).toString('utf8')) as Record<string, unknown>;
      } catch {
        throw bad('header');
      }
      this.buf = this.buf.subarray(4 + len);
      if (header['end'] === true) {
        if (header['files'] !== this.files) {
          throw bad('count');
        }
        this.done = true;
        continue;
      }
      const path = header['path'];
      const size = header['size'];
      if (typeof path !== 'string' || typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
        throw bad('header');
      }
      assertArchivePath(path);
      this.files++;
      this.sink.begin({ path, size });
      if (size === 0) {
        this.sink.end();
      } else {
        this.remaining = size;
      }
    }
  }

  /** Check the archive ended properly; returns the number of files. */
  finish(): number {
    if (!this.done || this.buf.length > 0) {
      throw bad('truncated');
    }
    return this.files;
  }
}
