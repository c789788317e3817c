import { parseArgs } from 'node:util';
import {
  GenerateRefusal,
  planGeneratedDataSet,
  SCALES,
  type Scale,
  writeGeneratedDataSet,
} from '@udx/demo/generate';
import { openServerDatabase } from './account.ts';
import { CommandError, EXIT, UsageError } from './errors.ts';
import { count, progressOnStderr } from './progress.ts';

/** The seed when none is given: the same every time, as the demo data set's. */
const DEFAULT_SEED = 1;

/**
 * `pnpm udx generate --scale tiny|programme|national [--seed N] [--replace]`: generated demo data
 * of a size (README, "Demo data set"), for smoke tests and benchmarks, into the server's
 * database. The same scale and seed give the same rows. Exit code 1, nothing changed, when the
 * database holds other data, or demo data without --replace.
 */
export async function generateCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      scale: { type: 'string' },
      seed: { type: 'string' },
      replace: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!SCALES.includes(values.scale as Scale)) {
    throw new UsageError(`--scale must be one of ${SCALES.join(', ')}`);
  }
  const scale = values.scale as Scale;
  if (values.seed !== undefined && !/^[0-9]{1,9}$/.test(values.seed)) {
    throw new UsageError('--seed must be a whole number from 0 to 999999999');
  }
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);

  const plan = planGeneratedDataSet(scale, seed);
  const database = await openServerDatabase();
  const started = performance.now();
  const progress = progressOnStderr(`generate ${scale}`);
  try {
    await writeGeneratedDataSet(database.db, plan, {
      replace: values.replace,
      onProgress: (written, total, table) =>
        progress.update(written / total, `${count(written)} of ${count(total)} rows (${table})`),
    });
  } catch (error) {
    if (error instanceof GenerateRefusal) throw new CommandError(error.message);
    throw error;
  } finally {
    progress.done();
    await database.close();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Generated scale ${scale}, seed ${seed} in ${database.location} in ${seconds} s: ` +
      `${count(plan.cities.length)} cities, ${count(plan.partnerships.length)} partnerships, ` +
      `${count(plan.departments.length)} departments, ${count(plan.exchanges.length)} exchanges ` +
      `(${count(plan.exchanges.reduce((sum, e) => sum + e.departments.length, 0))} department links), ` +
      `${count(plan.outcomes.length)} outcomes, ${count(plan.valueCount)} reported values, ` +
      `${count(plan.targetCount)} programme targets, ` +
      `${count(plan.accounts.length)} demo accounts`,
  );
  return EXIT.OK;
}
