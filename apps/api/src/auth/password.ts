import { hash, verify } from '@node-rs/argon2';

/** Shortest password udx accepts (NIST SP 800-63B asks for at least 8; accounts here hold city data). */
export const PASSWORD_MIN_LENGTH = 12;
/** Longest password: hashing a megabyte on every attempt would be a cheap way to load the server. */
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * Argon2id with the parameters OWASP recommends as a minimum (19 MiB, two passes, one lane):
 * the library's defaults, written out so that a change of defaults cannot weaken new hashes.
 */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`) stored in `app_user.password_hash`. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** True when `password` matches `passwordHash`; false for a wrong password or a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies against a hash of nothing anybody knows, so that a sign-in with an unknown e-mail
 * address takes as long as one with a wrong password and the timing does not tell them apart.
 */
export async function verifyDummyPassword(password: string): Promise<void> {
  dummyHash ??= hash(`no account ${Math.random()}`, ARGON2_OPTIONS);
  await verifyPassword(await dummyHash, password);
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `The password must have at least ${PASSWORD_MIN_LENGTH} characters`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `The password must have at most ${PASSWORD_MAX_LENGTH} characters`;
  }
  if (password.trim() === '') return 'The password must not be only spaces';
  return null;
}
