import type {
  Database,
  DepartmentType,
  ExchangeKind,
  GovernanceLevel,
  OutcomeKind,
  OutcomeStatus,
  ValueStatus,
} from '@udx/db/schema';
import type { Kysely } from 'kysely';

/**
 * A small typed builder for test data: each call inserts one row with sensible defaults and
 * returns its id, so a test reads as the story it sets up.
 */
export function fixtureBuilder(db: Kysely<Database>) {
  async function indicatorId(code: string): Promise<number> {
    const row = await db
      .selectFrom('indicator')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  return {
    async city(name: string, countryCode: string): Promise<number> {
      const row = await db
        .insertInto('city')
        .values({ name, country_code: countryCode })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async partnership(germanCityId: number, partnerCityId: number): Promise<number> {
      const row = await db
        .insertInto('partnership')
        .values({ german_city_id: germanCityId, partner_city_id: partnerCityId })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async department(cityId: number, name: string, type: DepartmentType): Promise<number> {
      const row = await db
        .insertInto('department')
        .values({ city_id: cityId, name, type })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async exchange(input: {
      partnershipId: number;
      kind: ExchangeKind;
      startsOn: string;
      hostCityId: number;
      participants: number;
      levels?: GovernanceLevel[];
      departments?: { id: number; cityId: number }[];
      topics?: string[];
      sdgTargets?: string[];
    }): Promise<number> {
      const row = await db
        .insertInto('exchange')
        .values({
          partnership_id: input.partnershipId,
          kind: input.kind,
          format: 'IN_PERSON',
          title: `${input.kind.toLowerCase()} exchange of ${input.startsOn}`,
          starts_on: input.startsOn,
          host_city_id: input.hostCityId,
          participant_count: input.participants,
          governance_levels: input.levels ?? ['MUNICIPAL'],
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const departments = input.departments ?? [];
      if (departments.length > 0) {
        await db
          .insertInto('exchange_department')
          .values(
            departments.map((department) => ({
              exchange_id: row.id,
              partnership_id: input.partnershipId,
              department_id: department.id,
              city_id: department.cityId,
            })),
          )
          .execute();
      }
      const topics = input.topics ?? [];
      if (topics.length > 0) {
        await db
          .insertInto('exchange_topic')
          .values(topics.map((topic_code) => ({ exchange_id: row.id, topic_code })))
          .execute();
      }
      const targets = input.sdgTargets ?? [];
      if (targets.length > 0) {
        await db
          .insertInto('exchange_sdg_target')
          .values(targets.map((target_code) => ({ exchange_id: row.id, target_code })))
          .execute();
      }
      return row.id;
    },

    async outcome(input: {
      partnershipId: number;
      kind: OutcomeKind;
      status: OutcomeStatus;
      date: string;
      sdgTargets?: string[];
    }): Promise<number> {
      const row = await db
        .insertInto('outcome')
        .values({
          partnership_id: input.partnershipId,
          kind: input.kind,
          status: input.status,
          title: `${input.kind.toLowerCase()} of ${input.date}`,
          date: input.date,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const targets = input.sdgTargets ?? [];
      if (targets.length > 0) {
        await db
          .insertInto('outcome_sdg_target')
          .values(targets.map((target_code) => ({ outcome_id: row.id, target_code })))
          .execute();
      }
      return row.id;
    },

    /** A reported value: a count (`value`) or a percentage (`numerator` of `denominator`). */
    async reported(input: {
      indicator: string;
      cityId: number;
      year: number;
      quarter?: number;
      status: ValueStatus;
      value?: number;
      numerator?: number;
      denominator?: number;
    }): Promise<number> {
      const row = await db
        .insertInto('reported_value')
        .values({
          indicator_id: await indicatorId(input.indicator),
          city_id: input.cityId,
          year: input.year,
          quarter: input.quarter ?? null,
          value: input.value ?? null,
          numerator: input.numerator ?? null,
          denominator: input.denominator ?? null,
          note: null,
          status: input.status,
          rejection_reason: input.status === 'REJECTED' ? 'implausible' : null,
          entered_by: null,
          reviewed_by: null,
          reviewed_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async target(input: {
      indicator: string;
      year: number;
      partnershipId?: number;
      baseline?: number;
      target: number;
    }): Promise<number> {
      const row = await db
        .insertInto('target')
        .values({
          indicator_id: await indicatorId(input.indicator),
          year: input.year,
          partnership_id: input.partnershipId ?? null,
          baseline: input.baseline ?? null,
          target: input.target,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
  };
}
