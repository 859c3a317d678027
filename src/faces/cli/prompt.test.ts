import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPrompter } from './prompt.js';

describe('createPrompter without a terminal', () => {
  it('hands out piped lines one per question, including lines that arrive later', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const p = createPrompter(input, output);
    expect(p.interactive).toBe(false);
    input.write('first\n  second  \n');
    expect(await p.line('q1')).toBe('first');
    expect(await p.line('q2')).toBe('second');
    const third = p.line('q3');
    input.write('third\n');
    expect(await third).toBe('third');
    p.close();
  });

  it('end of input and secret prompts fail with HAVEN_CLI_INPUT_REQUIRED instead of hanging', async () => {
    const input = new PassThrough();
    const p = createPrompter(input, new PassThrough());
    input.end('only\n');
    expect(await p.line('a')).toBe('only');
    await expect(p.line('b')).rejects.toMatchObject({ code: 'HAVEN_CLI_INPUT_REQUIRED' });
    await expect(p.secret('password')).rejects.toMatchObject({ code: 'HAVEN_CLI_INPUT_REQUIRED' });
    p.close();
  });
});

describe('createPrompter on a terminal', () => {
  it('reads a secret in raw mode with backspace editing and turns raw mode off again', async () => {
    const input = Object.assign(new PassThrough(), {
      isTTY: true,
      modes: [] as boolean[],
      setRawMode(m: boolean) {
        this.modes.push(m);
      },
    });
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const p = createPrompter(input, output);
    expect(p.interactive).toBe(true);
    const secret = p.secret('Password: ');
    input.write('hunx\u007fter2\r');
    expect(await secret).toBe('hunter2');
    expect(input.modes).toEqual([true, false]);
    expect(shown).toBe('Password: \n');
    const cancelled = p.secret('Password: ');
    input.write('\u0003');
    await expect(cancelled).rejects.toMatchObject({ code: 'HAVEN_USAGE' });
  });
});
