import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { withViewerScope } from '../auth/row-level-security.ts';
import type { Language } from '../context.ts';
import { REFUSALS } from '../modules/import/import.messages.ts';
import { csvRows, UnreadableFileError, xlsxRows } from '../modules/import/import.reader.ts';
import { IMPORT_BODY_LIMIT } from '../modules/import/import.routes.ts';
import {
  ImportConflictError,
  type ImportResult,
  importValues,
} from '../modules/import/import.service.ts';
import { VALUE_REPORTERS } from '../modules/reported-value/reported-value.service.ts';
import { actingAccount, openServerDatabase } from './account.ts';
import { CommandError, EXIT, UsageError } from './errors.ts';
import { callerPath } from './files.ts';
import { count, progressOnStderr } from './progress.ts';

/**
 * `pnpm udx import values FILE [--dry-run] --as <email> [--lang de|en]`: the import of
 * POST /import/values from a file on disk (README, "Import"), through the same service, in one
 * transaction as the account's database role. Prints the answer the endpoint would give in
 * words, each problem by row and column; exit code 1 when the file has a problem (nothing is
 * written then), 0 when it was checked (dry run) or imported.
 */
export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      'dry-run': { type: 'boolean', default: false },
      as: { type: 'string' },
      lang: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const [what, named, ...extra] = positionals;
  if (what !== 'values') throw new UsageError('udx import knows one kind of file: values');
  if (!named || extra.length > 0) throw new UsageError('Name one file: udx import values FILE');
  const file = callerPath(named);
  const format = formatOf(file);
  const language = languageOption(values.lang);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`No file ${file}`);
  }
  if (size > IMPORT_BODY_LIMIT) {
    throw new CommandError(
      REFUSALS.PAYLOAD_TOO_LARGE[language].replace(
        '{limit}',
        String(IMPORT_BODY_LIMIT / 1024 / 1024),
      ),
    );
  }

  const database = await openServerDatabase();
  try {
    const viewer = await actingAccount(database.db, values.as);
    if (!VALUE_REPORTERS.includes(viewer.role)) {
      throw new CommandError(`${viewer.email} (${viewer.role}): ${REFUSALS.FORBIDDEN[language]}`);
    }
    const progress = progressOnStderr(values['dry-run'] ? 'check' : 'import');
    let bytesRead = 0;
    let rowsRead = 0;
    let state = { checked: 0, written: 0 };
    const show = () =>
      progress.update(
        size > 0 ? bytesRead / size : null,
        `${count(rowsRead)} rows read, ${count(state.checked)} checked, ${count(state.written)} written`,
      );
    async function* fileBytes(): AsyncGenerator<Buffer> {
      for await (const chunk of createReadStream(file)) {
        bytesRead += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    }
    async function* countedRows(rows: ReturnType<typeof csvRows>) {
      for await (const row of rows) {
        rowsRead = row.row;
        yield row;
      }
    }
    let result: ImportResult;
    try {
      result = await withViewerScope(database.db, viewer, (trx) =>
        importValues(
          trx,
          viewer,
          countedRows(format === 'csv' ? csvRows(fileBytes()) : xlsxRows(fileBytes())),
          {
            dryRun: values['dry-run'],
            language,
            format,
            onProgress: (next) => {
              state = next;
              show();
            },
          },
        ),
      );
    } catch (error) {
      if (error instanceof UnreadableFileError) {
        if (error.kind === 'utf8') throw new CommandError(REFUSALS.NOT_UTF8[language]);
        throw new CommandError(
          error.kind === 'csv'
            ? REFUSALS.NOT_CSV[language].replace('{reason}', error.reason)
            : REFUSALS.NOT_XLSX[language],
        );
      }
      if (error instanceof ImportConflictError) throw new CommandError(REFUSALS.CONFLICT[language]);
      throw error;
    } finally {
      progress.done();
    }
    printResult(result, named, viewer.email);
    return result.problemCount > 0 ? EXIT.NOT_DONE : EXIT.OK;
  } finally {
    await database.close();
  }
}

function formatOf(file: string): 'csv' | 'xlsx' {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.xlsx') return 'xlsx';
  throw new UsageError(`${file}: an import file is .csv (UTF-8) or .xlsx`);
}

export function languageOption(lang: string | undefined): Language {
  if (lang === undefined || lang === 'en' || lang === 'de') return lang ?? 'en';
  throw new UsageError('--lang must be de or en');
}

/** The endpoint's answer in words: what was (or would be) done, then every problem listed. */
function printResult(result: ImportResult, file: string, email: string): void {
  const what = `${count(result.created)} created, ${count(result.updated)} updated, ${count(result.unchanged)} unchanged`;
  if (result.problemCount === 0) {
    const review =
      result.created + result.updated > 0 ? ' (new and changed values submitted for review)' : '';
    console.log(
      result.dryRun
        ? `${file}: ${count(result.rows)} rows checked, no problems; an import would give ${what} (nothing written)`
        : `${file}: ${count(result.rows)} rows imported as ${email}: ${what}${review}`,
    );
    return;
  }
  console.log(
    `${file}: ${count(result.problemCount)} problem${result.problemCount === 1 ? '' : 's'} in ` +
      `${count(result.rows)} rows; nothing was written`,
  );
  for (const problem of result.problems) {
    console.log(
      `row ${problem.row}${problem.column === null ? '' : `, ${problem.column}`}: ${problem.message}`,
    );
  }
  if (result.problemCount > result.problems.length) {
    console.log(`… and ${count(result.problemCount - result.problems.length)} more`);
  }
}
