import { GraphQLError } from 'graphql';
import { builder } from '../../builder.ts';
import { resolveCountedConnection, resolveTotalCount } from '../shared/connection.ts';
import { decodeNodeId } from '../shared/global-id.ts';
import { toPayload } from '../shared/mutation.ts';
import { databaseNodeRef } from '../shared/node-ref.ts';
import { searchText, searchWords } from '../shared/search.ts';
import { payloadType } from '../shared/user-error.ts';
import { accessOf } from './city.access.ts';
import { countCities, findCitiesByIds, findCitiesPage } from './city.repository.ts';
import { createCity } from './city.service.ts';

/**
 * Cities as Relay nodes. The loader only returns cities the viewer may see; any other id answers
 * "not found", exactly like an id that does not exist.
 */
export const City = databaseNodeRef('City', 'city', (context, ids) =>
  findCitiesByIds(context.db, ids, accessOf(context)),
);

City.implement({
  description: 'A German city or one of its twin towns in the programme.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name of the city.' }),
    countryCode: t.exposeString('country_code', {
      description: 'The ISO 3166-1 alpha-2 code of its country, e.g. "DE", "US", "GB".',
    }),
    region: t.exposeString('region', {
      nullable: true,
      description: 'The state or region (Land, US state, UK nation or county).',
    }),
    population: t.exposeInt('population', { nullable: true, description: 'Inhabitants.' }),
    latitude: t.exposeFloat('latitude', { nullable: true, description: 'WGS 84 latitude.' }),
    longitude: t.exposeFloat('longitude', { nullable: true, description: 'WGS 84 longitude.' }),
    isDemo: t.exposeBoolean('is_demo', {
      description: 'True for the synthetic demo data set; its figures are not real.',
    }),
  }),
});

builder.queryField('city', (t) =>
  t.field({
    type: City,
    nullable: true,
    description:
      'One city by its global id, as `node` finds it but typed: a city the viewer may not see ' +
      'answers "not found" like one that does not exist. Unlike `node`, whose answer may be any ' +
      'kind of record, a query of cities and figures alone may be kept and served again ' +
      '(docs/architecture.md, "Caches and the data version").',
    authScopes: { signedIn: true },
    args: { id: t.arg.id({ required: true, description: 'The city’s global id.' }) },
    resolve: (_root, args) => {
      const id = decodeNodeId(String(args.id), 'City');
      if (id === null) {
        throw new GraphQLError('id is not a city id', {
          extensions: { code: 'BAD_USER_INPUT', field: 'id' },
        });
      }
      return id;
    },
  }),
);

builder.queryField('cities', (t) =>
  t.connection(
    {
      type: City,
      description:
        'The cities the viewer may see, ordered by country and name: every city for the ' +
        "Foreign Office and SKEW; a city account's own city and its partner cities.",
      authScopes: { signedIn: true },
      args: {
        countryCode: t.arg.string({
          required: false,
          description: 'Only cities of this country (ISO 3166-1 alpha-2).',
        }),
        search: t.arg.string({
          required: false,
          description:
            'Only cities with this text in their name, in any case (a choice list searched as ' +
            'one types).',
          validate: searchText,
        }),
      },
      resolve: async (_root, args, context) => {
        const access = accessOf(context);
        const filter = {
          countryCode: args.countryCode?.trim().toUpperCase() || undefined,
          search: searchWords(args.search),
        };
        return resolveCountedConnection(
          args,
          (page) => findCitiesPage(context.db, access, filter, page),
          () => countCities(context.db, access, filter),
        );
      },
    },
    {
      name: 'CityConnection',
      description: 'A page of cities.',
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many cities the whole list has.',
          resolve: resolveTotalCount,
        }),
      }),
    },
    { name: 'CityEdge', description: 'A city in a page of cities.' },
  ),
);

const CreateCityInput = builder.inputType('CreateCityInput', {
  description: 'A city to add to the programme.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'The name of the city.' }),
    countryCode: t.string({ required: true, description: 'ISO 3166-1 alpha-2, e.g. "DE".' }),
    region: t.string({ required: false, description: 'State or region.' }),
    population: t.int({ required: false, description: 'Inhabitants.' }),
    latitude: t.float({ required: false, description: 'WGS 84 latitude, -90 to 90.' }),
    longitude: t.float({ required: false, description: 'WGS 84 longitude, -180 to 180.' }),
  }),
});

const CreateCityPayload = payloadType(
  'CreateCity',
  'city',
  City,
  'The city added, or why it was not.',
);

builder.mutationField('createCity', (t) =>
  t.field({
    type: CreateCityPayload,
    description: 'Adds a city. SKEW administration only.',
    args: { input: t.arg({ type: CreateCityInput, required: true, description: 'The city.' }) },
    resolve: async (_root, { input }, context) => {
      return toPayload(await createCity(context, input), 'city');
    },
  }),
);
