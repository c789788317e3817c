import { type Kysely, sql } from 'kysely';
// Imported rather than read from disk, so `pnpm build` bundles the catalogue into the server
// and it is found wherever the compiled server runs.
import goals from '../reference/sdg/goals.json' with { type: 'json' };
import sdgIndicators from '../reference/sdg/indicators.json' with { type: 'json' };
import targets from '../reference/sdg/targets.json' with { type: 'json' };
import { indicators, topics } from './catalogue.ts';

interface Texts {
  en: string;
  de?: string;
}
interface GoalRecord {
  number: number;
  code: string;
  title: Required<Texts>;
  shortTitle: Required<Texts>;
  colour: string;
}
interface TargetRecord {
  code: string;
  goal: number;
  title: Required<Texts>;
}
interface IndicatorRecord {
  code: string;
  target: string;
  title: Texts;
}

/** The SDG catalogue as shipped in `db/reference/sdg` (see SOURCE.md there). */
export function readSdgCatalogue(): {
  goals: GoalRecord[];
  targets: TargetRecord[];
  indicators: IndicatorRecord[];
} {
  return { goals, targets, indicators: sdgIndicators };
}

/**
 * Writes the reference data (SDG catalogue, topics, programme indicators) into a migrated
 * database. Idempotent: it inserts what is missing and updates texts that changed, so it runs
 * on every start. Rows are sent in a few multi-row statements, not one per row.
 */
// biome-ignore lint/suspicious/noExplicitAny: reference data is written before the app's types apply
export async function loadReferenceData(db: Kysely<any>): Promise<void> {
  const catalogue = readSdgCatalogue();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sdg_goal')
      .values(
        catalogue.goals.map((g) => ({
          number: g.number,
          code: g.code,
          title_en: g.title.en,
          title_de: g.title.de,
          short_title_en: g.shortTitle.en,
          short_title_de: g.shortTitle.de,
          colour: g.colour,
        })),
      )
      .onConflict((oc) =>
        oc.column('number').doUpdateSet((eb) => ({
          code: eb.ref('excluded.code'),
          title_en: eb.ref('excluded.title_en'),
          title_de: eb.ref('excluded.title_de'),
          short_title_en: eb.ref('excluded.short_title_en'),
          short_title_de: eb.ref('excluded.short_title_de'),
          colour: eb.ref('excluded.colour'),
        })),
      )
      .execute();

    await trx
      .insertInto('sdg_target')
      .values(
        catalogue.targets.map((t, position) => ({
          code: t.code,
          goal: t.goal,
          position,
          title_en: t.title.en,
          title_de: t.title.de,
        })),
      )
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          goal: eb.ref('excluded.goal'),
          position: eb.ref('excluded.position'),
          title_en: eb.ref('excluded.title_en'),
          title_de: eb.ref('excluded.title_de'),
        })),
      )
      .execute();

    await trx
      .insertInto('sdg_indicator')
      .values(
        catalogue.indicators.map((i, position) => ({
          code: i.code,
          target_code: i.target,
          position,
          title_en: i.title.en,
          title_de: i.title.de ?? null,
        })),
      )
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          target_code: eb.ref('excluded.target_code'),
          position: eb.ref('excluded.position'),
          title_en: eb.ref('excluded.title_en'),
          title_de: eb.ref('excluded.title_de'),
        })),
      )
      .execute();

    await trx
      .insertInto('topic')
      .values(
        topics.map((t, position) => ({
          code: t.code,
          position,
          name_en: t.name.en,
          name_de: t.name.de,
        })),
      )
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          position: eb.ref('excluded.position'),
          name_en: eb.ref('excluded.name_en'),
          name_de: eb.ref('excluded.name_de'),
        })),
      )
      .execute();
    await trx
      .insertInto('topic_sdg')
      .values(topics.flatMap((t) => t.sdgs.map((goal) => ({ topic_code: t.code, goal }))))
      .onConflict((oc) => oc.doNothing())
      .execute();

    await trx
      .insertInto('indicator')
      .values(
        indicators.map((i, position) => ({
          code: i.code,
          position,
          goal: i.goal,
          unit: i.unit,
          source: i.source,
          name_en: i.name.en,
          name_de: i.name.de,
          description_en: i.description.en,
          description_de: i.description.de,
        })),
      )
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          position: eb.ref('excluded.position'),
          goal: eb.ref('excluded.goal'),
          name_en: eb.ref('excluded.name_en'),
          name_de: eb.ref('excluded.name_de'),
          description_en: eb.ref('excluded.description_en'),
          description_de: eb.ref('excluded.description_de'),
        })),
      )
      .execute();
    // The SDG mapping of a programme indicator is part of its definition: replace it wholesale.
    await sql`DELETE FROM indicator_sdg WHERE indicator_id IN (SELECT id FROM indicator WHERE code IN (${sql.join(indicators.map((i) => i.code))}))`.execute(
      trx,
    );
    await sql`
      INSERT INTO indicator_sdg (indicator_id, goal)
      SELECT indicator.id, mapping.goal
      FROM jsonb_to_recordset(${JSON.stringify(
        indicators.flatMap((i) => i.sdgs.map((goal) => ({ code: i.code, goal }))),
      )}::jsonb) AS mapping(code text, goal smallint)
      JOIN indicator ON indicator.code = mapping.code`.execute(trx);
  });
}
