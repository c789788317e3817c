import type { Totals } from '@udx/indicators/engine';
import { sql } from 'kysely';
import type { Executor } from '../shared/transaction.ts';

/**
 * The programme's totals for a period (docs/methodology.md, "Who sees which figure" and
 * "Aggregation"), the same for every viewer, city accounts included: counted by the
 * SECURITY DEFINER function `udx_programme_totals`, which sees past row-level security and
 * returns nothing but these counts. A sum over what a city account may read would be its own
 * city's figures, not the programme's.
 */
export async function findProgrammeTotals(
  db: Executor,
  period: { from?: string | undefined; to?: string | undefined } = {},
): Promise<Totals> {
  const { rows } = await sql<Totals>`select partnerships, cities, departments, exchanges,
      outcomes, participants
    from udx_programme_totals(${period.from ?? null}::date, ${period.to ?? null}::date)`.execute(
    db,
  );
  const totals = rows[0];
  if (!totals) throw new Error('udx_programme_totals returned no row');
  return totals;
}
