import type { DepartmentType, OutcomeKind } from '@udx/db/schema';

/**
 * The words the demo data set is written in: department names as the cities' own
 * administrations would name them, and titles that read like programme activity.
 * `{host}`, `{guest}`, `{german}`, `{partner}` and `{theme}` are filled in per row.
 */

export type TopicCode =
  | 'SUSTAINABLE_TRANSPORT'
  | 'CLIMATE_NEUTRAL_PLANNING'
  | 'ZERO_WASTE'
  | 'SPONGE_CITY'
  | 'SOCIAL_CITY';

export const topicCodes: readonly TopicCode[] = [
  'SUSTAINABLE_TRANSPORT',
  'CLIMATE_NEUTRAL_PLANNING',
  'ZERO_WASTE',
  'SPONGE_CITY',
  'SOCIAL_CITY',
];

/** Default SDG goals of each topic, as in the programme catalogue. */
export const topicGoals: Record<TopicCode, number[]> = {
  SUSTAINABLE_TRANSPORT: [9, 11],
  CLIMATE_NEUTRAL_PLANNING: [7, 11, 13],
  ZERO_WASTE: [11, 12],
  SPONGE_CITY: [6, 11, 13],
  SOCIAL_CITY: [1, 10, 11],
};

/** How a topic reads inside a sentence ("Mayors' dialogue on ..."). */
export const topicTheme: Record<TopicCode, string> = {
  SUSTAINABLE_TRANSPORT: 'sustainable urban transport',
  CLIMATE_NEUTRAL_PLANNING: 'climate-neutral urban development',
  ZERO_WASTE: 'a zero-waste city',
  SPONGE_CITY: 'climate adaptation and sponge cities',
  SOCIAL_CITY: 'social cohesion in neighbourhoods',
};

/** SDG targets (all in the reference catalogue) that each topic's activity typically addresses. */
export const topicTargets: Record<TopicCode, string[]> = {
  SUSTAINABLE_TRANSPORT: ['11.2', '9.1', '3.6', '11.6', '9.4'],
  CLIMATE_NEUTRAL_PLANNING: ['13.2', '7.2', '7.3', '11.b', '13.3', '11.6'],
  ZERO_WASTE: ['12.5', '12.3', '11.6', '12.2', '12.8'],
  SPONGE_CITY: ['6.3', '6.4', '11.5', '13.1', '6.6', '11.7'],
  SOCIAL_CITY: ['11.1', '10.2', '1.4', '11.3', '11.7', '10.3'],
};

/** SDG targets of the partnership itself: institutions, participation, partnerships. */
export const cooperationTargets: readonly string[] = ['16.7', '17.17', '11.a', '16.6', '17.16'];

/** Department types that work on each topic, the first being the lead. */
export const topicDepartments: Record<TopicCode, DepartmentType[]> = {
  SUSTAINABLE_TRANSPORT: ['MOBILITY', 'URBAN_PLANNING'],
  CLIMATE_NEUTRAL_PLANNING: ['CLIMATE_PROTECTION', 'URBAN_PLANNING', 'ENVIRONMENT'],
  ZERO_WASTE: ['WASTE_MANAGEMENT', 'ENVIRONMENT', 'ECONOMIC_DEVELOPMENT'],
  SPONGE_CITY: ['WATER', 'ENVIRONMENT', 'URBAN_PLANNING'],
  SOCIAL_CITY: ['SOCIAL_AFFAIRS', 'URBAN_PLANNING', 'EDUCATION'],
};

export type NameStyle = 'DE' | 'US' | 'GB';

