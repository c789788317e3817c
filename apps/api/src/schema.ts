import { builder } from './builder.ts';

// Each feature module adds its types, queries and mutations to the builder when imported.
import './modules/sdg/sdg.schema.ts';

/** The executable GraphQL schema of udx. */
export const schema = builder.toSchema({ sortSchema: false });
