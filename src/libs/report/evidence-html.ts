import { createHash } from 'node:crypto';
import { escapeHtml } from './escape-html.js';
import type { ControlStatus, EvidenceDocument, EvidenceValue, ReportControl } from './evidence-document.js';

/** The page's only style sheet; the Content-Security-Policy allows exactly this text (by hash) and nothing else. */
const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.45; color: #1b1f24; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; }
h1 { margin: 0 0 .5rem; font-size: 1.6rem; }
h2 { margin-top: 2.2rem; border-bottom: 2px solid #d0d7de; padding-bottom: .25rem; }
h3 { margin: 0 0 .4rem; font-size: 1.05rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0 1rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #e4e8ec; }
thead th { background: #f3f5f7; }
table.evidence th { font-weight: 500; width: 55%; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
article.control { border: 1px solid #d0d7de; border-left-width: 6px; border-radius: 4px; padding: .8rem 1rem; margin: 1rem 0; break-inside: avoid; }
article.control.pass { border-left-color: #1a7f37; }
article.control.fail { border-left-color: #cf222e; }
article.control.na { border-left-color: #8c959f; }
.badge { display: inline-block; min-width: 3.2rem; text-align: center; font-size: .8rem; font-weight: 700; border-radius: 3px; padding: .05rem .35rem; color: #fff; }
.badge.pass { background: #1a7f37; }
.badge.fail { background: #cf222e; }
.badge.na { background: #6e7781; }
p.requirement { margin: .2rem 0; color: #424a53; }
p.summary { margin: .2rem 0 .5rem; font-weight: 600; }
p.source, footer { color: #57606a; font-size: .9rem; }
caption { text-align: left; color: #57606a; font-size: .85rem; padding-bottom: .2rem; }
@media print { body { max-width: none; } a { color: inherit; text-decoration: none; } }
`;

const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

/** Status as shown: a fixed class name and label per status, so no report value ever becomes markup or a class. */
const STATUS_VIEW: Readonly<Record<ControlStatus, { readonly cls: string; readonly label: string }>> = {
  pass: { cls: 'pass', label: 'PASS' },
  fail: { cls: 'fail', label: 'FAIL' },
  'not-applicable': { cls: 'na', label: 'N/A' },
};

const e = escapeHtml;

function formatValue(v: EvidenceValue): string {
  if (typeof v === 'boolean') {
    return v ? 'yes' : 'no';
  }
  return String(v);
}

function badge(status: ControlStatus): string {
  const view = STATUS_VIEW[status];
  return `<span class="badge ${view.cls}">${view.label}</span>`;
}

function anchorOf(control: ReportControl): string {
  return `c-${e(control.id)}`;
}

function renderControl(c: ReportControl, generatedAt: string): string {
  const rows = c.evidence.map((item) => `<tr><th scope="row">${e(item.label)}</th><td><code>${e(formatValue(item.value))}</code></td></tr>`).join('\n');
  return [
    `<article class="control ${STATUS_VIEW[c.status].cls}" id="${anchorOf(c)}">`,
    `<h3>${badge(c.status)} ${e(c.ref)} — ${e(c.title)}</h3>`,
    `<p class="requirement">${e(c.requirement)}</p>`,
    `<p class="summary">${e(c.summary)}</p>`,
    `<table class="evidence"><caption>Evidence measured at ${e(generatedAt)} (control id <code>${e(c.id)}</code>)</caption>`,
    `<tbody>\n${rows}\n</tbody></table>`,
    '</article>',
  ].join('\n');
}

function renderIndex(doc: EvidenceDocument): string {
  const rows = doc.controls
    .map((c) => `<tr><td><a href="#${anchorOf(c)}">${e(c.ref)}</a></td><td>${e(c.title)}</td><td>${badge(c.status)}</td></tr>`)
    .join('\n');
  return `<table class="index"><thead><tr><th scope="col">Requirement</th><th scope="col">Control</th><th scope="col">Status</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function renderOutOfScope(doc: EvidenceDocument): string {
  const rows = doc.outOfScope.map((s) => `<tr><td>${e(s.framework)} ${e(s.ref)}</td><td>${e(s.title)}</td><td>${e(s.reason)}</td></tr>`).join('\n');
  return [
    '<section aria-labelledby="out-of-scope">',
    '<h2 id="out-of-scope">Statements not evaluated</h2>',
    '<p class="source">Organisational, procedural or infrastructure statements that the software cannot measure about itself.</p>',
    `<table><thead><tr><th scope="col">Statement</th><th scope="col">Subject</th><th scope="col">Why it is out of scope</th></tr></thead><tbody>\n${rows}\n</tbody></table>`,
    '</section>',
  ].join('\n');
}

/**
 * Render the evidence report as one self-contained HTML page: no scripts, no external resources (a
 * Content-Security-Policy allows only the page's own style sheet, by hash), and every value from the report
 * HTML-escaped, so hostile strings in the database or configuration cannot become markup.
 * @param doc - the evaluated report
 */
export function renderEvidenceHtml(doc: EvidenceDocument): string {
  const s = doc.summary;
  const sections = doc.frameworks.map((fw) => {
    const controls = doc.controls.filter((c) => c.framework === fw.id);
    return [
      `<section aria-labelledby="fw-${e(fw.id)}">`,
      `<h2 id="fw-${e(fw.id)}">${e(fw.name)}</h2>`,
      `<p class="source">${e(fw.source)}</p>`,
      ...controls.map((c) => renderControl(c, doc.generatedAt)),
      '</section>',
    ].join('\n');
  });
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'none'; base-uri 'none'; form-action 'none'">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Haven evidence report — ${e(doc.generatedAt)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>Haven evidence report</h1>',
    '<dl class="meta">',
    `<dt>Generated</dt><dd>${e(doc.generatedAt)}</dd>`,
    `<dt>Instance</dt><dd>${e(doc.instanceId)}</dd>`,
    `<dt>Haven version</dt><dd>${e(doc.havenVersion)}</dd>`,
    `<dt>Database</dt><dd>${e(doc.store)}</dd>`,
    `<dt>Result</dt><dd>${s.pass} passed, ${s.fail} failed, ${s.notApplicable} not applicable (of ${s.total})</dd>`,
    '</dl>',
    '<p class="source">Every value below was measured from the live configuration, database and audit ledger when the report was generated. It holds counts, settings, dates and key fingerprints only: no secrets, names or patient data.</p>',
    '</header>',
    '<main>',
    '<nav aria-labelledby="index"><h2 id="index">Controls</h2>',
    renderIndex(doc),
    '</nav>',
    ...sections,
    renderOutOfScope(doc),
    '</main>',
    `<footer><p>${e(`report format ${doc.format} v${doc.version}`)}</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
