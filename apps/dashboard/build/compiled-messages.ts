import { baseCompile } from '@intlify/message-compiler';
import type { Plugin } from 'vite';

// Build-time code: runs in Vite's Node process, never in the browser.

/** The dashboard's message files (`src/locales/en.ts`, `src/locales/de.ts`). */
const LOCALE_FILE = /\/src\/locales\/[a-z]{2}\.ts$/;

/** A message tree as the locale files write it: texts, nested by key. */
export type MessageTree = { [key: string]: string | MessageTree };

/**
 * One message compiled as vue-i18n compiles it on first use (its "JIT" mode): the syntax tree
 * that its runtime formats, with short keys (`minify`).
 */
export function compileMessage(source: string, key: string): object {
  const { ast } = baseCompile(source, {
    jit: true,
    location: false,
    minify: true,
    onError: (error) => {
      throw new Error(`message ${key} (${JSON.stringify(source)}): ${error.message}`);
    },
  });
  return ast;
}

/** Every text of `tree` compiled (`compileMessage`), under the same keys. */
export function compileMessages(tree: MessageTree, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(tree).map(([key, value]) => {
      const path = prefix ? `${prefix}.${key}` : key;
      return [
        key,
        typeof value === 'string' ? compileMessage(value, path) : compileMessages(value, path),
      ];
    }),
  );
}

/**
 * Compiles the dashboard's messages when it is built, so that the browser neither downloads
 * vue-i18n's message compiler nor runs it: each text is replaced by its syntax tree, which
 * vue-i18n formats directly (`__INTLIFY_DROP_MESSAGE_COMPILER__` leaves the compiler out of the
 * build). Compiling the first screen's messages in the browser took some 25 ms of the overview's
 * first load. The development server and the unit tests keep the texts as written.
 *
 * A message the compiler refuses fails the build, naming its key.
 */
export function compiledMessages(): Plugin {
  return {
    name: 'udx-compiled-messages',
    apply: 'build',
    // after TypeScript is stripped: the module is then plain JavaScript that Node can evaluate
    enforce: 'post',
    async transform(code, id) {
      const file = id.split('?')[0] ?? id;
      if (!LOCALE_FILE.test(file)) return null;
      // The locale files are data with type-only imports: evaluated on their own as a module.
      const module = (await import(
        `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
      )) as {
        default: MessageTree;
      };
      const compiled = JSON.stringify(compileMessages(module.default));
      // JSON.parse of a string is parsed faster than the same object written as a literal.
      return { code: `export default JSON.parse(${JSON.stringify(compiled)});`, map: null };
    },
  };
}
