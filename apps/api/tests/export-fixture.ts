import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Engine } from '@udx/db/testing';
import { hashPassword } from '../src/auth/password.ts';
import {
  type AuthServer,
  bearer,
  type Json,
  post,
  signInToken,
  startAuthServer,
} from './auth-helpers.ts';
import { insertIds } from './insert-rows.ts';
import { insertRlsFixture, type RlsFixture } from './rls-fixture.ts';

/** A title a CSV must quote: a comma, a quote and a line break. */
export const AWKWARD_TITLE = 'Rain, "sponge" streets\nand parks in Köln';

const PASSWORD = 'export-test-password';

/**
 * The RLS fixture (Bonn–Minneapolis, Köln–Liverpool) on a running server, with a second
 * technical exchange of Bonn–Minneapolis in 2025 whose title a CSV must quote, U1 targets for
 * 2025 (programme-wide 3 from a baseline of 1; Bonn–Minneapolis's own 4 from 2) and signed-in
 * tokens of the Foreign Office and of Bonn's editor.
 *
 * Hand-computed U1 (technical exchanges) in 2025: the programme 2 (both Bonn–Minneapolis's;
 * Köln–Liverpool's is political), progress 2 / 3 = 0.6666666666666666; Bonn–Minneapolis 2,
 * progress 2 / 4 = 0.5.
 */
export interface ExportFixture {
  s: AuthServer;
  f: RlsFixture;
  monitorToken: string;
  editorAToken: string;
  awkwardExchange: number;
}

export async function startExportFixture(engine: Engine): Promise<ExportFixture> {
  const s = await startAuthServer(engine);
  const f = await insertRlsFixture(s.db);
  const [awkwardExchange] = (await insertIds(s.db, 'exchange', [
    {
      partnership_id: f.partnership.ab,
      kind: 'TECHNICAL',
      format: 'HYBRID',
      title: AWKWARD_TITLE,
      starts_on: '2025-09-01',
      host_city_id: f.city.b,
      participant_count: 7,
      governance_levels: ['MUNICIPAL', 'NATIONAL'],
    },
  ])) as [number];
  const u1 = await s.db
    .selectFrom('indicator')
    .select('id')
    .where('code', '=', 'U1')
    .executeTakeFirstOrThrow();
  await s.db
    .insertInto('target')
    .values([
      { indicator_id: u1.id, year: 2025, partnership_id: null, baseline: 1, target: 3 },
      { indicator_id: u1.id, year: 2025, partnership_id: f.partnership.ab, baseline: 2, target: 4 },
    ])
    .execute();
  const passwordHash = await hashPassword(PASSWORD);
  await s.db
    .updateTable('app_user')
    .set({ password_hash: passwordHash })
    .where('id', 'in', [f.user.monitor, f.user.editorA])
    .execute();
  return {
    s,
    f,
    awkwardExchange,
    monitorToken: await signInToken(s.url, 'monitor@example.org', PASSWORD),
    editorAToken: await signInToken(s.url, 'editor.a@example.org', PASSWORD),
  };
}

export interface Download {
  status: number;
  headers: Headers;
  body: Buffer;
  /** The body as UTF-8 text (byte order mark kept). */
  text: string;
}

/** GETs an export as a browser would, with the session's bearer token when given. */
export async function download(
  url: string,
  path: string,
  token?: string,
  headers: Record<string, string> = {},
): Promise<Download> {
  const response = await fetch(`${url}${path}`, {
    headers: { ...(token ? bearer(token) : {}), ...headers },
  });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body, text: body.toString('utf8') };
}

export const partnershipId = (id: number) => encodeGlobalID('Partnership', id);

export interface DashboardIndicator {
  code: string;
  value: number | null;
  yearValue: number | null;
  target: number | null;
  progress: number | null;
  status: string;
}

/** The dashboard's indicators for a scope, as the API answers the same token. */
export async function dashboardIndicators(
  url: string,
  token: string,
  scope: Record<string, string>,
): Promise<DashboardIndicator[]> {
  const answer = await post(
    url,
    /* GraphQL */ `query ($scope: ScopeInput) {
      dashboard(scope: $scope) {
        goals { indicators { indicator { code } value yearValue target progress status } }
      }
    }`,
    { scope },
    bearer(token),
  );
  if (!answer.json.data) throw new Error(JSON.stringify(answer.json.errors));
  return answer.json.data.dashboard.goals.flatMap((goal: Json) =>
    goal.indicators.map((item: Json) => ({ ...item, code: item.indicator.code })),
  );
}

/** Each indicator's yearly series for a scope, as the API answers it. */
export async function dashboardSeries(
  url: string,
  token: string,
  scope: Record<string, string>,
): Promise<Map<string, { period: string; value: number | null; target: number | null }[]>> {
  const answer = await post(
    url,
    /* GraphQL */ `query ($scope: ScopeInput) {
      indicators { code series(scope: $scope) { period value target } }
    }`,
    { scope },
    bearer(token),
  );
  if (!answer.json.data) throw new Error(JSON.stringify(answer.json.errors));
  return new Map(
    answer.json.data.indicators.map((item: Json) => [item.code as string, item.series]),
  );
}
