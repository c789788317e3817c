import { readFileSync } from 'node:fs';
import http from 'node:http';
import { buildSchema, type GraphQLFieldResolver, type GraphQLTypeResolver, graphql } from 'graphql';

// The graphql-js ceiling's server (see ceiling.ts): the contract schema executed by graphql-js
// over recorded answers, behind a minimal node:http server. Run as its own process so that it
// does not share an event loop with the load driver, as the udx server does not.

/** What the benchmark hands over: the schema and each request body with its recorded answer. */
export interface CeilingFixture {
  schemaFile: string;
  answers: { body: string; data: unknown }[];
}

/** Every field reads its value from the recorded answer under its response name (alias or name). */
const fromRecordedAnswer: GraphQLFieldResolver<unknown, unknown> = (
  source,
  _args,
  _context,
  info,
) => (source as Record<string, unknown> | null)?.[String(info.path.key)];

/** Abstract types (Node) resolve by the `__typename` the recorded answer carries. */
const byRecordedTypename: GraphQLTypeResolver<unknown, unknown> = (value) =>
  (value as { __typename?: string }).__typename;

function serve(fixture: CeilingFixture, port: number): void {
  const schema = buildSchema(readFileSync(fixture.schemaFile, 'utf8'));
  const answers = new Map(fixture.answers.map((answer) => [answer.body, answer.data]));
  const server = http.createServer((request, response) => {
    if (request.method !== 'POST') {
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { query, variables } = JSON.parse(body) as {
        query: string;
        variables?: Record<string, unknown>;
      };
      const result = await graphql({
        schema,
        source: query,
        variableValues: variables ?? null,
        rootValue: answers.get(body),
        fieldResolver: fromRecordedAnswer,
        typeResolver: byRecordedTypename,
      });
      response
        .writeHead(200, { 'Content-Type': 'application/graphql-response+json' })
        .end(JSON.stringify(result));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1');
}

const [fixtureFile] = process.argv.slice(2);
if (!fixtureFile)
  throw new Error('usage: ceiling-server.ts <fixture.json> (PORT in the environment)');
serve(JSON.parse(readFileSync(fixtureFile, 'utf8')) as CeilingFixture, Number(process.env.PORT));
