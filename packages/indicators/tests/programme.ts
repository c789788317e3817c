import type { Database } from '@udx/db/schema';
import type { Kysely } from 'kysely';
import { fixtureBuilder } from './fixture.ts';

/**
 * The small programme every engine test computes by hand.
 *
 * Partnerships (German city – partner city):
 *   P1 Dresden – Coventry (GB)      P2 Kiel – Coventry (GB)   ← Coventry is in two
 *   P3 Frankfurt – Philadelphia (US) P4 Hamburg – Chicago (US)
 *
 * Departments (IO = international office):
 *   Dresden: dIO, dEnv, dPlan   Kiel: kIO, kClimate   Coventry: cIO, cPlan, cWaste
 *   Frankfurt: fMobility, fMayor   Philadelphia: phMobility, phIO   Hamburg: hWater   Chicago: chWater
 *
 * Exchanges (start, partnership, kind, participants, levels, departments, topics, SDG targets):
 *   E1 2024-03-10 P1 TECHNICAL 12 MUNICIPAL           dEnv dPlan cPlan cIO  CLIMATE_NEUTRAL_PLANNING  11.6 13.2
 *   E7 2024-03-25 P1 TECHNICAL  5 MUNICIPAL           dEnv cPlan            CLIMATE_NEUTRAL_PLANNING  11.6
 *   E3 2024-05-20 P2 TECHNICAL 10 MUNICIPAL+SUBNAT.   kClimate cPlan cWaste ZERO_WASTE, CLIMATE_N._P. 11.6 12.5
 *   E2 2024-09-05 P1 POLITICAL  8 MUNICIPAL+NATIONAL  dIO cIO               –                         16.7
 *   E4 2024-11-12 P3 TECHNICAL  6 MUNICIPAL           fMobility phMobility  SUSTAINABLE_TRANSPORT     11.2
 *   E5 2025-02-03 P3 TECHNICAL  9 INTERNATIONAL       fMobility fMayor phMobility  SUSTAINABLE_TR.    9.1
 *   E6 2022-06-01 P4 POLITICAL 20 MUNICIPAL           hWater chWater        SPONGE_CITY               6.3
 *
 * Outcomes (date, partnership, kind, status, SDG targets):
 *   O1 2024-06-01 P1 NEW_APPROACH  IN_PROGRESS 11.b
 *   O2 2024-10-15 P2 JOINT_PROJECT ACHIEVED    12.5
 *   O3 2024-07-01 P2 AGREEMENT     DROPPED     17.17
 *   O4 2024-12-01 P3 AGREEMENT     ACHIEVED    17.16
 *   O5 2024-08-01 P3 JOINT_PROJECT IN_PROGRESS –
 *   O6 2025-03-01 P1 NEW_APPROACH  PLANNED     11.3
 *
 * Reported values (indicator, city, period, figure, status):
 *   U5 Coventry 2024        30/40 APPROVED     U5 Dresden 2024-Q2   10/20 APPROVED
 *   U5 Kiel 2024             5/10 SUBMITTED    U5 Philadelphia 2024-Q4 9/10 APPROVED
 *   U5 Frankfurt 2023        8/8  APPROVED
 *   S5 Dresden 2024         12/16 APPROVED     S5 Philadelphia 2024  1/4 DRAFT
 *   N5 Coventry 2024        2     APPROVED     N5 Frankfurt 2024-Q3  1   APPROVED
 *   N5 Kiel 2024            4     SUBMITTED    N5 Chicago 2024       3   REJECTED
 *
 * Targets: programme-wide 2024 U1 8 (baseline 2), U3 100, U5 80 %, N2 4;
 *          P1 2024 U1 3 (baseline 1), P4 2024 N1 1; programme-wide 2025 U1 10.
 */
