import type { PassphrasePrompt } from './passphrase-source.js';

/**
 * A passphrase prompt on the controlling terminal (no echo), or undefined when standard input is not a terminal —
 * then the passphrase must come from HAVEN_ROOT_PASSPHRASE or HAVEN_ROOT_PASSPHRASE_FILE.
 */
export function ttyPrompt(): PassphrasePrompt | undefined {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    return undefined;
  }
  return (question) =>
    new Promise((resolve) => {
      process.stderr.write(question);
      let typed = '';
      stdin.setRawMode(true);
      stdin.resume();
      const done = (value: string | undefined): void => {
        stdin.setRawMode(false);
        stdin.pause();
        stdin.off('data', onData);
        process.stderr.write('\n');
        resolve(value);
      };
      const onData = (data: Buffer): void => {
        for (const ch of data.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            done(typed);
            return;
          }
          if (ch === '\u0003' || ch === '\u0004') {
            done(undefined); // Ctrl-C / Ctrl-D: no passphrase
            return;
          }
          typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
        }
      };
      stdin.on('data', onData);
    });
}
