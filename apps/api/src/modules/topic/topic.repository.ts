import type { Db } from '@udx/db/database';
import type { Database } from '@udx/db/schema';
import type { Selectable } from 'kysely';

export type TopicRow = Selectable<Database['topic']>;

/** Every topic in its display order. */
export function findAllTopics(db: Db): Promise<TopicRow[]> {
  return db.selectFrom('topic').selectAll().orderBy('position').execute();
}

/** Topics by code, for dataloaders; unknown codes are absent. */
export function findTopicsByCodes(db: Db, codes: readonly string[]): Promise<TopicRow[]> {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('topic').selectAll().where('code', 'in', codes).execute();
}

/** The default SDG goals of several topics at once, each goal row with its topic's code. */
export function findGoalsOfTopics(
  db: Db,
  codes: readonly string[],
): Promise<(Selectable<Database['sdg_goal']> & { topic_code: string })[]> {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('topic_sdg')
    .innerJoin('sdg_goal', 'sdg_goal.number', 'topic_sdg.goal')
    .selectAll('sdg_goal')
    .select('topic_sdg.topic_code')
    .where('topic_sdg.topic_code', 'in', codes)
    .orderBy('sdg_goal.number')
    .execute();
}