/** Department names per administrative tradition; a city takes one variant per type. */
export const departmentNames: Record<NameStyle, Record<DepartmentType, string[]>> = {
  DE: {
    INTERNATIONAL_OFFICE: [
      'Büro für Internationale Angelegenheiten',
      'Referat für Internationales',
      'Amt für Internationales und Städtepartnerschaften',
      'Stabsstelle Internationale Beziehungen',
    ],
    MAYORS_OFFICE: ['Oberbürgermeisterbüro', 'Büro der Stadtspitze'],
    ENVIRONMENT: ['Amt für Umweltschutz', 'Umweltamt', 'Amt für Umwelt und Naturschutz'],
    CLIMATE_PROTECTION: [
      'Klimaschutzmanagement',
      'Stabsstelle Klimaschutz',
      'Amt für Klimaschutz und Klimaanpassung',
    ],
    URBAN_PLANNING: [
      'Stadtplanungsamt',
      'Amt für Stadtentwicklung und Stadtplanung',
      'Referat für Stadtplanung und Bauordnung',
    ],
    MOBILITY: ['Amt für Mobilität und Verkehrsplanung', 'Mobilitätsreferat', 'Straßenverkehrsamt'],
    WASTE_MANAGEMENT: [
      'Abfallwirtschaftsbetrieb',
      'Amt für Abfallwirtschaft und Stadtreinigung',
      'Eigenbetrieb Stadtreinigung',
    ],
    WATER: [
      'Stadtentwässerung',
      'Tiefbauamt, Abteilung Stadtentwässerung',
      'Amt für Gewässerschutz und Entwässerung',
    ],
    SOCIAL_AFFAIRS: ['Sozialamt', 'Amt für Soziales und Wohnen', 'Sozialreferat'],
    ECONOMIC_DEVELOPMENT: ['Amt für Wirtschaftsförderung', 'Wirtschaftsförderung'],
    CULTURE: ['Kulturamt', 'Kulturreferat'],
    EDUCATION: ['Amt für Schule und Bildung', 'Bildungsbüro'],
    OTHER: ['Amt für Digitalisierung', 'Stabsstelle Bürgerbeteiligung'],
  },
  US: {
    INTERNATIONAL_OFFICE: [
      'Office of International Affairs',
      'Office of International Relations',
      'Sister Cities Program Office',
    ],
    MAYORS_OFFICE: ["Mayor's Office", 'Office of the Mayor'],
    ENVIRONMENT: ['Department of Environment', 'Office of Environmental Quality'],
    CLIMATE_PROTECTION: ['Office of Sustainability', 'Office of Climate Resilience'],
    URBAN_PLANNING: ['Department of City Planning', 'Planning and Development Department'],
    MOBILITY: ['Department of Transportation', 'Office of Mobility'],
    WASTE_MANAGEMENT: ['Department of Sanitation', 'Solid Waste and Recycling Division'],
    WATER: ['Stormwater Management Division', 'Department of Water Management'],
    SOCIAL_AFFAIRS: ['Department of Human Services', 'Department of Neighborhood Services'],
    ECONOMIC_DEVELOPMENT: ['Economic Development Department', 'Office of Economic Development'],
    CULTURE: ['Department of Cultural Affairs', 'Office of Arts and Culture'],
    EDUCATION: ['Office of Education and Youth', 'Youth and Education Office'],
    OTHER: ['Department of Innovation and Technology', 'Office of Community Engagement'],
  },
  GB: {
    INTERNATIONAL_OFFICE: ['International Relations Team', 'International Partnerships Office'],
    MAYORS_OFFICE: ['Office of the Council Leader', 'Civic and Mayoral Office'],
    ENVIRONMENT: ['Environmental Services', 'Environment and Parks Service'],
    CLIMATE_PROTECTION: ['Climate Change Team', 'Net Zero and Sustainability Team'],
    URBAN_PLANNING: ['Planning and Regeneration', 'Planning Policy Team'],
    MOBILITY: ['Transport and Highways', 'Sustainable Transport Team'],
    WASTE_MANAGEMENT: ['Waste and Recycling Services', 'Street Scene and Waste Services'],
    WATER: ['Flood Risk Management Team', 'Drainage and Flood Resilience'],
    SOCIAL_AFFAIRS: ['Communities and Neighbourhoods', 'Housing and Social Care'],
    ECONOMIC_DEVELOPMENT: ['Economic Development', 'Inward Investment and Growth'],
    CULTURE: ['Culture and Events', 'Arts and Heritage Service'],
    EDUCATION: ['Education and Skills', 'Children and Young People Service'],
    OTHER: ['Digital Services', 'Community Engagement Team'],
  },
};

