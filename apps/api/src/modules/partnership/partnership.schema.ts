import { builder } from '../../builder.ts';
import { accessOf } from '../city/city.access.ts';
import { City } from '../city/city.schema.ts';
import { SdgGoal } from '../sdg/sdg.schema.ts';
import { groupRows } from '../shared/batch.ts';
import { resolveCountedConnection, resolveTotalCount } from '../shared/connection.ts';
import { decodeNodeId } from '../shared/global-id.ts';
import { toPayload } from '../shared/mutation.ts';
import { databaseNodeRef } from '../shared/node-ref.ts';
import { searchText, searchWords } from '../shared/search.ts';
import { payloadType } from '../shared/user-error.ts';
import { Topic, TopicCode } from '../topic/topic.schema.ts';
import {
  countPartnerships,
  findGoalsOfPartnerships,
  findPartnershipsByIds,
  findPartnershipsOfCities,
  findPartnershipsPage,
  findTopicsOfPartnerships,
  type PartnershipFilter,
} from './partnership.repository.ts';
import { createPartnership } from './partnership.service.ts';

export const PartnershipStatus = builder.enumType('PartnershipStatus', {
  description: 'Where a partnership stands in the programme.',
  values: {
    ACTIVE: { description: 'Taking part in the programme.' },
    PAUSED: { description: 'Taking part, but paused for now.' },
    ENDED: { description: 'No longer taking part; its records stay.' },
  } as const,
});

/**
 * Partnerships as Relay nodes. The loader only returns partnerships the viewer may see (a city
 * account: those of its city); any other id answers "not found".
 */
export const Partnership = databaseNodeRef('Partnership', 'partnership', (context, ids) =>
  findPartnershipsByIds(context.db, ids, accessOf(context)),
);

Partnership.implement({
  description: 'A German city and its twin town taking part in the programme together.',
  fields: (t) => ({
    germanCity: t.field({
      type: City,
      description: 'The German city.',
      resolve: (partnership) => partnership.german_city_id,
    }),
    partnerCity: t.field({
      type: City,
      description: 'The twin town (in this programme in the United States or United Kingdom).',
      resolve: (partnership) => partnership.partner_city_id,
    }),
    twinnedSince: t.exposeInt('twinned_since', {
      nullable: true,
      description: 'The year the two cities were twinned.',
    }),
    joinedOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'The day the partnership joined the programme.',
      resolve: (partnership) => partnership.joined_on,
    }),
    status: t.field({
      type: PartnershipStatus,
      description: 'Active, paused or ended.',
      resolve: (partnership) => partnership.status,
    }),
    topics: t.loadableList({
      type: Topic,
      description: 'The topics the partnership chose, in display order.',
      load: async (ids: number[], context) =>
        groupRows(ids, await findTopicsOfPartnerships(context.db, ids), (r) => r.partnership_id),
      resolve: (partnership) => partnership.id,
    }),
    sdgs: t.loadableList({
      type: SdgGoal,
      description: 'The focus SDGs of the partnership, in goal order.',
      load: async (ids: number[], context) =>
        groupRows(ids, await findGoalsOfPartnerships(context.db, ids), (r) => r.partnership_id),
      resolve: (partnership) => partnership.id,
    }),
    isDemo: t.exposeBoolean('is_demo', {
      description: 'True for the synthetic demo data set; its figures are not real.',
    }),
  }),
});

builder.objectField(City, 'partnerships', (t) =>
  t.loadableList({
    type: Partnership,
    description:
      'The partnerships of the city, on either side. A city account sees only those of its own city.',
    load: async (ids: number[], context) =>
      groupRows(
        ids,
        await findPartnershipsOfCities(context.db, ids, accessOf(context)),
        (r) => r.city_id,
      ),
    resolve: (city) => city.id,
  }),
);

builder.queryField('partnerships', (t) =>
  t.connection(
    {
      type: Partnership,
      description:
        'The partnerships the viewer may see, oldest first: all for the Foreign Office and ' +
        "SKEW; a city account's own partnerships.",
      authScopes: { signedIn: true },
      args: {
        countryCode: t.arg.string({
          required: false,
          description: 'Only partnerships whose partner city is in this country (ISO 3166-1).',
        }),
        cityId: t.arg.id({
          required: false,
          description: 'Only partnerships of this city (either side).',
        }),
        status: t.arg({
          type: PartnershipStatus,
          required: false,
          description: 'Only partnerships with this status.',
        }),
        search: t.arg.string({
          required: false,
          description:
            'Only partnerships either of whose cities has this text in its name, in any case ' +
            '(a choice list searched as one types).',
          validate: searchText,
        }),
      },
      resolve: async (_root, args, context) => {
        const access = accessOf(context);
        const filter: PartnershipFilter = {
          countryCode: args.countryCode?.trim().toUpperCase() || undefined,
          status: args.status ?? undefined,
          search: searchWords(args.search),
        };
        if (args.cityId != null) filter.cityId = decodeNodeId(String(args.cityId), 'City') ?? 0;
        return resolveCountedConnection(
          args,
          (page) => findPartnershipsPage(context.db, access, filter, page),
          () => countPartnerships(context.db, access, filter),
        );
      },
    },
    {
      name: 'PartnershipConnection',
      description: 'A page of partnerships.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many partnerships the whole list has.',
          resolve: resolveTotalCount,
        }),
      }),
    },
    { name: 'PartnershipEdge', description: 'A partnership in a page of partnerships.' },
  ),
);

const CreatePartnershipInput = builder.inputType('CreatePartnershipInput', {
  description: 'A partnership to add to the programme.',
  fields: (t) => ({
    germanCityId: t.id({ required: true, description: 'The German city.' }),
    partnerCityId: t.id({ required: true, description: 'The twin town, outside Germany.' }),
    twinnedSince: t.int({ required: false, description: 'The year the cities were twinned.' }),
    joinedOn: t.field({
      type: 'Date',
      required: false,
      description: 'The day it joined the programme.',
    }),
    topics: t.field({ type: [TopicCode], required: false, description: 'The topics it chose.' }),
  }),
});

const CreatePartnershipPayload = payloadType(
  'CreatePartnership',
  'partnership',
  Partnership,
  'The partnership added, or why it was not.',
);

builder.mutationField('createPartnership', (t) =>
  t.field({
    type: CreatePartnershipPayload,
    description:
      'Adds a partnership of a German city and its twin town. SKEW administration only. Its ' +
      'focus SDGs are 11, 16 and 17 and the default SDGs of its topics.',
    args: {
      input: t.arg({
        type: CreatePartnershipInput,
        required: true,
        description: 'The partnership.',
      }),
    },
    resolve: async (_root, { input }, context) => {
      return toPayload(
        await createPartnership(context, {
          ...input,
          germanCityId: String(input.germanCityId),
          partnerCityId: String(input.partnerCityId),
        }),
        'partnership',
      );
    },
  }),
);
