import { createInterface, type Interface } from 'node:readline';
import { HavenError } from '../../errors/haven-error.js';

/** A readable stream that may be a terminal (process.stdin, or a fake in tests). */
export type PromptInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/**
 * Asks the person at the terminal, or reads answers line by line from piped standard input.
 * On a terminal, secrets are read with echo off; questions go to standard error so standard output stays clean.
 */
export interface Prompter {
  /** Whether a person can be asked (standard input is a terminal). */
  readonly interactive: boolean;
  /**
   * Ask for a secret with echo off (terminal only).
   * @param question - the prompt text
   */
  secret(question: string): Promise<string>;
  /**
   * Ask a visible question on the terminal, or take the next line of piped input.
   * @param question - the prompt text (shown on a terminal only)
   */
  line(question: string): Promise<string>;
  /** Stop reading standard input so the process can exit. */
  close(): void;
}

/**
 * Build a prompter over the given streams.
 * @param input - standard input
 * @param output - where questions are written (standard error)
 */
export function createPrompter(input: PromptInput, output: NodeJS.WritableStream): Prompter {
  const interactive = input.isTTY === true && typeof input.setRawMode === 'function';
  let piped: PipedLines | undefined;
  return {
    interactive,
    secret: async (question) => {
      if (!interactive) {
        throw new HavenError('HAVEN_CLI_INPUT_REQUIRED');
      }
      return readHidden(input, output, question);
    },
    line: async (question) => {
      if (interactive) {
        const rl = createInterface({ input, output, terminal: true });
        try {
          return (await new Promise<string>((resolve) => rl.question(question, resolve))).trim();
        } finally {
          rl.close();
        }
      }
      piped ??= new PipedLines(input);
      return piped.next();
    },
    close: () => piped?.close(),
  };
}

/** Lines of non-terminal input, handed out one at a time as they arrive (a script may answer after reading output). */
class PipedLines {
  private readonly rl: Interface;
  private readonly lines: string[] = [];
  private readonly waiting: { resolve: (s: string) => void; reject: (e: Error) => void }[] = [];
  private ended = false;

  constructor(input: NodeJS.ReadableStream) {
    this.rl = createInterface({ input, terminal: false });
    this.rl.on('line', (l) => {
      const w = this.waiting.shift();
      if (w) {
        w.resolve(l.trim());
      } else {
        this.lines.push(l.trim());
      }
    });
    this.rl.on('close', () => {
      this.ended = true;
      for (const w of this.waiting.splice(0)) {
        w.reject(new HavenError('HAVEN_CLI_INPUT_REQUIRED'));
      }
    });
  }

  next(): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) {
      return Promise.resolve(l);
    }
    if (this.ended) {
      return Promise.reject(new HavenError('HAVEN_CLI_INPUT_REQUIRED'));
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  close(): void {
    this.rl.close();
  }
}

/** Read one line in raw mode without echo; Backspace edits, Ctrl-C and Ctrl-D cancel. */
function readHidden(input: PromptInput, output: NodeJS.WritableStream, question: string): Promise<string> {
  output.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (err: HavenError | undefined): void => {
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (err) {
        reject(err);
      } else {
        resolve(value);
      }
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') {
          finish(undefined);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish(new HavenError('HAVEN_USAGE', 'cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') {
          value = value.slice(0, -1);
        } else {
          value += ch;
        }
      }
    };
    input.setRawMode?.(true);
    input.resume();
    input.on('data', onData);
  });
}
