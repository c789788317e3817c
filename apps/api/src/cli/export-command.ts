import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { withViewerScope } from '../auth/row-level-security.ts';
import { findRoute } from '../http/routes.ts';
import { actingAccount, openServerDatabase } from './account.ts';
import { CommandError, EXIT, UsageError } from './errors.ts';
import { callerPath } from './files.ts';
import { count, progressOnStderr } from './progress.ts';

const KINDS = ['indicators', 'exchanges', 'outcomes', 'values', 'iati'] as const;

/** The options of the scope and the export parameters they stand for (README, "Exports"). */
const SCOPE_OPTIONS = {
  partnership: 'partnershipId',
  city: 'cityId',
  country: 'countryCode',
  from: 'from',
  to: 'to',
  lang: 'lang',
} as const;

/**
 * `pnpm udx export indicators|exchanges|outcomes|values|iati [--format csv|xlsx] [scope] --out FILE
 * --as <email>`: the file GET /export/<kind>.<format> answers, byte for byte. The endpoint's own
 * route writes it (the same parameters, scope, rights and writers), as the account's database
 * role, into FILE; the file appears only once it is complete.
 */
export async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      as: { type: 'string' },
      partnership: { type: 'string' },
      city: { type: 'string' },
      country: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      lang: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const [kind, ...extra] = positionals;
  if (!KINDS.includes(kind as (typeof KINDS)[number]) || extra.length > 0) {
    throw new UsageError(`Name what to export: ${KINDS.join(', ')}`);
  }
  const format = kind === 'iati' ? 'xml' : (values.format ?? 'csv');
  if (
    kind === 'iati'
      ? values.format !== undefined && values.format !== 'xml'
      : !['csv', 'xlsx'].includes(format)
  ) {
    throw new UsageError(kind === 'iati' ? 'The IATI file is XML' : '--format must be csv or xlsx');
  }
  if (!values.out) throw new UsageError('--out FILE is required: where to write the export');
  const route = findRoute(`/export/${kind}.${format}`);
  if (!route) throw new UsageError(`No export ${kind}.${format}`);
  const url = new URL(`http://udx/export/${kind}.${format}`);
  for (const [option, parameter] of Object.entries(SCOPE_OPTIONS)) {
    const value = values[option as keyof typeof SCOPE_OPTIONS];
    if (value === undefined) continue;
    // a database id (as `user:create --city-id` takes) or the API's id, as the dashboard links
    const id =
      (option === 'partnership' || option === 'city') && /^[1-9][0-9]{0,9}$/.test(value)
        ? encodeGlobalID(option === 'city' ? 'City' : 'Partnership', value)
        : value;
    url.searchParams.set(parameter, id);
  }

  const out = callerPath(values.out);
  if (!existsSync(dirname(out))) throw new UsageError(`--out: no folder ${dirname(out)}`);
  // written beside its destination and renamed when complete: never a half file under its name
  const partial = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  const database = await openServerDatabase();
  const file = createWriteStream(partial);
  // a failure to write (a full disk) fails the writer that waits on the file; never the process
  let writeError: Error | null = null;
  file.on('error', (error) => {
    writeError = error;
  });
  const progress = progressOnStderr('export');
  const timer = setInterval(
    () => progress.update(null, `${bytes(file.bytesWritten)} written`),
    200,
  );
  try {
    const viewer = await actingAccount(database.db, values.as);
    await withViewerScope(database.db, viewer, (trx) =>
      route.handle(
        // an export reads nothing of its request but the headers, for Accept-Language
        { headers: {} } as IncomingMessage,
        fileResponse(file),
        {
          url,
          openContext: async () => ({
            db: trx,
            viewer,
            language: 'en',
            response: { setCookies: [] },
          }),
        },
      ),
    );
    if (!file.writableEnded) file.end();
    if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
    if (writeError) throw writeError;
    renameSync(partial, out);
    clearInterval(timer);
    progress.update(null, `${bytes(file.bytesWritten)} written`);
    progress.done();
    console.log(
      `${values.out}: ${kind} (${format}) as ${viewer.email}, ${bytes(file.bytesWritten)}`,
    );
    return EXIT.OK;
  } catch (error) {
    clearInterval(timer);
    progress.done();
    file.destroy();
    rmSync(partial, { force: true });
    throw refusalOf(error);
  } finally {
    await database.close();
  }
}

/**
 * The file as the response the route writes to: a writable stream like a response, whose
 * status line and headers have nowhere to go. The writers wait on it as on a slow client.
 */
function fileResponse(file: ReturnType<typeof createWriteStream>): ServerResponse {
  return Object.assign(file, { writeHead: () => file }) as unknown as ServerResponse;
}

/**
 * The endpoint's deliberate refusals as the command line says them: a bad parameter is a
 * usage error naming its option, another account's scope or an unknown one a failure.
 */
function refusalOf(error: unknown): unknown {
  if (!(error instanceof GraphQLError)) return error;
  const code = error.extensions.code;
  if (code === 'BAD_USER_INPUT') {
    const field = String(error.extensions.field ?? '');
    const option = Object.entries(SCOPE_OPTIONS).find(([, parameter]) => parameter === field)?.[0];
    return new UsageError(option ? `--${option}: ${error.message}` : error.message);
  }
  return new CommandError(`${String(code ?? 'ERROR')}: ${error.message}`);
}

function bytes(value: number): string {
  return value < 1024 * 1024
    ? `${count(Math.ceil(value / 1024))} KiB`
    : `${(value / 1024 / 1024).toFixed(1)} MiB`;
}
