/**
 * The exit codes of `pnpm udx` (README, "Administration"): 0 done, 1 the work was not done
 * (problems in a file, listed by row and column; an account without the right; a database
 * fault), 2 the command line itself is wrong.
 */
export const EXIT = { OK: 0, NOT_DONE: 1, USAGE: 2 } as const;

/** A misuse of the command line: shown with the usage text, exit code 2. */
export class UsageError extends Error {}

/** A failure that is no misuse of the command: shown without the usage text, exit code 1. */
export class CommandError extends Error {}
