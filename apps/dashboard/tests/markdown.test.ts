import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { headingId, inline, markdownToHtml } from '../build/markdown.ts';
import { docsLinkRewriter, methodologyDocuments } from '../build/methodology.ts';

describe('markdown to HTML', () => {
  it('gives level-3 headings that start with an indicator code the code as id', () => {
    const { html, headings } = markdownToHtml(
      [
        '# How udx computes its figures',
        '## The indicators',
        '### U1 Technical exchanges',
        '### N5 Follow-up initiatives',
        '### S3: Joint projects',
        '### Status',
        '## U2 is not a level-3 heading',
        '### U12 is no indicator code',
      ].join('\n'),
    );
    expect(headings.map((h) => [h.level, h.id])).toEqual([
      [1, 'how-udx-computes-its-figures'],
      [2, 'the-indicators'],
      [3, 'u1'],
      [3, 'n5'],
      [3, 's3'],
      [3, 'status'],
      [2, 'u2-is-not-a-level-3-heading'],
      [3, 'u12-is-no-indicator-code'],
    ]);
    expect(html).toContain('<h3 id="u1">U1 Technical exchanges</h3>');
  });

  it("makes other ids like GitHub's anchors, unique within the document", () => {
    expect(headingId(2, 'Targets, progress and status')).toBe('targets-progress-and-status');
    expect(headingId(2, 'Aufschlüsselung nach Partnerschaft')).toBe(
      'aufschlüsselung-nach-partnerschaft',
    );
    const { headings } = markdownToHtml('## Status\n\n### Status');
    expect(headings.map((h) => h.id)).toEqual(['status', 'status-2']);
  });

  it('makes a table under a heading a focusable region named by that heading', () => {
    const { html } = markdownToHtml(['## Units', '', '| a |', '|---|', '| 1 |'].join('\n'));
    expect(html).toContain(
      '<div class="table-scroll" role="region" aria-labelledby="units" tabindex="0"><table>',
    );
  });

  it('converts tables, with right-aligned columns in the number style', () => {
    const { html } = markdownToHtml(
      [
        '| code | unit | value |',
        '|---|:---:|---:|',
        '| U1 | `count` | 12 |',
        '| U5 | % | 66,7 \\| 62,5 |',
      ].join('\n'),
    );
    expect(html).toBe(
      [
        '<div class="table-scroll"><table>',
        '<thead><tr><th scope="col">code</th><th scope="col" class="center">unit</th><th scope="col" class="num">value</th></tr></thead>',
        '<tbody>',
        '<tr><td>U1</td><td class="center"><code>count</code></td><td class="num">12</td></tr>',
        '<tr><td>U5</td><td class="center">%</td><td class="num">66,7 | 62,5</td></tr>',
        '</tbody>',
        '</table></div>',
      ].join('\n'),
    );
  });

  it('converts paragraphs, lists with wrapped and nested items, and fenced code', () => {
    const { html } = markdownToHtml(
      [
        'A paragraph',
        'over two lines; from 1 January to',
        '30. June is no list.',
        '',
        '- **Approved values only.** Every figure',
        '  counts approved values.',
        '  - nested',
        '- second',
        '',
        '1. first',
        '2. second',
        '',
        '```sh',
        'pnpm test <all>',
        '```',
      ].join('\n'),
    );
    expect(html).toBe(
      [
        '<p>A paragraph\nover two lines; from 1 January to\n30. June is no list.</p>',
        '<ul>',
        '<li><strong>Approved values only.</strong> Every figure\ncounts approved values.<ul>',
        '<li>nested</li>',
        '</ul></li>',
        '<li>second</li>',
        '</ul>',
        '<ol>',
        '<li>first</li>',
        '<li>second</li>',
        '</ol>',
        '<pre><code>pnpm test &lt;all&gt;</code></pre>',
      ].join('\n'),
    );
  });

  it('converts emphasis, inline code and links, and leaves snake_case and stars in code alone', () => {
    expect(inline('*technical* or _political_, **pooled**, `a_b * c`, statement_timeout')).toBe(
      '<em>technical</em> or <em>political</em>, <strong>pooled</strong>, <code>a_b * c</code>, statement_timeout',
    );
    expect(
      inline('see [Aggregation](#aggregation) and [SKEW](https://skew.engagement-global.de)'),
    ).toBe(
      'see <a href="#aggregation">Aggregation</a> and <a href="https://skew.engagement-global.de">SKEW</a>',
    );
  });

  it('escapes HTML in text, code, headings and tables, and drops unsafe links', () => {
    const { html } = markdownToHtml(
      [
        '## <img src=x onerror=alert(1)>',
        'Text <script>alert("x")</script> & `<b>`',
        '',
        '| a |',
        '|---|',
        '| <i>cell</i> |',
        '',
        '[click](javascript:alert) [local](architecture.md) [quote](https://x.org/?a="b")',
      ].join('\n'),
    );
    expect(html).not.toMatch(/<(img|script|i|b)\b/);
    expect(html).toContain(
      '<h2 id="img-srcx-onerroralert1">&lt;img src=x onerror=alert(1)&gt;</h2>',
    );
    expect(html).toContain(
      'Text &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <code>&lt;b&gt;</code>',
    );
    expect(html).toContain('<td>&lt;i&gt;cell&lt;/i&gt;</td>');
    expect(html).toContain('<p>click local <a href="https://x.org/?a=&quot;b&quot;">quote</a></p>');
  });
});

describe('methodology documents', () => {
  it("link within their own document only; the other language's file keeps its text", () => {
    const rewrite = docsLinkRewriter('methodology.md');
    expect(rewrite('methodology.md#u1')).toBe('/methodology#u1');
    expect(rewrite('docs/methodology.md')).toBe('/methodology');
    expect(rewrite('methodik.md')).toBeUndefined();
    expect(rewrite('architecture.md')).toBeUndefined();
  });

  it('shows English where the German document is missing', () => {
    const dir = `${mkdtempSync(path.join(tmpdir(), 'udx-docs-'))}/`;
    writeFileSync(`${dir}methodology.md`, '# Methodology\n\n### U1 Technical exchanges\n');
    const documents = methodologyDocuments(dir);
    expect(documents.de).toEqual(documents.en);
    expect(documents.de.lang).toBe('en');
    writeFileSync(`${dir}methodik.md`, '# Methodik\n\n### U1 Fachaustausche\n');
    const both = methodologyDocuments(dir);
    expect(both.de.lang).toBe('de');
    expect(both.de.html).toContain('<h3 id="u1">U1 Fachaustausche</h3>');
  });

  it("has a section for each of the 15 indicators in the project's documents", () => {
    const documents = methodologyDocuments();
    for (const document of Object.values(documents)) {
      for (const code of ['u', 's', 'n'].flatMap((g) => [1, 2, 3, 4, 5].map((n) => `${g}${n}`))) {
        expect(document.html).toContain(`<h3 id="${code}">`);
      }
    }
  });
});
