import { topics } from '@udx/migrations/catalogue';
import { builder } from '../../builder.ts';
import { notFound } from '../city/city.access.ts';
import { SdgGoal } from '../sdg/sdg.schema.ts';
import { groupRows, rowsByKey } from '../shared/batch.ts';
import { inRequestLanguage } from '../shared/language.ts';
import {
  findAllTopics,
  findGoalsOfTopics,
  findTopicsByCodes,
  type TopicRow,
} from './topic.repository.ts';

/**
 * The topic codes of the programme (docs/methodology.md, "The data model"); admins may add topics
 * to the catalogue.
 */
export const TopicCode = builder.enumType('TopicCode', {
  description: 'A topic of the 2030 Agenda that partnerships and exchanges work on.',
  values: Object.fromEntries(
    topics.map((topic) => [topic.code, { value: topic.code, description: topic.name.en }]),
  ),
});

/** Loads topics by code, batched per request; exchanges and partnerships refer to topics through it. */
export const Topic = builder.loadableObjectRef<TopicRow, string>('Topic', {
  load: async (codes, context) =>
    rowsByKey(
      codes,
      await findTopicsByCodes(context.db, codes),
      (row) => row.code,
      () => notFound('topic'),
    ),
  sort: (topic) => topic.code,
});

Topic.implement({
  description: 'A topic of the 2030 Agenda, e.g. sponge city, with the SDGs it serves.',
  fields: (t) => ({
    code: t.field({
      type: TopicCode,
      description: 'The stable code of the topic, used in inputs.',
      // the catalogue's codes are the enum's values
      resolve: (topic) => topic.code as never,
    }),
    name: t.string({
      description: 'The name of the topic, in the language of the request.',
      resolve: inRequestLanguage('name'),
    }),
    sdgs: t.loadableList({
      type: SdgGoal,
      description: 'The SDG goals the topic serves by default, in goal order.',
      load: async (codes: string[], context) =>
        groupRows(codes, await findGoalsOfTopics(context.db, codes), (row) => row.topic_code),
      resolve: (topic) => topic.code,
    }),
  }),
});

builder.queryField('topics', (t) =>
  t.field({
    type: [Topic],
    description:
      'The topics partnerships and exchanges can choose, in display order. Open to everyone.',
    resolve: (_root, _args, context) => findAllTopics(context.db),
  }),
);
