import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from './schema.ts';

// Writes the committed schema.graphql at the repository root, the API's published contract.
const target = new URL('../../../schema.graphql', import.meta.url);
writeFileSync(target, `${printSchema(schema)}\n`);
console.log(`Printed the schema to ${target.pathname}`);
