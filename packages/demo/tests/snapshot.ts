import type { Db } from '@udx/db/database';

/**
 * Every demo table as canonical JSON lines: ids replaced by natural keys (a city by country and
 * name, a partnership by its two cities, ...), load timestamps and password hashes left out,
 * lines sorted. Two databases holding the same data set give the same snapshot.
 */
export async function snapshotDemoTables(db: Db): Promise<Record<string, string[]>> {
  const cities = await db.selectFrom('city').selectAll().execute();
  const cityKey = new Map(cities.map((c) => [c.id, `${c.country_code}:${c.name}`]));
  const partnerships = await db.selectFrom('partnership').selectAll().execute();
  const partnershipKey = new Map(
    partnerships.map((p) => [
      p.id,
      `${cityKey.get(p.german_city_id)}~${cityKey.get(p.partner_city_id)}`,
    ]),
  );
  const departments = await db.selectFrom('department').selectAll().execute();
  const departmentKey = new Map(
    departments.map((d) => [d.id, `${cityKey.get(d.city_id)}/${d.name}`]),
  );
  const exchanges = await db.selectFrom('exchange').selectAll().execute();
  const exchangeKey = new Map(
    exchanges.map((e) => [
      e.id,
      `${partnershipKey.get(e.partnership_id)}@${e.starts_on}/${e.title}`,
    ]),
  );
  const outcomes = await db.selectFrom('outcome').selectAll().execute();
  const users = await db.selectFrom('app_user').selectAll().execute();
  const userEmail = new Map(users.map((u) => [u.id, u.email]));
  const indicators = await db.selectFrom('indicator').select(['id', 'code']).execute();
  const indicatorCode = new Map(indicators.map((i) => [i.id, i.code]));

  const grouped = async <T extends { [k: string]: unknown }>(
    rows: Promise<T[]>,
    owner: keyof T,
    value: (row: T) => string,
  ) => {
    const map = new Map<unknown, string[]>();
    for (const row of await rows) {
      const list = map.get(row[owner]) ?? [];
      list.push(value(row));
      map.set(row[owner], list);
    }
    for (const list of map.values()) list.sort();
    return (id: unknown) => map.get(id) ?? [];
  };
  const partnershipTopics = await grouped(
    db.selectFrom('partnership_topic').selectAll().execute(),
    'partnership_id',
    (r) => r.topic_code,
  );
  const partnershipSdgs = await grouped(
    db.selectFrom('partnership_sdg').selectAll().execute(),
    'partnership_id',
    (r) => String(r.goal),
  );
  const exchangeDepartments = await grouped(
    db.selectFrom('exchange_department').selectAll().execute(),
    'exchange_id',
    (r) => departmentKey.get(r.department_id) ?? '?',
  );
  const exchangeTopics = await grouped(
    db.selectFrom('exchange_topic').selectAll().execute(),
    'exchange_id',
    (r) => r.topic_code,
  );
  const exchangeTargets = await grouped(
    db.selectFrom('exchange_sdg_target').selectAll().execute(),
    'exchange_id',
    (r) => r.target_code,
  );
  const outcomeTargets = await grouped(
    db.selectFrom('outcome_sdg_target').selectAll().execute(),
    'outcome_id',
    (r) => r.target_code,
  );
  const values = await db.selectFrom('reported_value').selectAll().execute();
  const targets = await db.selectFrom('target').selectAll().execute();
  const dataSets = await db.selectFrom('data_set').select(['name', 'description']).execute();

  const lines = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    city: lines(
      cities.map((c) => [
        c.country_code,
        c.name,
        c.region,
        c.population,
        c.latitude,
        c.longitude,
        c.is_demo,
      ]),
    ),
    partnership: lines(
      partnerships.map((p) => [
        partnershipKey.get(p.id),
        p.twinned_since,
        p.joined_on,
        p.status,
        partnershipTopics(p.id),
        partnershipSdgs(p.id),
        p.is_demo,
      ]),
    ),
    department: lines(departments.map((d) => [departmentKey.get(d.id), d.type, d.is_demo])),
    exchange: lines(
      exchanges.map((e) => [
        exchangeKey.get(e.id),
        e.kind,
        e.format,
        e.ends_on,
        cityKey.get(e.host_city_id),
        e.participant_count,
        e.governance_levels,
        exchangeDepartments(e.id),
        exchangeTopics(e.id),
        exchangeTargets(e.id),
        e.is_demo,
      ]),
    ),
    outcome: lines(
      outcomes.map((o) => [
        partnershipKey.get(o.partnership_id),
        o.exchange_id === null ? null : exchangeKey.get(o.exchange_id),
        o.kind,
        o.status,
        o.title,
        o.description,
        o.date,
        outcomeTargets(o.id),
        o.is_demo,
      ]),
    ),
    reported_value: lines(
      values.map((v) => [
        indicatorCode.get(v.indicator_id),
        cityKey.get(v.city_id),
        v.year,
        v.quarter,
        v.value,
        v.numerator,
        v.denominator,
        v.note,
        v.status,
        v.rejection_reason,
        v.entered_by === null ? null : userEmail.get(v.entered_by),
        new Date(v.entered_at).toISOString(),
        v.reviewed_by === null ? null : userEmail.get(v.reviewed_by),
        v.reviewed_at === null ? null : new Date(v.reviewed_at).toISOString(),
        v.is_demo,
      ]),
    ),
    target: lines(
      targets.map((t) => [
        indicatorCode.get(t.indicator_id),
        t.year,
        t.partnership_id === null ? null : partnershipKey.get(t.partnership_id),
        t.baseline,
        t.target,
        t.is_demo,
      ]),
    ),
    app_user: lines(
      users.map((u) => [
        u.email,
        u.display_name,
        u.role,
        u.city_id === null ? null : cityKey.get(u.city_id),
        u.active,
        u.is_demo,
      ]),
    ),
    data_set: lines(dataSets.map((d) => [d.name, d.description])),
  };
}
