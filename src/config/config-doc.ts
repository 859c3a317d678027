import { CONFIG_SCHEMA, envNameFor, type ConfigEntry } from './schema.js';

/** Render docs/config.md from the schema (pure; scripts/gen-docs.ts writes it, a test compares). */
export function renderConfigDoc(): string {
  const lines = [
    '# Configuration',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run docs:gen`. Do not edit by hand; a test keeps it in sync. -->',
    '',
    'Sources, lowest precedence first: the defaults below, then `DATA_DIR/haven.json` (nested keys, e.g. `{"server": {"port": 8443}}`), then `HAVEN_*` environment variables.',
    'Configuration is validated once at start: every problem is reported at once and the process stops. Secrets are never values: give paths (`database.passwordFile`).',
    '',
    '| key | env | type | default | description |',
    '|---|---|---|---|---|',
  ];
  for (const e of CONFIG_SCHEMA as readonly ConfigEntry[]) {
    const def = 'default' in e ? `\`${String(e.default)}\`` : '(unset)';
    const type =
      e.type === 'integer'
        ? `integer ${e.min}–${e.max}`
        : e.type === 'string' && e.allowed
          ? `one of ${e.allowed.join(', ')}`
          : e.type === 'optionalString'
            ? 'string (optional)'
            : e.type;
    lines.push(`| \`${e.key}\` | \`${envNameFor(e.key)}\` | ${type} | ${def} | ${e.doc.replace(/\|/g, '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}