/** The city-states name their head office differently. */
export const cityStateMayorsOffice = 'Senatskanzlei';

export interface TitleTemplate {
  text: string;
  /** Only for exchanges where people travel (in person or hybrid). */
  visit?: true;
}

export const technicalTitles: Record<TopicCode, TitleTemplate[]> = {
  SUSTAINABLE_TRANSPORT: [
    { text: 'Study visit to {host}: protected cycle lanes on arterial roads', visit: true },
    { text: 'Workshop: safe routes to school and school streets' },
    { text: 'Expert exchange on tram and bus priority at junctions' },
    { text: 'Parking management and kerbside space: lessons from both cities' },
    { text: 'Mobility hubs at suburban rail stations: planning and operation' },
    { text: 'Site visit: car-free neighbourhood pilot in {host}', visit: true },
    { text: 'Peer review of the cycling strategies of {german} and {partner}' },
    { text: 'Electric buses in municipal fleets: procurement and charging depots' },
    { text: 'Data workshop: counting pedestrians and cyclists' },
    { text: 'Low-traffic neighbourhoods: consultation and evaluation' },
  ],
  CLIMATE_NEUTRAL_PLANNING: [
    { text: 'Climate-neutral districts: energy standards in new development' },
    { text: 'Study visit to {host}: heat networks and municipal utilities', visit: true },
    { text: 'Workshop: municipal heat planning and building retrofits' },
    { text: 'Expert exchange on climate action plans and carbon budgets' },
    { text: 'Solar on public roofs: procurement and citizen finance models' },
    { text: 'Climate impact check for council decisions: methods compared' },
    { text: 'Site visit: timber construction in a new residential quarter in {host}', visit: true },
    { text: 'Greenhouse gas accounting for cities: a joint methods workshop' },
    { text: 'Urban heat: cooling the city centre through planning' },
    { text: 'Energy management in schools and other public buildings' },
  ],
  ZERO_WASTE: [
    { text: 'Zero-waste strategies compared: targets, measures and monitoring' },
    { text: 'Study visit to {host}: repair cafés and reuse centres', visit: true },
    { text: 'Workshop: reducing food waste in school and hospital kitchens' },
    { text: 'Separate collection of organic waste: logistics and communication' },
    { text: 'Reusable cups and containers in the city centre: pilot design' },
    { text: 'Circular procurement in city administrations' },
    { text: 'Site visit: construction waste recycling yard in {host}', visit: true },
    { text: 'Zero-waste events: guidelines for festivals and markets' },
    { text: 'Expert exchange on litter prevention in parks and public spaces' },
    { text: 'Textile collection and second-hand markets: the role of the city' },
  ],
  SPONGE_CITY: [
    { text: 'Sponge city workshop: rainwater retention in new districts' },
    { text: 'Study visit to {host}: green roofs and infiltration swales', visit: true },
    { text: 'Heavy-rain hazard maps: methods and public communication' },
    { text: 'Expert exchange on tree pits as rainwater storage' },
    { text: 'Unsealing schoolyards and squares: design and maintenance' },
    { text: 'Flood resilience of critical infrastructure: a joint table-top exercise' },
    { text: 'Site visit: multifunctional retention areas in the parks of {host}', visit: true },
    { text: 'Stormwater fees and incentives for private property owners' },
    { text: 'Drought and street trees: irrigation with stored rainwater' },
    { text: 'Blue-green infrastructure in street redesign' },
  ],
  SOCIAL_CITY: [
    { text: 'Neighbourhood management in disadvantaged districts: peer exchange' },
    {
      text: 'Study visit to {host}: community centres with social services under one roof',
      visit: true,
    },
    { text: 'Affordable housing: municipal land policy compared' },
    { text: 'Workshop: preventing homelessness through early intervention' },
    { text: 'Youth participation in urban planning' },
    { text: 'Welcoming newcomers: welcome centres and language programmes' },
    { text: 'Site visit: intergenerational housing project in {host}', visit: true },
    { text: 'Energy poverty: support for low-income households' },
    { text: 'Participatory budgets at neighbourhood level' },
    { text: 'Accessible public spaces: planning with people with disabilities' },
  ],
};

