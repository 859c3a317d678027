import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_STEPS } from '../../scripts/demo/demo-steps.js';

describe('docs/guide.md stays true to the demo', () => {
  const guide = readFileSync('docs/guide.md', 'utf8');
  it.each(DEMO_STEPS.map((s) => [s.title, s.shell]))('the guide shows the demo step "%s"', (_title, shell) => {
    expect(guide).toContain(shell);
  });
});
