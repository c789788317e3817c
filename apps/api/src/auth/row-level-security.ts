import type { ApolloServerPlugin } from '@apollo/server';
import type { Db } from '@udx/db/database';
import type { Database } from '@udx/db/schema';
import { sql, type Transaction } from 'kysely';
import { CITY_ROLES, type Context, type Viewer } from '../context.ts';

/**
 * The database role requests of city accounts run as. It is no superuser and does not bypass
 * row security, so the policies of migration `20261127_2300_row_level_security` apply to it.
 */
export const SCOPED_ROLE = 'udx_app';

/** True for viewers whose requests must run inside a viewer scope: city accounts. */
export function needsViewerScope(viewer: Viewer | null): viewer is Viewer {
  return viewer !== null && CITY_ROLES.includes(viewer.role);
}

/**
 * Switches an open transaction to the scoped role and tells the policies who is asking. All
 * settings are transaction-local: they vanish at commit or rollback, so a pooled connection
 * never carries one request's viewer into the next.
 */
async function applyViewerScope(trx: Transaction<Database>, viewer: Viewer): Promise<void> {
  await sql`select
      set_config('role', ${SCOPED_ROLE}, true),
      set_config('udx.role', ${viewer.role}, true),
      set_config('udx.city_id', ${viewer.cityId === null ? '' : String(viewer.cityId)}, true),
      set_config('udx.user_id', ${String(viewer.userId)}, true)`.execute(trx);
}

/**
 * Runs `fn` in a transaction as the scoped role with the viewer's role, city and user id set:
 * whatever `fn` reads or writes through `trx` is limited by row-level security in PostgreSQL,
 * whether or not the code filtered by city itself. Commits when `fn` resolves, rolls back when
 * it throws.
 */
export function withViewerScope<T>(
  db: Db,
  viewer: Viewer,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) throw new Error('withViewerScope opens its own transaction');
  return db.transaction().execute(async (trx) => {
    await applyViewerScope(trx, viewer);
    return fn(trx);
  });
}

/** A request-wide viewer scope whose end the caller decides. */
export interface ViewerScope {
  /** The transaction every query of the request runs in. */
  db: Transaction<Database>;
  /** Commits (once; later calls wait for the same commit). */
  end(): Promise<void>;
}

/**
 * Opens a viewer scope for a whole request (the callback form does not fit an HTTP server
 * whose execution and answer are separate steps). The caller must call `end()` in every case;
 * `viewerScopePlugin` does it before the answer goes out.
 */
export async function openViewerScope(db: Db, viewer: Viewer): Promise<ViewerScope> {
  const trx = await db.startTransaction().execute();
  try {
    await applyViewerScope(trx, viewer);
  } catch (error) {
    await trx.rollback().execute();
    throw error;
  }
  let ending: Promise<void> | undefined;
  return {
    db: trx,
    end: () => {
      // a transaction PostgreSQL aborted answers COMMIT with a rollback, never with an error
      ending ??= trx
        .commit()
        .execute()
        .catch(async (error: unknown) => {
          if (!trx.isRolledBack)
            await trx
              .rollback()
              .execute()
              .catch(() => {});
          throw error;
        });
      return ending;
    },
  };
}

/**
 * Apollo plugin: ends the request's viewer scope when the answer is ready and before it is
 * written, so that the writes of a mutation are committed when its client reads the answer.
 */
export const viewerScopePlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue }) {
        await contextValue.endViewerScope?.();
      },
    };
  },
};

/** Programme-wide totals (PRODUCT.md §4) for a period. */
export interface ProgrammeTotals {
  partnerships: number;
  cities: number;
  departments: number;
  exchanges: number;
  outcomes: number;
  participants: number;
}

/**
 * The programme's totals, the same for every viewer, city accounts included: counted by the
 * SECURITY DEFINER function `udx_programme_totals`, which sees past row-level security and
 * returns nothing but these counts. A sum over what a city account may read would be its own
 * city's figures, not the programme's.
 */
export async function findProgrammeTotals(
  db: Db | Transaction<Database>,
  period: { from?: string | undefined; to?: string | undefined } = {},
): Promise<ProgrammeTotals> {
  const { rows } = await sql<ProgrammeTotals>`select partnerships, cities, departments, exchanges,
      outcomes, participants
    from udx_programme_totals(${period.from ?? null}::date, ${period.to ?? null}::date)`.execute(
    db,
  );
  const totals = rows[0];
  if (!totals) throw new Error('udx_programme_totals returned no row');
  return totals;
}
