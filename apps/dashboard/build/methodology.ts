// Build-time code: runs in Vite's Node process, never in the browser.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { markdownToHtml } from './markdown.ts';
import { virtualModule } from './virtual-module.ts';

const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));

/** The methodology in each language of the dashboard, by file name in docs/. */
export const METHODOLOGY_FILES = { en: 'methodology.md', de: 'methodik.md' } as const;

/** One language's methodology as the page shows it. */
export interface MethodologyDocument {
  /** The language the text is written in: English stands in while a translation is missing. */
  lang: keyof typeof METHODOLOGY_FILES;
  html: string;
}

/**
 * Links within a document go to the dashboard's methodology page, which shows it. Links to the
 * other language's document and to other files of the repository, which the dashboard does not
 * serve as such, keep only their text.
 */
export function docsLinkRewriter(file: string): (href: string) => string | undefined {
  return (href) => {
    const match = /^(?:\.\/)?(?:docs\/)?([\w-]+\.md)(#.*)?$/.exec(href);
    return match?.[1] === file ? `/methodology${match[2] ?? ''}` : undefined;
  };
}

/** Reads and converts the methodology of every language; English where a file is missing. */
export function methodologyDocuments(
  docsDir = DOCS,
): Record<keyof typeof METHODOLOGY_FILES, MethodologyDocument> {
  const read = (lang: keyof typeof METHODOLOGY_FILES): MethodologyDocument | undefined => {
    const name = METHODOLOGY_FILES[lang];
    const file = `${docsDir}${name}`;
    if (!existsSync(file)) return undefined;
    const { html } = markdownToHtml(readFileSync(file, 'utf8'), {
      rewriteLink: docsLinkRewriter(name),
    });
    return { lang, html };
  };
  const en = read('en');
  if (!en) throw new Error(`${docsDir}${METHODOLOGY_FILES.en} is missing`);
  return { en, de: read('de') ?? en };
}

/**
 * `virtual:methodology`: docs/methodology.md and docs/methodik.md as HTML, converted once at
 * build time, so the browser gets neither a Markdown parser nor HTML built at run time.
 */
export function methodology(): Plugin {
  return virtualModule('methodology', (context) => {
    for (const file of Object.values(METHODOLOGY_FILES)) context.addWatchFile(`${DOCS}${file}`);
    return `export default ${JSON.stringify(methodologyDocuments())};`;
  });
}
