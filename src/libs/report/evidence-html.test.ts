import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape-html.js';
import { summarise, type EvidenceDocument, type ReportControl } from './evidence-document.js';
import { renderEvidenceHtml } from './evidence-html.js';

const HOSTILE = `<script>alert("x")</script><img src=x onerror='y'>&amp;\`\u0000`;

function control(over: Partial<ReportControl> = {}): ReportControl {
  return {
    id: 'hipaa.164.312.b',
    framework: 'hipaa',
    ref: '§164.312(b)',
    title: 'Audit controls',
    requirement: 'Record and examine activity.',
    status: 'pass',
    summary: 'ledger verified up to entry 12',
    evidence: [
      { id: 'ledger.entries', label: 'entries verified', value: 12 },
      { id: 'ledger.verified', label: 'verifies', value: true },
    ],
    ...over,
  };
}

function doc(controls: ReportControl[], over: Partial<EvidenceDocument> = {}): EvidenceDocument {
  return {
    format: 'haven-evidence-report',
    version: 1,
    generatedAt: '2026-01-01T00:00:00.000Z',
    instanceId: 'instance-1',
    havenVersion: '0.1.0',
    store: 'sqlite',
    summary: summarise(controls),
    frameworks: [
      { id: 'hipaa', name: 'HIPAA', source: '45 CFR §164.312' },
      { id: 'satre', name: 'SATRE', source: 'SATRE specification' },
    ],
    controls,
    outOfScope: [{ framework: 'SATRE', ref: '2.1.1', title: 'Clipboard', reason: 'No remote desktop.' }],
    ...over,
  };
}

describe('escapeHtml', () => {
  it('escapes markup characters, quotes and backticks, and replaces control characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
    expect(escapeHtml('a\u0000b\u001Fc\td\ne')).toBe('a\uFFFDb\uFFFDc\td\ne');
    expect(escapeHtml('plain text, ünïcode ✓')).toBe('plain text, ünïcode ✓');
  });
});

describe('renderEvidenceHtml', () => {
  it('renders every control with its status, reference, summary and evidence', () => {
    const html = renderEvidenceHtml(
      doc([
        control(),
        control({ id: 'satre.3.2.4', framework: 'satre', ref: '3.2.4', title: 'MFA for all users', status: 'fail', summary: '1 account without MFA' }),
      ]),
    );
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<article class="control pass" id="c-hipaa.164.312.b">');
    expect(html).toContain('<article class="control fail" id="c-satre.3.2.4">');
    expect(html).toContain('<span class="badge fail">FAIL</span> 3.2.4 — MFA for all users');
    expect(html).toContain('<th scope="row">entries verified</th><td><code>12</code></td>');
    expect(html).toContain('<td><code>yes</code></td>');
    expect(html).toContain('1 passed, 1 failed, 0 not applicable (of 2)');
    expect(html).toContain('No remote desktop.');
  });

  it('is self-contained: no scripts, no external resources, a CSP that allows only its own style sheet', () => {
    const html = renderEvidenceHtml(doc([control()]));
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|url\(|@import|https?:\/\//i);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    expect(html).toContain(`default-src 'none'; style-src 'sha256-${hash}'`);
  });

  it('escapes hostile strings in every field, so they never become markup', () => {
    const hostile = control({
      id: HOSTILE,
      ref: HOSTILE,
      title: HOSTILE,
      requirement: HOSTILE,
      summary: HOSTILE,
      evidence: [{ id: HOSTILE, label: HOSTILE, value: HOSTILE }],
    });
    const html = renderEvidenceHtml(
      doc([hostile], {
        instanceId: HOSTILE,
        havenVersion: HOSTILE,
        store: HOSTILE,
        generatedAt: HOSTILE,
        frameworks: [{ id: 'hipaa', name: HOSTILE, source: HOSTILE }],
        outOfScope: [{ framework: HOSTILE, ref: HOSTILE, title: HOSTILE, reason: HOSTILE }],
      }),
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain("onerror='");
    expect(html).not.toContain('\u0000');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;amp;&#96;\uFFFD');
    // Every tag in the page is one the renderer wrote itself.
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));
    const allowed = [
      'html',
      'head',
      'meta',
      'title',
      'style',
      'body',
      'header',
      'h1',
      'h2',
      'h3',
      'dl',
      'dt',
      'dd',
      'p',
      'main',
      'nav',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
      'a',
      'span',
      'section',
      'article',
      'caption',
      'code',
      'footer',
    ];
    expect([...tags].filter((t) => !allowed.includes(t))).toEqual([]);
  });
});
