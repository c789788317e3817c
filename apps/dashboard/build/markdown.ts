// Build-time code: converts the project's Markdown documents (docs/methodology.md,
// docs/methodik.md) to HTML for the dashboard. It knows the subset those documents use —
// headings, paragraphs, lists, tables, fenced code, block quotes, emphasis, inline code and
// links — and escapes everything else, so no HTML written in a document reaches the page.

export interface MarkdownOptions {
  /**
   * Where a link to a Markdown file of the repository goes, or undefined to show its text
   * without a link (files the dashboard does not serve).
   */
  rewriteLink?: (href: string) => string | undefined;
}

export interface Heading {
  level: number;
  id: string;
  text: string;
}

export interface Converted {
  html: string;
  headings: Heading[];
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** An indicator code at the start of a heading: U1–U5, S1–S5, N1–N5 (docs/methodology.md). */
const INDICATOR_CODE = /^([USN][1-5])(?![\p{L}\p{N}])/u;

/**
 * The id of a heading: its indicator code in lower case for a level-3 heading that starts with
 * one (`### U1 Technical exchanges` → `u1`, the target of the indicator pages' links), else
 * GitHub's anchor of its text (lower case, punctuation dropped, spaces as hyphens), so links
 * written for the repository's Markdown find the same section.
 */
export function headingId(level: number, text: string): string {
  const code = level === 3 ? INDICATOR_CODE.exec(text) : null;
  if (code) return (code[1] as string).toLowerCase();
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const SAFE_URL = /^(https?:|mailto:|#|\/(?!\/))/i;

function renderLink(text: string, href: string, options: MarkdownOptions): string {
  let target: string | undefined = href;
  if (!SAFE_URL.test(href)) target = options.rewriteLink?.(href);
  if (target === undefined || !SAFE_URL.test(target)) return text;
  return `<a href="${escapeHtml(target)}">${text}</a>`;
}

/** Inline Markdown of one block: code spans, links, strong and emphasis; the rest escaped. */
export function inline(source: string, options: MarkdownOptions = {}): string {
  const held: string[] = [];
  const hold = (html: string) => `\uE000${held.push(html) - 1}\uE000`;
  let text = source
    .replace(/\\([\\`*_[\]()#+\-.!|<>])/g, (_, c: string) => hold(escapeHtml(c)))
    .replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_, _ticks: string, code: string) =>
      hold(`<code>${escapeHtml(code.trim())}</code>`),
    )
    .replace(/<((?:https?:|mailto:)[^\s<>]+)>/gi, (_, url: string) =>
      hold(renderLink(escapeHtml(url), url, options)),
    );
  text = escapeHtml(text)
    .replace(/!?\[([^\]]+)\]\(([^()\s]+)(?:\s+&quot;[^"]*?&quot;)?\)/g, (_, label: string, url) =>
      hold(renderLink(label, unescapeHtml(url), options)),
    )
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\p{L}\p{N}_])__(?=\S)([\s\S]*?\S)__(?![\p{L}\p{N}_])/gu, '$1<strong>$2</strong>')
    .replace(/\*(?=\S)([\s\S]*?\S)\*/g, '<em>$1</em>')
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([\s\S]*?\S)_(?![\p{L}\p{N}_])/gu, '$1<em>$2</em>');
  // Held pieces may hold others (a link's text with code): restore until none is left.
  while (text.includes('\uE000')) {
    text = text.replace(/\uE000(\d+)\uE000/g, (_, n: string) => held[Number(n)] as string);
  }
  return text;
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => {
    const found = Object.entries(ESCAPES).find(([, e]) => e === entity);
    return found ? found[0] : entity;
  });
}

const HEADING = /^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const FENCE = /^(```+|~~~+)\s*([\w-]*)\s*$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;

/**
 * Whether a line ends the paragraph before it. As in CommonMark, a numbered list does so only
 * when it starts at 1, so that a wrapped sentence may begin a line with "30. June".
 */
function startsBlock(line: string, next: string | undefined): boolean {
  const item = LIST_ITEM.exec(line);
  return (
    HEADING.test(line) ||
    FENCE.test(line) ||
    /^\s{0,3}>/.test(line) ||
    (item !== null && /^([-*+]|1[.)])$/.test(item[2] as string)) ||
    RULE.test(line) ||
    (line.includes('|') && next !== undefined && TABLE_RULE.test(next) && next.includes('-'))
  );
}

function cells(row: string): string[] {
  let line = row.trim();
  if (line.startsWith('|')) line = line.slice(1);
  if (line.endsWith('|') && !line.endsWith('\\|')) line = line.slice(0, -1);
  // A `\|` is a bar inside a cell.
  return line.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

class Converter {
  readonly headings: Heading[] = [];
  private readonly used = new Map<string, number>();

  constructor(private readonly options: MarkdownOptions) {}

  private uniqueId(id: string): string {
    const base = id || 'section';
    const seen = this.used.get(base) ?? 0;
    this.used.set(base, seen + 1);
    return seen === 0 ? base : `${base}-${seen + 1}`;
  }

  private inline(text: string): string {
    return inline(text, this.options);
  }

  blocks(lines: readonly string[]): string[] {
    const out: string[] = [];
    let i = 0;
    while (i < lines.length) {
      const line = lines[i] as string;
      if (line.trim() === '') {
        i++;
        continue;
      }
      const heading = HEADING.exec(line);
      if (heading) {
        const level = (heading[1] as string).length;
        const source = heading[2] as string;
        const html = this.inline(source);
        const text = html.replace(/<[^>]*>/g, '');
        const id = this.uniqueId(headingId(level, unescapeHtml(text)));
        this.headings.push({ level, id, text: unescapeHtml(text) });
        out.push(`<h${level} id="${escapeHtml(id)}">${html}</h${level}>`);
        i++;
        continue;
      }
      const fence = FENCE.exec(line);
      if (fence) {
        const close = fence[1] as string;
        const body: string[] = [];
        i++;
        while (i < lines.length && !(lines[i] as string).trim().startsWith(close)) {
          body.push(lines[i] as string);
          i++;
        }
        i++;
        out.push(`<pre><code>${escapeHtml(body.join('\n'))}</code></pre>`);
        continue;
      }
      if (RULE.test(line)) {
        out.push('<hr>');
        i++;
        continue;
      }
      if (/^\s{0,3}>/.test(line)) {
        const body: string[] = [];
        while (i < lines.length && /^\s{0,3}>/.test(lines[i] as string)) {
          body.push((lines[i] as string).replace(/^\s{0,3}>\s?/, ''));
          i++;
        }
        out.push(`<blockquote>${this.blocks(body).join('')}</blockquote>`);
        continue;
      }
      const next = lines[i + 1];
      if (line.includes('|') && next !== undefined && TABLE_RULE.test(next) && next.includes('-')) {
        i = this.table(lines, i, out);
        continue;
      }
      if (LIST_ITEM.test(line)) {
        i = this.list(lines, i, out);
        continue;
      }
      const paragraph: string[] = [line.trim()];
      i++;
      while (
        i < lines.length &&
        (lines[i] as string).trim() !== '' &&
        !startsBlock(lines[i] as string, lines[i + 1])
      ) {
        paragraph.push((lines[i] as string).trim());
        i++;
      }
      out.push(`<p>${this.inline(paragraph.join('\n'))}</p>`);
    }
    return out;
  }

  private table(lines: readonly string[], start: number, out: string[]): number {
    const header = cells(lines[start] as string);
    const align = cells(lines[start + 1] as string).map((rule) => {
      if (rule.startsWith(':') && rule.endsWith(':')) return ' class="center"';
      // Right-aligned columns hold numbers: the dashboard's number style (styles.css).
      if (rule.endsWith(':')) return ' class="num"';
      return '';
    });
    let i = start + 2;
    const rows: string[][] = [];
    while (i < lines.length && (lines[i] as string).includes('|') && (lines[i] as string).trim()) {
      rows.push(cells(lines[i] as string));
      i++;
    }
    const head = header
      .map((cell, c) => `<th scope="col"${align[c] ?? ''}>${this.inline(cell)}</th>`)
      .join('');
    const body = rows
      .map(
        (row) =>
          `<tr>${header
            .map((_, c) => `<td${align[c] ?? ''}>${this.inline(row[c] ?? '')}</td>`)
            .join('')}</tr>`,
      )
      .join('\n');
    // Wide tables scroll on their own rather than widening the page. Keyboard users reach the
    // scrolling box through its tab stop; it is a region named by the heading it sits under.
    const under = this.headings.at(-1);
    const region = under
      ? ` role="region" aria-labelledby="${escapeHtml(under.id)}" tabindex="0"`
      : '';
    out.push(
      `<div class="table-scroll"${region}><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`,
    );
    return i;
  }

  private list(lines: readonly string[], start: number, out: string[]): number {
    const first = LIST_ITEM.exec(lines[start] as string) as RegExpExecArray;
    const indent = (first[1] as string).length;
    const ordered = /\d/.test(first[2] as string);
    const items: string[][] = [];
    let loose = false;
    let i = start;
    while (i < lines.length) {
      const line = lines[i] as string;
      const item = LIST_ITEM.exec(line);
      if (
        item &&
        (item[1] as string).length === indent &&
        /\d/.test(item[2] as string) === ordered
      ) {
        items.push([item[3] as string]);
        i++;
        continue;
      }
      if (line.trim() === '') {
        // A blank line continues the item only when indented content follows.
        const next = lines[i + 1];
        const nextItem = next === undefined ? null : LIST_ITEM.exec(next);
        if (
          next !== undefined &&
          /^\s+\S/.test(next) &&
          (next.search(/\S/) > indent || !nextItem)
        ) {
          loose = true;
          items[items.length - 1]?.push('');
          i++;
          continue;
        }
        const sameList = nextItem && /\d/.test(nextItem[2] as string) === ordered;
        if (sameList && (nextItem[1] as string).length === indent) {
          loose = true;
          i++;
          continue;
        }
        break;
      }
      const leading = line.search(/\S/);
      if (leading > indent || (!startsBlock(line, lines[i + 1]) && leading >= 0)) {
        items[items.length - 1]?.push(line.slice(Math.min(leading, indent + 2)));
        i++;
        continue;
      }
      break;
    }
    const tag = ordered ? 'ol' : 'ul';
    const html = items.map((body) => {
      const blocks = this.blocks(body);
      const inner =
        !loose && blocks[0]?.startsWith('<p>')
          ? [(blocks[0] as string).slice(3, -4), ...blocks.slice(1)].join('')
          : blocks.join('');
      return `<li>${inner}</li>`;
    });
    out.push(`<${tag}>\n${html.join('\n')}\n</${tag}>`);
    return i;
  }
}

/** The HTML of a Markdown document, with the id and text of each heading. */
export function markdownToHtml(markdown: string, options: MarkdownOptions = {}): Converted {
  const converter = new Converter(options);
  const html = converter.blocks(markdown.replace(/\r\n?/g, '\n').split('\n')).join('\n');
  return { html, headings: converter.headings };
}
