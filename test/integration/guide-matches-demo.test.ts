import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_STEPS } from '../../scripts/demo/demo-steps.js';

describe('docs/guide.md stays true to the demo', () => {
  // Lines may be indented inside list items; compare without leading spaces.
  const guide = readFileSync('docs/guide.md', 'utf8')
    .split('\n')
    .map((l) => l.trimStart())
    .join('\n');
  it.each(DEMO_STEPS.map((s) => [s.title, s.shell]))('the guide shows the demo step "%s"', (_title, shell) => {
    expect(guide).toContain(shell);
  });
});