export async function seedProgramme(db: Kysely<Database>) {
  const add = fixtureBuilder(db);

  const dresden = await add.city('Dresden', 'DE');
  const kiel = await add.city('Kiel', 'DE');
  const frankfurt = await add.city('Frankfurt am Main', 'DE');
  const hamburg = await add.city('Hamburg', 'DE');
  const coventry = await add.city('Coventry', 'GB');
  const philadelphia = await add.city('Philadelphia', 'US');
  const chicago = await add.city('Chicago', 'US');
  const city = { dresden, kiel, frankfurt, hamburg, coventry, philadelphia, chicago };

  const p1 = await add.partnership(dresden, coventry);
  const p2 = await add.partnership(kiel, coventry);
  const p3 = await add.partnership(frankfurt, philadelphia);
  const p4 = await add.partnership(hamburg, chicago);
  const partnership = { p1, p2, p3, p4 };

  const dept = async (
    cityId: number,
    name: string,
    type: Parameters<typeof add.department>[2],
  ) => ({
    id: await add.department(cityId, name, type),
    cityId,
  });
  const dIO = await dept(dresden, 'Büro für Internationales', 'INTERNATIONAL_OFFICE');
  const dEnv = await dept(dresden, 'Umweltamt', 'ENVIRONMENT');
  const dPlan = await dept(dresden, 'Stadtplanungsamt', 'URBAN_PLANNING');
  await dept(kiel, 'Referat für Internationales', 'INTERNATIONAL_OFFICE');
  const kClimate = await dept(kiel, 'Klimaschutzagentur', 'CLIMATE_PROTECTION');
  const cIO = await dept(coventry, 'International Office', 'INTERNATIONAL_OFFICE');
  const cPlan = await dept(coventry, 'Planning', 'URBAN_PLANNING');
  const cWaste = await dept(coventry, 'Waste Services', 'WASTE_MANAGEMENT');
  const fMobility = await dept(frankfurt, 'Mobilitätsdezernat', 'MOBILITY');
  const fMayor = await dept(frankfurt, 'Büro des Oberbürgermeisters', 'MAYORS_OFFICE');
  const phMobility = await dept(philadelphia, 'Office of Transportation', 'MOBILITY');
  await dept(philadelphia, 'Office of International Affairs', 'INTERNATIONAL_OFFICE');
  const hWater = await dept(hamburg, 'Hamburg Wasser', 'WATER');
  const chWater = await dept(chicago, 'Department of Water Management', 'WATER');

  await add.exchange({
    partnershipId: p1,
    kind: 'TECHNICAL',
    startsOn: '2024-03-10',
    hostCityId: coventry,
    participants: 12,
    departments: [dEnv, dPlan, cPlan, cIO],
    topics: ['CLIMATE_NEUTRAL_PLANNING'],
    sdgTargets: ['11.6', '13.2'],
  });
  await add.exchange({
    partnershipId: p1,
    kind: 'TECHNICAL',
    startsOn: '2024-03-25',
    hostCityId: dresden,
    participants: 5,
    departments: [dEnv, cPlan],
    topics: ['CLIMATE_NEUTRAL_PLANNING'],
    sdgTargets: ['11.6'],
  });
  await add.exchange({
    partnershipId: p2,
    kind: 'TECHNICAL',
    startsOn: '2024-05-20',
    hostCityId: kiel,
    participants: 10,
    levels: ['MUNICIPAL', 'SUBNATIONAL'],
    departments: [kClimate, cPlan, cWaste],
    topics: ['ZERO_WASTE', 'CLIMATE_NEUTRAL_PLANNING'],
    sdgTargets: ['11.6', '12.5'],
  });
  await add.exchange({
    partnershipId: p1,
    kind: 'POLITICAL',
    startsOn: '2024-09-05',
    hostCityId: dresden,
    participants: 8,
    levels: ['MUNICIPAL', 'NATIONAL'],
    departments: [dIO, cIO],
    sdgTargets: ['16.7'],
  });
  await add.exchange({
    partnershipId: p3,
    kind: 'TECHNICAL',
    startsOn: '2024-11-12',
    hostCityId: philadelphia,
    participants: 6,
    departments: [fMobility, phMobility],
    topics: ['SUSTAINABLE_TRANSPORT'],
    sdgTargets: ['11.2'],
  });
  await add.exchange({
    partnershipId: p3,
    kind: 'TECHNICAL',
    startsOn: '2025-02-03',
    hostCityId: frankfurt,
    participants: 9,
    levels: ['INTERNATIONAL'],
    departments: [fMobility, fMayor, phMobility],
    topics: ['SUSTAINABLE_TRANSPORT'],
    sdgTargets: ['9.1'],
  });
  await add.exchange({
    partnershipId: p4,
    kind: 'POLITICAL',
    startsOn: '2022-06-01',
    hostCityId: hamburg,
    participants: 20,
    departments: [hWater, chWater],
    topics: ['SPONGE_CITY'],
    sdgTargets: ['6.3'],
  });

  await add.outcome({
    partnershipId: p1,
    kind: 'NEW_APPROACH',
    status: 'IN_PROGRESS',
    date: '2024-06-01',
    sdgTargets: ['11.b'],
  });
  await add.outcome({
    partnershipId: p2,
    kind: 'JOINT_PROJECT',
    status: 'ACHIEVED',
    date: '2024-10-15',
    sdgTargets: ['12.5'],
  });
  await add.outcome({
    partnershipId: p2,
    kind: 'AGREEMENT',
    status: 'DROPPED',
    date: '2024-07-01',
    sdgTargets: ['17.17'],
  });
  await add.outcome({
    partnershipId: p3,
    kind: 'AGREEMENT',
    status: 'ACHIEVED',
    date: '2024-12-01',
    sdgTargets: ['17.16'],
  });
  await add.outcome({
    partnershipId: p3,
    kind: 'JOINT_PROJECT',
    status: 'IN_PROGRESS',
    date: '2024-08-01',
  });
  await add.outcome({
    partnershipId: p1,
    kind: 'NEW_APPROACH',
    status: 'PLANNED',
    date: '2025-03-01',
    sdgTargets: ['11.3'],
  });

  const percent = (
    indicator: 'U5' | 'S5',
    cityId: number,
    year: number,
    quarter: number | undefined,
    numerator: number,
    denominator: number,
    status: 'DRAFT' | 'SUBMITTED' | 'APPROVED',
  ) =>
    add.reported({
      indicator,
      cityId,
      year,
      ...(quarter ? { quarter } : {}),
      numerator,
      denominator,
      status,
    });
  await percent('U5', coventry, 2024, undefined, 30, 40, 'APPROVED');
  await percent('U5', dresden, 2024, 2, 10, 20, 'APPROVED');
  await percent('U5', kiel, 2024, undefined, 5, 10, 'SUBMITTED');
  await percent('U5', philadelphia, 2024, 4, 9, 10, 'APPROVED');
  await percent('U5', frankfurt, 2023, undefined, 8, 8, 'APPROVED');
  await percent('S5', dresden, 2024, undefined, 12, 16, 'APPROVED');
  await percent('S5', philadelphia, 2024, undefined, 1, 4, 'DRAFT');
  await add.reported({
    indicator: 'N5',
    cityId: coventry,
    year: 2024,
    value: 2,
    status: 'APPROVED',
  });
  await add.reported({
    indicator: 'N5',
    cityId: frankfurt,
    year: 2024,
    quarter: 3,
    value: 1,
    status: 'APPROVED',
  });
  await add.reported({ indicator: 'N5', cityId: kiel, year: 2024, value: 4, status: 'SUBMITTED' });
  await add.reported({
    indicator: 'N5',
    cityId: chicago,
    year: 2024,
    value: 3,
    status: 'REJECTED',
  });

  await add.target({ indicator: 'U1', year: 2024, baseline: 2, target: 8 });
  await add.target({ indicator: 'U3', year: 2024, target: 100 });
  await add.target({ indicator: 'U5', year: 2024, target: 80 });
  await add.target({ indicator: 'N2', year: 2024, target: 4 });
  await add.target({ indicator: 'U1', year: 2024, partnershipId: p1, baseline: 1, target: 3 });
  await add.target({ indicator: 'N1', year: 2024, partnershipId: p4, target: 1 });
  await add.target({ indicator: 'U1', year: 2025, target: 10 });

  return { city, partnership };
}

export type Programme = Awaited<ReturnType<typeof seedProgramme>>;
