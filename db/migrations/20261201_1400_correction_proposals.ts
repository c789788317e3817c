import { type Kysely, sql } from 'kysely';

/**
 * Correction proposals and undoing a review (docs/methodology.md, "Reported values").
 *
 * A city may propose a corrected value for one of its APPROVED values. The proposal is a row of
 * `reported_value` of its own, `corrects_id` naming the approved value, for the same indicator,
 * city and period; it is SUBMITTED or REJECTED, never APPROVED, so every figure (all of which
 * count APPROVED values, and SKEW's preview SUBMITTED ones without proposals) keeps counting the
 * approved value. One proposal per approved value: proposing again replaces it. Approving it
 * copies its figures into the approved value and removes the proposal, in one step that
 * `udx_approve_correction` does for SKEW, so that no account needs the right to change the
 * figures of an approved value directly. Rejecting it is an ordinary review: it stays REJECTED
 * with its reason, for the city to read, and the approved value is unchanged.
 *
 * - the unique key "one value per indicator, city and period" holds for values, not proposals:
 *   it becomes a partial unique index of the same name;
 * - a trigger checks that a proposal names an approved value of the same indicator, city and
 *   period (itself no proposal); the one-grain trigger of migration 20261201_0810 then holds for
 *   proposals too (the same period as their value);
 * - row-level security: a city editor inserts and changes its city's proposals by the policies
 *   of its values (migrations 20261127_2300 and 20261201_1000: own city, not approved); a
 *   partner city and the Foreign Office read approved rows only, so never a proposal.
 *
 * Undo: SKEW's evaluation may return a value it decided within the last ten minutes to
 * SUBMITTED. Its review policy so far allowed any row to be updated (`USING (true)`); now it
 * decides submitted values only, and a second policy lets it reopen its own recent decisions.
 *
 * Frozen in time: later changes go into new migrations.
 */

const SKEW_EVALUATOR = 'udx_skew_evaluator';
const SKEW_ADMIN = 'udx_skew_admin';
const self = 'udx_viewer_user_id()';

/** How long a reviewer may undo a decision. The API says the same (reported-value.service.ts). */
const UNDO_WINDOW = `interval '10 minutes'`;

const proposalCheck = `CREATE FUNCTION reported_value_proposal_matches() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  BEGIN
    IF NEW.corrects_id IS NULL THEN
      RETURN NEW;
    END IF;
    IF NOT EXISTS (
      SELECT 1 FROM reported_value approved
      WHERE approved.id = NEW.corrects_id
        AND approved.corrects_id IS NULL
        AND approved.status = 'APPROVED'
        AND approved.indicator_id = NEW.indicator_id
        AND approved.city_id = NEW.city_id
        AND approved.year = NEW.year
        AND approved.quarter IS NOT DISTINCT FROM NEW.quarter
    ) THEN
      RAISE EXCEPTION 'reported value % is no approved value of the proposal''s indicator, city and period',
          NEW.corrects_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'reported_value_proposal_matches';
    END IF;
    RETURN NEW;
  END $$`;

/**
 * Approves a correction proposal: its figures, note and who entered it replace those of the
 * approved value, which SKEW's reviewer then has reviewed; the proposal is removed. Returns the
 * approved value's id. SECURITY DEFINER because no request role may change an approved value's
 * figures otherwise; EXECUTE only for SKEW's roles.
 */
const approveCorrection = `CREATE FUNCTION udx_approve_correction(proposal_id integer)
  RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DECLARE
    proposal reported_value%ROWTYPE;
  BEGIN
    IF coalesce(udx_viewer_role(), '') NOT IN ('SKEW_EVALUATOR', 'SKEW_ADMIN') THEN
      RAISE EXCEPTION 'only SKEW approves correction proposals'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO proposal FROM reported_value
      WHERE id = proposal_id AND corrects_id IS NOT NULL AND status = 'SUBMITTED' FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'reported value % is no submitted correction proposal', proposal_id
        USING ERRCODE = 'no_data_found';
    END IF;
    DELETE FROM reported_value WHERE id = proposal.id;
    UPDATE reported_value SET value = proposal.value, numerator = proposal.numerator,
        denominator = proposal.denominator, note = proposal.note,
        entered_by = proposal.entered_by, entered_at = proposal.entered_at,
        reviewed_by = ${self}, reviewed_at = now()
      WHERE id = proposal.corrects_id AND status = 'APPROVED';
    RETURN proposal.corrects_id;
  END $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `ALTER TABLE reported_value ADD COLUMN corrects_id integer
      REFERENCES reported_value (id) ON DELETE CASCADE`,
    `ALTER TABLE reported_value ADD CONSTRAINT reported_value_proposal_not_approved
      CHECK (corrects_id IS NULL OR status <> 'APPROVED')`,
    `ALTER TABLE reported_value DROP CONSTRAINT reported_value_one_per_period`,
    `CREATE UNIQUE INDEX reported_value_one_per_period
      ON reported_value (indicator_id, city_id, year, quarter) NULLS NOT DISTINCT
      WHERE corrects_id IS NULL`,
    `CREATE UNIQUE INDEX reported_value_one_proposal ON reported_value (corrects_id)
      WHERE corrects_id IS NOT NULL`,
    proposalCheck,
    `CREATE TRIGGER reported_value_proposal_matches BEFORE INSERT OR UPDATE ON reported_value
      FOR EACH ROW EXECUTE FUNCTION reported_value_proposal_matches()`,
    approveCorrection,
    `REVOKE EXECUTE ON FUNCTION udx_approve_correction(integer) FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION udx_approve_correction(integer) TO ${SKEW_EVALUATOR}, ${SKEW_ADMIN}`,
    `ALTER POLICY reported_value_review ON reported_value USING (status = 'SUBMITTED')`,
    `CREATE POLICY reported_value_undo_review ON reported_value FOR UPDATE TO ${SKEW_EVALUATOR}
      USING (status IN ('APPROVED', 'REJECTED') AND reviewed_by = ${self}
        AND reviewed_at > now() - ${UNDO_WINDOW})
      WITH CHECK (status = 'SUBMITTED' AND reviewed_by IS NULL AND reviewed_at IS NULL)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'DROP POLICY IF EXISTS reported_value_undo_review ON reported_value',
    'ALTER POLICY reported_value_review ON reported_value USING (true)',
    'DROP FUNCTION IF EXISTS udx_approve_correction(integer)',
    'DROP TRIGGER IF EXISTS reported_value_proposal_matches ON reported_value',
    'DROP FUNCTION IF EXISTS reported_value_proposal_matches()',
    // proposals have no place in the old table
    'DELETE FROM reported_value WHERE corrects_id IS NOT NULL',
    'DROP INDEX IF EXISTS reported_value_one_proposal',
    'DROP INDEX IF EXISTS reported_value_one_per_period',
    `ALTER TABLE reported_value ADD CONSTRAINT reported_value_one_per_period
      UNIQUE NULLS NOT DISTINCT (indicator_id, city_id, year, quarter)`,
    'ALTER TABLE reported_value DROP CONSTRAINT IF EXISTS reported_value_proposal_not_approved',
    'ALTER TABLE reported_value DROP COLUMN IF EXISTS corrects_id',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
