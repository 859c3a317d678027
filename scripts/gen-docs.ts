import { writeFileSync } from 'node:fs';
import { renderConfigDoc } from '../src/config/config-doc.js';
import { renderErrorsDoc } from '../src/errors/errors-doc.js';

// Regenerates the documents derived from code. Tests fail when they drift.
writeFileSync('docs/config.md', renderConfigDoc());
writeFileSync('docs/errors.md', renderErrorsDoc());
console.log('wrote docs/config.md and docs/errors.md');
