import { CATEGORIES } from './categories.js';
import { CATALOGUE, exitCodeFor, type HavenCode } from './codes.js';

/** Render docs/errors.md from the catalogue (pure; scripts/gen-docs.ts writes it, a test compares). */
export function renderErrorsDoc(): string {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from src/errors/codes/*.ts by `npm run docs:gen`. Do not edit by hand; a test keeps it in sync. -->',
    '',
    'Every error Haven returns has a stable code. HTTP responses carry `{"error": {"code", "message", "requestId"}}`; the CLI prints `error CODE: message` and exits with the category\'s exit code. Messages are fixed or carry only ids and counts, never input values.',
    '',
    '## Categories and exit codes',
    '',
    '| category | exit code | meaning |',
    '|---|---|---|',
    ...Object.entries(CATEGORIES).map(([name, c]) => `| ${name} | ${c.exit} | ${c.doc} |`),
    '',
    '## Codes',
    '',
    '| code | HTTP | exit | category | message |',
    '|---|---|---|---|---|',
  ];
  for (const code of Object.keys(CATALOGUE).sort() as HavenCode[]) {
    const e = CATALOGUE[code];
    lines.push(`| \`${code}\` | ${e.status} | ${exitCodeFor(code)} | ${e.category} | ${e.message} |`);
  }
  return `${lines.join('\n')}\n`;
}
