import type { CodegenConfig } from '@graphql-codegen/cli';

// The printed schema at the repository root is the source of truth once it has every type the
// dashboard queries; until then the contract copy stands in (see src/graphql/contract.graphql).
const config: CodegenConfig = {
  schema: ['src/graphql/contract.graphql', 'src/graphql/pending.graphql'],
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
