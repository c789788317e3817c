import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadSettings, newUserPassword } from '@udx/config';
import { openDatabase } from '@udx/db/database';
import { prepareDatabase } from '@udx/db/migrate';
import type { Role } from '@udx/db/schema';
import { passwordProblem } from './auth/password.ts';
import { CITY_ROLES, PROGRAMME_ROLES } from './context.ts';
import { createUserAccount } from './modules/user/user.service.ts';

// `pnpm udx <command>`: administration from the command line. The first SKEW_ADMIN account of
// a production database is created here; everything after that can be done in the API.

const USAGE = `Usage:
  pnpm udx user:create --email <address> --name <display name> --role <ROLE> [--city-id <id>]

  ROLE is one of ${[...PROGRAMME_ROLES, ...CITY_ROLES].join(', ')};
  CITY_EDITOR and CITY_VIEWER need --city-id (the database id of their city).
  The password is read from UDX_NEW_USER_PASSWORD or asked for on the terminal,
  never from the command line. It needs at least 12 characters.`;

class UsageError extends Error {}
/** A failure that is no misuse of the command: shown without the usage text. */
class CommandError extends Error {}

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

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'user:create') return createUserCommand(rest);
  if (command === undefined || command === 'help' || command === '--help') {
    console.log(USAGE);
    return;
  }
  throw new UsageError(`Unknown command ${command}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (
    error instanceof UsageError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
  } else if (error instanceof CommandError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
