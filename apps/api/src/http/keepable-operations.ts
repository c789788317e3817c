import {
  type DocumentNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';

// Which operations' answers may be kept and served again (`kept-answers.ts`).

const TOTALS = ['cities', 'departments', 'exchanges', 'outcomes', 'participants', 'partnerships'];

function fieldsOf(type: string, fields: readonly string[]): string[] {
  return fields.map((field) => `${type}.${field}`);
}

/**
 * The fields whose value depends on nothing but the data (every table of which raises the data
 * version when written), the arguments, the viewer's role and city, the language and the day.
 * Fields that read accounts, sessions or the audit trail, that depend on who the viewer is
 * (their own records), on the time of day, or that may return any kind of record (`node`) are
 * not here: an operation that asks for one of them is always executed. A field missing here
 * costs speed, never correctness; add one only when that holds for it.
 */
export const DATA_FIELDS: ReadonlySet<string> = new Set([
  // the dashboard's figures
  'Query.dashboard',
  'Query.programmeTotals',
  'Query.programmeTotalsChange',
  'Dashboard.breakdown',
  'Dashboard.breakdownPage',
  'Dashboard.departmentLinks',
  'Dashboard.goals',
  'Dashboard.partnershipMap',
  'Dashboard.previousPeriod',
  'Dashboard.previousTotals',
  'Dashboard.scope',
  'Dashboard.sdgs',
  'Dashboard.totals',
  'Dashboard.totalsChange',
  'DashboardPeriod.from',
  'DashboardPeriod.to',
  'DashboardScope.city',
  'DashboardScope.cityId',
  'DashboardScope.countryCode',
  'DashboardScope.from',
  'DashboardScope.partnership',
  'DashboardScope.partnershipId',
  'DashboardScope.to',
  ...fieldsOf('DashboardTotals', TOTALS),
  ...fieldsOf('TotalsChange', TOTALS),
  'DepartmentLink.exchangeCount',
  'DepartmentLink.germanDepartment',
  'DepartmentLink.partnerDepartment',
  ...fieldsOf('PartnershipMap', ['cities', 'countries', 'links']),
  ...fieldsOf('PartnershipMapCity', [
    'countryCode',
    'id',
    'isGerman',
    'latitude',
    'longitude',
    'name',
    'partnershipCount',
  ]),
  ...fieldsOf('PartnershipMapLink', [
    'germanCityId',
    'partnerCityId',
    'partnershipCount',
    'partnershipId',
  ]),
  ...fieldsOf('PartnershipMapCountry', ['countryCode', 'partnershipCount']),
  'GoalSummary.goal',
  'GoalSummary.indicators',
  ...fieldsOf('IndicatorSummary', [
    'baseline',
    'change',
    'indicator',
    'previousValue',
    'progress',
    'referenceDate',
    'status',
    'target',
    'unit',
    'value',
    'year',
    'yearValue',
  ]),
  ...fieldsOf('IndicatorStatusCounts', [
    'atRisk',
    'behind',
    'noData',
    'noTarget',
    'offTrack',
    'onTrack',
  ]),
  ...fieldsOf('PartnershipBreakdown', [
    'hasOwnTargets',
    'indicators',
    'partnership',
    'statusCounts',
    'totals',
  ]),
  ...fieldsOf('SdgSummary', [
    'change',
    'exchangeCount',
    'goal',
    'indicators',
    'outcomeCount',
    'partnershipCount',
    'previous',
  ]),
  ...fieldsOf('SdgCounts', ['exchangeCount', 'outcomeCount', 'partnershipCount']),
  // the catalogue
  'Query.indicator',
  'Query.indicators',
  'Query.sdgGoals',
  'Query.topics',
  ...fieldsOf('Indicator', ['code', 'description', 'direction', 'goal', 'id', 'name', 'unit']),
  'Indicator.sdgs',
  'Indicator.series',
  ...fieldsOf('IndicatorPoint', ['baseline', 'period', 'target', 'value']),
  ...fieldsOf('SdgGoal', ['code', 'colour', 'number', 'shortTitle', 'targets', 'title']),
  ...fieldsOf('SdgTarget', ['code', 'goal', 'title']),
  ...fieldsOf('Topic', ['code', 'name']),
  // the records figures are counted from, as the lists show them
  'Query.cities',
  'Query.city',
  'Query.exchanges',
  'Query.outcomes',
  'Query.partnerships',
  ...fieldsOf('City', [
    'countryCode',
    'departments',
    'id',
    'isDemo',
    'latitude',
    'longitude',
    'name',
    'partnerships',
    'population',
    'region',
  ]),
  ...fieldsOf('Department', ['city', 'id', 'isDemo', 'name', 'type']),
  ...fieldsOf('Partnership', [
    'exchanges',
    'germanCity',
    'id',
    'isDemo',
    'joinedOn',
    'partnerCity',
    'sdgs',
    'status',
    'topics',
    'twinnedSince',
  ]),
  ...fieldsOf('Exchange', [
    'departments',
    'endsOn',
    'format',
    'hostCity',
    'id',
    'kind',
    'participantCount',
    'partnership',
    'sdgTargets',
    'startsOn',
    'title',
  ]),
  ...fieldsOf('Outcome', ['date', 'exchange', 'id', 'kind', 'partnership', 'status', 'title']),
  ...['City', 'Exchange', 'Outcome', 'Partnership', 'PartnershipBreakdown'].flatMap((type) => [
    `${type}Connection.edges`,
    `${type}Connection.pageInfo`,
    `${type}Connection.totalCount`,
    `${type}Edge.cursor`,
    `${type}Edge.node`,
  ]),
  'OutcomeConnection.countedCount',
  ...fieldsOf('PageInfo', ['endCursor', 'hasNextPage', 'hasPreviousPage', 'startCursor']),
  // the public figures (README, "Open data and public figures")
  'Query.publicPartnership',
  'Query.publicProgramme',
]);

/**
 * Types every field of which is a data field: the public figures' own types, which show
 * anonymous readers the approved figures and nothing that depends on who asks.
 */
const PUBLIC_TYPE = /^Public[A-Z]/;

/** Whether an answer to `operation` of `document` may be kept and served again (see above). */
export function isKeepableOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): boolean {
  if (operation.operation !== 'query') return false;
  // a document of several operations: only the one chosen counts, but its fragments are shared
  if (document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d !== operation)) {
    return false;
  }
  const typeInfo = new TypeInfo(schema);
  let keepable = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(field) {
        const name = field.name.value;
        if (name === '__typename') return;
        const parent = typeInfo.getParentType()?.name;
        if (parent && (PUBLIC_TYPE.test(parent) || DATA_FIELDS.has(`${parent}.${name}`))) return;
        keepable = false;
      },
    }),
  );
  return keepable;
}