export const kickOffTitle =
  'Kick-off: {german} and {partner} launch their Urban Diplomacy Exchange';

export const politicalTitles: TitleTemplate[] = [
  { text: "Mayors' dialogue on {theme}" },
  { text: 'Council delegation from {guest} visits {host}: {theme}', visit: true },
  { text: 'Political roundtable: {theme} and the 2030 Agenda' },
  { text: "Councillors' exchange on {theme}: local commitments to the 2030 Agenda" },
  { text: 'City leaders in {host}: {theme} in practice', visit: true },
  { text: 'Annual political review of the partnership between {german} and {partner}' },
  { text: 'Joint statement of the mayors on {theme}: preparatory dialogue' },
  { text: 'Dialogue with state and national representatives on {theme}' },
];

/** Outcome titles per kind; topic-specific where the kind is about content. */
export const outcomeTitles: Record<OutcomeKind, Record<TopicCode, string[]>> = {
  NEW_APPROACH: {
    SUSTAINABLE_TRANSPORT: [
      'Joint approach to school streets around primary schools',
      'Shared method for evaluating the safety of cycle lanes',
      'Common design standard for mobility hubs',
    ],
    CLIMATE_NEUTRAL_PLANNING: [
      'Joint approach to municipal heat planning',
      'Shared climate impact check for council decisions',
      'Common method for district energy concepts',
    ],
    ZERO_WASTE: [
      'Joint approach to food waste prevention in school kitchens',
      'Shared operating model for reuse centres',
      'Common criteria for zero-waste events',
    ],
    SPONGE_CITY: [
      'Joint approach to rainwater retention in new districts',
      'Shared method for heavy-rain risk communication',
      'Common tree-pit design for rainwater storage',
    ],
    SOCIAL_CITY: [
      'Joint approach to early homelessness prevention',
      'Shared model for neighbourhood participatory budgets',
      'Common approach to welcoming newcomers',
    ],
  },
  JOINT_PROJECT: {
    SUSTAINABLE_TRANSPORT: [
      'Pilot school streets in {german} and {partner}',
      'Joint cycle-counting network',
      'Shared pilot for charging electric buses at depots',
    ],
    CLIMATE_NEUTRAL_PLANNING: [
      'Twin-city solar schools project',
      'Joint retrofit pilot for public buildings',
      'Shared urban heat mapping project',
    ],
    ZERO_WASTE: [
      'Twin-city reusable cup pilot',
      'Joint network of repair cafés',
      'Organic waste collection pilot in two districts',
    ],
    SPONGE_CITY: [
      'Twin-city green roof pilot on public buildings',
      'Joint schoolyard unsealing project',
      'Rain-garden street pilot',
    ],
    SOCIAL_CITY: [
      'Joint youth participation project',
      'Twin-city intergenerational housing pilot',
      'Energy advice for low-income households in both cities',
    ],
  },
  AGREEMENT: {
    SUSTAINABLE_TRANSPORT: [
      'Memorandum of understanding on sustainable urban transport',
      'Letter of intent on cooperation in cycling and public transport',
    ],
    CLIMATE_NEUTRAL_PLANNING: [
      'Memorandum of understanding on climate-neutral urban development',
      'Climate partnership agreement between {german} and {partner}',
    ],
    ZERO_WASTE: [
      'Memorandum of understanding on a zero-waste city',
      'Letter of intent on circular economy cooperation',
    ],
    SPONGE_CITY: [
      'Memorandum of understanding on climate adaptation',
      'Letter of intent on sponge city cooperation',
    ],
    SOCIAL_CITY: [
      'Memorandum of understanding on social cohesion in neighbourhoods',
      'Letter of intent on affordable housing cooperation',
    ],
  },
  POLICY_CHANGE: {
    SUSTAINABLE_TRANSPORT: [
      'Council adopts 30 km/h zones around schools',
      'Parking standards revised for new housing',
    ],
    CLIMATE_NEUTRAL_PLANNING: [
      'Climate impact check made mandatory for council decisions',
      'Solar requirement for new public buildings',
    ],
    ZERO_WASTE: [
      'Reusable tableware required at municipal events',
      'Circular criteria added to procurement rules',
    ],
    SPONGE_CITY: [
      'Green roof requirement in new development plans',
      'Stormwater fee split by sealed surface',
    ],
    SOCIAL_CITY: [
      'Quota for social housing in new residential development',
      'Participatory budgets introduced in two districts',
    ],
  },
  KNOWLEDGE_PRODUCT: {
    SUSTAINABLE_TRANSPORT: [
      'Guide: safe routes to school in twin cities',
      'Good-practice report on mobility hubs',
    ],
    CLIMATE_NEUTRAL_PLANNING: [
      'Handbook: municipal heat planning in two countries',
      'Comparative report on city climate action plans',
    ],
    ZERO_WASTE: [
      'Toolkit for zero-waste events',
      'Guide: food waste prevention in public kitchens',
    ],
    SPONGE_CITY: ['Sponge city design guide for new districts', 'Heavy-rain communication toolkit'],
    SOCIAL_CITY: [
      'Guide: neighbourhood management in practice',
      'Comparative study of affordable housing policies',
    ],
  },
  FOLLOW_UP: {
    SUSTAINABLE_TRANSPORT: [
      'Follow-up: university partnership on cycling research',
      'Follow-up: EU project application on mobility hubs',
    ],
    CLIMATE_NEUTRAL_PLANNING: [
      'Follow-up: youth climate exchange between {german} and {partner}',
      'Follow-up: utilities of both cities share district heating data',
    ],
    ZERO_WASTE: [
      'Follow-up: school exchange on waste prevention',
      'Follow-up: start-up delegation on circular economy',
    ],
    SPONGE_CITY: [
      'Follow-up: university partnership on urban hydrology',
      'Follow-up: landscape architects exchange on rain gardens',
    ],
    SOCIAL_CITY: [
      'Follow-up: youth exchange on participation',
      'Follow-up: housing associations of both cities meet',
    ],
  },
};

