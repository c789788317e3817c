import type { Settings } from '@udx/config';
import type { Db } from '@udx/db/database';
import { findDemoAccounts } from '../modules/user/user.repository.ts';

/** The e-mail domain of the demo data set's accounts (README, "Demo data set"). */
const DEMO_EMAIL_SUFFIX = '@demo.udx';

/**
 * Refuses to let the server start in production while any demo account exists (flagged as
 * demo, or with a `@demo.udx` address): their password is public (README, "Demo data set").
 */
export async function assertNoDemoAccountsInProduction(db: Db, settings: Settings): Promise<void> {
  if (!settings.isProduction) return;
  const demo = await findDemoAccounts(db, DEMO_EMAIL_SUFFIX, 3);
  if (demo.length > 0) {
    throw new Error(
      `Refusing to start in production: demo accounts exist (${demo.map((d) => d.email).join(', ')}` +
        `${demo.length === 3 ? ', ...' : ''}). Their password is public; remove them first.`,
    );
  }
}
