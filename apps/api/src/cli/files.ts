import path from 'node:path';

/**
 * A file named on the command line, from the folder the command was typed in: `pnpm udx` runs
 * the script in apps/api, and pnpm keeps the caller's folder in INIT_CWD.
 */
export function callerPath(file: string): string {
  return path.resolve(process.env.INIT_CWD || process.cwd(), file);
}