/** Outcome descriptions per kind: once achieved, and while planned, under way or dropped. */
export const outcomeDescriptions: Record<OutcomeKind, { done: string; open: string }> = {
  NEW_APPROACH: {
    done: 'Both cities tested the approach in one district each and compared the results.',
    open: 'Both cities agreed to test the approach in one district each and to compare the results after a year.',
  },
  JOINT_PROJECT: {
    done: 'Completed in both cities; the international offices published a joint final report.',
    open: 'Run in both cities with shared milestones; the international offices coordinate the reporting.',
  },
  AGREEMENT: {
    done: 'Signed by the mayors of {german} and {partner}; it names the areas of cooperation, contact persons and a review date.',
    open: 'To be signed by the mayors of {german} and {partner}; the draft names the areas of cooperation, contact persons and a review date.',
  },
  POLICY_CHANGE: {
    done: 'Prepared with input from the partner city and adopted by the council of {city}.',
    open: 'Prepared with input from the partner city; to be decided by the council of {city}.',
  },
  KNOWLEDGE_PRODUCT: {
    done: 'Published in English and German and shared with the other cities of the programme.',
    open: 'Being written in English and German, to be shared with the other cities of the programme.',
  },
  FOLLOW_UP: {
    done: 'Started without programme funding and carried by the people who met in the exchange.',
    open: 'Prepared without programme funding by the people who met in the exchange.',
  },
};

export const droppedReasons: readonly string[] = [
  'Dropped: no budget could be found for it.',
  'Dropped after a change of priorities in the council.',
  'Dropped: the people leading it moved on to other tasks.',
];

export const rejectionReasons: Record<'PERCENT' | 'COUNT', string[]> = {
  PERCENT: [
    'The denominator counts everyone invited, not the survey respondents; please correct it.',
    'The survey used a different question than in the previous years; please add a note on the method.',
  ],
  COUNT: [
    'The value includes activities funded by the programme; count only follow-ups without programme funding.',
    'Please list the follow-up activities in the note so that the value can be checked.',
  ],
};

/** Fills the `{placeholders}` of a template. */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match);
}
