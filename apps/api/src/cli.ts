import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadSettings, newUserPassword } from '@udx/config';
import { openDatabase } from '@udx/db/database';
import { prepareDatabase } from '@udx/db/migrate';
import type { Role } from '@udx/db/schema';
import { passwordProblem } from './auth/password.ts';
import { CommandError, EXIT, UsageError } from './cli/errors.ts';
import { exportCommand } from './cli/export-command.ts';
import { generateCommand } from './cli/generate-command.ts';
import { importCommand } from './cli/import-command.ts';
import { CITY_ROLES, PROGRAMME_ROLES } from './context.ts';
import { createUserAccount } from './modules/user/user.service.ts';

// `pnpm udx <command>`: administration from the command line. The first SKEW_ADMIN account of
// a production database is created here; everything after that can be done in the API.

const USAGE = `Usage:
  pnpm udx user:create --email <address> --name <display name> --role <ROLE> [--city-id <id>]
  pnpm udx import values FILE --as <email> [--dry-run] [--lang de|en]
  pnpm udx export indicators|exchanges|outcomes|values|iati --as <email> --out FILE
      [--format csv|xlsx] [--partnership <id>] [--city <id>] [--country <CC>]
      [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--lang de|en]
  pnpm udx generate --scale tiny|programme|national [--seed N] [--replace]

  ROLE is one of ${[...PROGRAMME_ROLES, ...CITY_ROLES].join(', ')};
  CITY_EDITOR and CITY_VIEWER need --city-id (the database id of their city).
  The password is read from UDX_NEW_USER_PASSWORD or asked for on the terminal,
  never from the command line. It needs at least 12 characters.

  import and export act for the account --as names, with its rights (a SKEW_ADMIN
  account for the whole programme). An import FILE is .csv (UTF-8) or .xlsx; the
  IATI export is XML. Ids are database ids or the API's ids.

  generate writes generated demo data (every row marked demo, with the demo
  accounts) into a database without other data; --replace removes demo or
  generated data there first. The same scale and seed give the same rows.

  Exit codes: 0 done; 1 not done (problems in the file, listed by row and column,
  or a refusal); 2 a wrong command line.`;

/** Asks for a line on the terminal without echoing it; reads one line when stdin is a pipe. */
function readSecretLine(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const terminal = process.stdin.isTTY === true;
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal });
    if (terminal) {
      process.stdout.write(prompt);
      // readline echoes what is typed through this method; a password must not appear
      (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => {};
    }
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      if (terminal) process.stdout.write('\n');
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) reject(new UsageError('No password given (stdin ended)'));
    });
  });
}

async function readNewPassword(): Promise<string> {
  const fromEnvironment = newUserPassword();
  if (fromEnvironment !== undefined) return fromEnvironment;
  const password = await readSecretLine('Password for the new account: ');
  if (process.stdin.isTTY) {
    const again = await readSecretLine('The same password again: ');
    if (again !== password) throw new UsageError('The two passwords differ');
  }
  return password;
}

async function createUserCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      'city-id': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.email || !values.name || !values.role) {
    throw new UsageError('--email, --name and --role are required');
  }
  const roles: readonly string[] = [...PROGRAMME_ROLES, ...CITY_ROLES];
  if (!roles.includes(values.role)) throw new UsageError(`Unknown role ${values.role}`);
  const role = values.role as Role;
  let cityId: number | null = null;
  if (values['city-id'] !== undefined) {
    if (!/^[1-9][0-9]{0,9}$/.test(values['city-id'])) {
      throw new UsageError('--city-id must be the database id of a city (a positive number)');
    }
    cityId = Number(values['city-id']);
  }
  const password = await readNewPassword();
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(problem);

  const settings = loadSettings();
  const database = await openDatabase({
    databaseUrl: settings.databaseUrl,
    dataDir: settings.dataDir,
  });
  try {
    await prepareDatabase(database.db);
    const result = await createUserAccount(
      database.db,
      { email: values.email, displayName: values.name, role, cityId, password },
      null,
    );
    if (!result.ok) {
      throw new CommandError(
        result.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('\n'),
      );
    }
    const user = result.value;
    console.log(
      `Created ${user.role} account ${user.email} (id ${user.id}${
        user.city_id === null ? '' : `, city ${user.city_id}`
      }) in ${database.location}`,
    );
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'user:create') {
    await createUserCommand(rest);
    return EXIT.OK;
  }
  if (command === 'import') return importCommand(rest);
  if (command === 'export') return exportCommand(rest);
  if (command === 'generate') return generateCommand(rest);
  if (command === undefined || command === 'help' || command === '--help') {
    console.log(USAGE);
    return EXIT.OK;
  }
  throw new UsageError(`Unknown command ${command}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exitCode = EXIT.USAGE;
      return;
    }
    console.error(error instanceof CommandError ? error.message : error);
    process.exitCode = EXIT.NOT_DONE;
  },
);
