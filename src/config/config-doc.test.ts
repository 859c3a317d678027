import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigDoc } from './config-doc.js';
import { renderErrorsDoc } from '../errors/errors-doc.js';

describe('generated documents are current', () => {
  it('docs/config.md matches the schema (run npm run docs:gen)', () => {
    expect(readFileSync('docs/config.md', 'utf8')).toBe(renderConfigDoc());
  });
  it('docs/errors.md matches the catalogue in both directions (run npm run docs:gen)', () => {
    expect(readFileSync('docs/errors.md', 'utf8')).toBe(renderErrorsDoc());
  });
});
