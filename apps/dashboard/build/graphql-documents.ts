import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

// Build-time code: runs in Vite's Node process, never in the browser.

/**
 * The documents the GraphQL code generator wrote (src/gql/graphql.ts): one exported constant per
 * operation (`OverviewDocument`) and per fragment (`GoalCards_GoalSummaryFragmentFragmentDoc`).
 */
const GENERATED_DOCUMENTS = 'src/gql/graphql.ts';

/** A generated document: `export const Name = {…parsed document…} as unknown as DocumentNode<…>;` */
const GENERATED_CONSTANT =
  /^export const ([_0-9A-Za-z]+) = (\{.*\}) as unknown as DocumentNode<.*>;$/gm;

/** Modules of one document each, named after the generated constant. */
const DOCUMENT_MODULE = 'virtual:udx-document/';

/**
 * A `graphql(`…`)` call with a plain template literal (no `${…}`), as every page and component
 * writes it.
 */
const GRAPHQL_CALL = /\bgraphql\(\s*`((?:[^`$]|\$(?!\{))*)`\s*\)/g;

/** The first definition of a document: its kind and name. */
const FIRST_DEFINITION = /^\s*(query|mutation|subscription|fragment)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** The name of the generated constant that holds the parsed document of `source`. */
export function generatedDocumentName(source: string): string {
  const definition = FIRST_DEFINITION.exec(source.replace(/^\s*#.*$/gm, ''));
  if (!definition) {
    throw new Error(
      `a graphql() document must start with a named operation or fragment:\n${source}`,
    );
  }
  const [, kind, name] = definition;
  return kind === 'fragment' ? `${name}FragmentDoc` : `${name}Document`;
}

/** The parsed documents in the generator's output, by constant name, as JSON. */
export function generatedDocuments(generatedSource: string): Map<string, string> {
  const documents = new Map<string, string>();
  for (const [, name, json] of generatedSource.matchAll(GENERATED_CONSTANT)) {
    documents.set(name as string, json as string);
  }
  return documents;
}

/**
 * Replaces each `graphql(`…`)` call by an import of its generated document, from a module that
 * holds that document alone.
 *
 * `graphql()` looks its document up in one table of every document of the dashboard
 * (src/gql/gql.ts), and the generated constants share one module (src/gql/graphql.ts); either
 * way the first screen would parse all of them, about a third of the JavaScript it loads before
 * it can ask for its data. One module per document puts each page's documents in that page's
 * chunk. The values are the same: `graphql()` returns exactly these constants.
 */
export function graphqlDocuments(): Plugin {
  let generatedFile = '';
  return {
    name: 'udx-graphql-documents',
    configResolved(config) {
      generatedFile = path.join(config.root, GENERATED_DOCUMENTS);
    },
    resolveId(id) {
      return id.startsWith(DOCUMENT_MODULE) ? `\0${id}` : null;
    },
    load(id) {
      if (!id.startsWith(`\0${DOCUMENT_MODULE}`)) return null;
      const name = id.slice(DOCUMENT_MODULE.length + 1);
      this.addWatchFile(generatedFile);
      const json = generatedDocuments(readFileSync(generatedFile, 'utf8')).get(name);
      if (json === undefined) {
        throw new Error(
          `${GENERATED_DOCUMENTS} has no ${name}: run pnpm --filter @udx/dashboard codegen`,
        );
      }
      // JSON.parse of a string is parsed faster than the same object written as a literal.
      return `export default JSON.parse(${JSON.stringify(json)});`;
    },
    transform(code, id) {
      const file = id.split('?')[0] ?? id;
      if (!/\.(vue|ts)$/.test(file) || file.includes('/src/gql/') || !code.includes('graphql(')) {
        return null;
      }
      // A .vue file's style and template parts arrive as modules of their own, with `type=` in
      // their query; only its script holds the calls.
      if (/[?&]type=(style|template)/.test(id)) return null;
      const names = new Set<string>();
      const rewritten = code.replace(GRAPHQL_CALL, (_call, source: string) => {
        const name = generatedDocumentName(source);
        names.add(name);
        return `__document_${name}`;
      });
      if (names.size === 0) return null;
      const imports = [...names]
        .map((name) => `import __document_${name} from ${JSON.stringify(DOCUMENT_MODULE + name)};`)
        .join(' ');
      // on the first line, so that the lines of the source map stay where they were
      return { code: `${imports} ${rewritten}`, map: null };
    },
  };
}
