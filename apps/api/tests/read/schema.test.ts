import { readFileSync } from 'node:fs';
import { buildSchema, findBreakingChanges, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema.ts';

describe('the published schema', () => {
  it('is committed as schema.graphql exactly as the code defines it', () => {
    const committed = readFileSync(new URL('../../../../schema.graphql', import.meta.url), 'utf8');
    // `pnpm --filter @udx/api print-schema` rewrites it
    expect(committed).toBe(`${printSchema(schema)}\n`);
  });

  it('keeps every type, field, argument and enum value of the contract', () => {
    const contract = buildSchema(
      readFileSync(new URL('../contract.graphql', import.meta.url), 'utf8'),
    );
    const breaking = findBreakingChanges(contract, schema).map((change) => change.description);
    expect(breaking).toEqual([]);
  });

  it('describes every type, field and argument it publishes', () => {
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (
        !type.description &&
        !['Query', 'Mutation', 'String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)
      ) {
        undocumented.push(type.name);
      }
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
    }
    expect(undocumented).toEqual([]);
  });
});
