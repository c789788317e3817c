import type { CodegenConfig } from '@graphql-codegen/cli';

// Documents are checked against the API's printed schema; `--check` (in `typecheck`) fails when
// the committed src/gql/ no longer matches the schema or the documents.
const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['src/**/*.vue', 'src/**/*.ts', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        // `useFragment` reads like a Vue composable; the neutral name avoids that confusion.
        fragmentMasking: { unmaskFunctionName: 'getFragmentData' },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Date: 'string', DateTime: 'string' },
        skipTypename: false,
      },
    },
  },
};

export default config;
