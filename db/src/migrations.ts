import type { Migration } from 'kysely/migration';
import * as programmeSchema from '../migrations/20261127_2130_programme_schema.ts';
import * as rowLevelSecurity from '../migrations/20261127_2300_row_level_security.ts';
import * as sharedApprovedValues from '../migrations/20261201_0800_shared_approved_values.ts';
import * as oneGrainPerYear from '../migrations/20261201_0810_one_grain_per_year.ts';
import * as signInThrottle from '../migrations/20261201_0900_sign_in_throttle.ts';
import * as databaseRolePerAccount from '../migrations/20261201_1000_database_role_per_account.ts';
import * as correctionProposals from '../migrations/20261201_1400_correction_proposals.ts';
import * as dataVersion from '../migrations/20261201_1500_data_version.ts';
import * as listIndexes from '../migrations/20261201_1600_list_indexes.ts';
import * as publicFigures from '../migrations/20261201_1700_public_figures.ts';
import * as figureYears from '../migrations/20261202_0900_figure_years.ts';

/**
 * Every migration of udx, by name. Kysely applies them in name order, and the names start with
 * the date they were written, so new migrations go at the end.
 */
export const migrations: Record<string, Migration> = {
  '20261127_2130_programme_schema': programmeSchema,
  '20261127_2300_row_level_security': rowLevelSecurity,
  '20261201_0800_shared_approved_values': sharedApprovedValues,
  '20261201_0810_one_grain_per_year': oneGrainPerYear,
  '20261201_0900_sign_in_throttle': signInThrottle,
  '20261201_1000_database_role_per_account': databaseRolePerAccount,
  '20261201_1400_correction_proposals': correctionProposals,
  '20261201_1500_data_version': dataVersion,
  '20261201_1600_list_indexes': listIndexes,
  '20261201_1700_public_figures': publicFigures,
  '20261202_0900_figure_years': figureYears,
};
