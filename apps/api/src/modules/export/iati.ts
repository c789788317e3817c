import type { ServerResponse } from 'node:http';
import { computeSeriesOf, type SeriesPoint } from '@udx/indicators/engine';
import { INDICATOR_CODES, isIndicatorCode } from '@udx/indicators/rules';
import { createCB } from 'xmlbuilder2';
import type { Language } from '../../context.ts';
import { accessOf } from '../city/city.access.ts';
import { findIndicators, type IndicatorRow } from '../indicator/indicator.repository.ts';
import { findAllSdgGoals } from '../sdg/sdg.repository.ts';
import {
  type ExportPartnershipRow,
  findPartnershipsOfExport,
  findSdgsOfPartnerships,
} from './export.repository.ts';
import {
  downloadHeaders,
  drained,
  type ExportSource,
  exportFileName,
  partnershipLabel,
} from './export.service.ts';

/*
 * The IATI activity file (standard version 2.03) of a scope: one activity per partnership.
 * Codes are those of the IATI codelists kept in apps/api/reference/iati (README there):
 * OrganisationRole 1 funding, 3 extending, 4 implementing; OrganisationType 10 government,
 * 11 local government; ActivityStatus 2 implementation, 4 closed, 6 suspended; ActivityDateType
 * 2 actual start; TagVocabulary 2 SDG goals, 3 SDG targets; ResultType 1 output, 2 outcome;
 * IndicatorMeasure 1 unit, 2 percentage; IndicatorVocabulary 99 the reporting organisation's own.
 */

/** The Federal Foreign Office's identifier in the IATI organisation registry. */
const FOREIGN_OFFICE_REF = 'XM-DAC-5-7';

const ORGANISATIONS = {
  en: {
    foreignOffice: 'Federal Foreign Office',
    skew: 'Service Agency Communities in One World (SKEW), Engagement Global',
    programme: 'Urban Diplomacy Exchange',
    description: (label: string, german: string, partner: string) =>
      `Municipal partnership ${label} (${german}–${partner}) in the Urban Diplomacy Exchange, ` +
      'a programme of the German Federal Foreign Office run by SKEW: exchanges between city ' +
      'departments and city leaders on the 2030 Agenda.',
  },
  de: {
    foreignOffice: 'Auswärtiges Amt',
    skew: 'Servicestelle Kommunen in der Einen Welt (SKEW), Engagement Global',
    programme: 'Urban Diplomacy Exchange',
    description: (label: string, german: string, partner: string) =>
      `Städtepartnerschaft ${label} (${german}–${partner}) im Urban Diplomacy Exchange, ` +
      'einem Programm des Auswärtigen Amts, durchgeführt von der SKEW: Austausch zwischen ' +
      'Fachämtern und Stadtspitzen zur Agenda 2030.',
  },
} as const;

const ACTIVITY_STATUS = { ACTIVE: '2', PAUSED: '6', ENDED: '4' } as const;

/** An IATI number: as JavaScript writes it, '.' and every digit needed. */
const iatiNumber = (value: number): string => String(value);

/**
 * Writes the IATI file of an export's scope, activity by activity as each partnership's series
 * is computed. Each activity's results are the partnership's own figures as its dashboard shows
 * them for the period (the same engine call as `Indicator.series`, scoped to the partnership):
 * per indicator its first known baseline and per year its target and actual value.
 * Nothing in the file depends on the day it is made: no generation time is written.
 */
export async function writeIati(response: ServerResponse, source: ExportSource): Promise<void> {
  const { context, figures, language } = source;
  const db = context.db;
  const partnerships = await findPartnershipsOfExport(db, figures.scope, accessOf(context));
  const [sdgs, indicators, sdgGoals] = await Promise.all([
    findSdgsOfPartnerships(
      db,
      partnerships.map((row) => row.id),
      figures.scope,
    ),
    findIndicators(db),
    findAllSdgGoals(db),
  ]);
  const goalTitle = new Map(
    sdgGoals.map((goal) => [goal.number, language === 'de' ? goal.title_de : goal.title_en]),
  );
  response.writeHead(
    200,
    downloadHeaders('application/xml; charset=utf-8', exportFileName(source, 'iati', 'xml')),
  );
  const xml = createCB({
    data: (chunk: string) => {
      if (!response.destroyed) response.write(chunk);
    },
    prettyPrint: true,
  });
  xml.dec({ version: '1.0', encoding: 'UTF-8' }).ele('iati-activities', { version: '2.03' });
  for (const partnership of partnerships) {
    const series = await computeSeriesOf(
      db,
      INDICATOR_CODES,
      { ...figures.scope, partnershipId: partnership.id },
      'YEAR',
      { reportedStatuses: figures.reportedStatuses },
    );
    writeActivity(xml, {
      partnership,
      language,
      goals: (sdgs.goals.get(partnership.id) ?? []).map((goal) => ({
        goal,
        title: goalTitle.get(goal) ?? String(goal),
      })),
      targets: sdgs.targets.get(partnership.id) ?? [],
      indicators,
      seriesOf: (row) => (isIndicatorCode(row.code) ? (series.get(row.code) ?? []) : []),
      period: figures.scope,
    });
    await drained(response);
  }
  xml.up().end();
  response.end();
}

type Builder = ReturnType<typeof createCB>;

interface ActivityInput {
  partnership: ExportPartnershipRow;
  language: Language;
  goals: { goal: number; title: string }[];
  targets: string[];
  indicators: IndicatorRow[];
  seriesOf: (row: IndicatorRow) => SeriesPoint[];
  period: { from?: string | null; to?: string | null };
}

function narrative(xml: Builder, element: string, text: string, attributes = {}): void {
  xml.ele(element, attributes).ele('narrative').txt(text).up().up();
}

function writeActivity(xml: Builder, input: ActivityInput): void {
  const { partnership: p, language } = input;
  const words = ORGANISATIONS[language];
  const label = partnershipLabel(p);
  xml.ele('iati-activity', { 'xml:lang': language });
  xml.ele('iati-identifier').txt(`${FOREIGN_OFFICE_REF}-UDX-${p.id}`).up();
  narrative(xml, 'reporting-org', words.foreignOffice, { ref: FOREIGN_OFFICE_REF, type: '10' });
  narrative(xml, 'title', `${words.programme}: ${label}`);
  narrative(xml, 'description', words.description(label, p.german_country, p.partner_country), {
    type: '1',
  });
  narrative(xml, 'participating-org', words.foreignOffice, {
    ref: FOREIGN_OFFICE_REF,
    type: '10',
    role: '1',
  });
  narrative(xml, 'participating-org', words.skew, { role: '3' });
  narrative(xml, 'participating-org', p.german_city, { type: '11', role: '4' });
  narrative(xml, 'participating-org', p.partner_city, { type: '11', role: '4' });
  xml.ele('activity-status', { code: ACTIVITY_STATUS[p.status] }).up();
  xml.ele('activity-date', { type: '2', 'iso-date': p.started_on }).up();
  for (const { goal, title } of input.goals) {
    narrative(xml, 'tag', title, { vocabulary: '2', code: String(goal) });
  }
  for (const target of input.targets) {
    xml.ele('tag', { vocabulary: '3', code: target }).up();
  }
  for (const row of input.indicators) writeResult(xml, row, input);
  xml.up();
}

function writeResult(xml: Builder, row: IndicatorRow, input: ActivityInput): void {
  const { language, period } = input;
  const name = language === 'de' ? row.name_de : row.name_en;
  const description = language === 'de' ? row.description_de : row.description_en;
  const points = input.seriesOf(row);
  xml.ele('result', {
    type: row.source === 'REPORTED' ? '2' : '1',
    'aggregation-status': row.unit === 'COUNT' ? '1' : '0',
  });
  narrative(xml, 'title', `${row.code} ${name}`);
  xml.ele('indicator', {
    measure: row.unit === 'PERCENT' ? '2' : '1',
    ascending: row.direction === 'LOWER_IS_BETTER' ? '0' : '1',
  });
  narrative(xml, 'title', name);
  narrative(xml, 'description', description);
  xml.ele('reference', { vocabulary: '99', code: row.code }).up();
  const baseline = points.find((point) => point.baseline !== null);
  if (baseline?.baseline != null) {
    xml.ele('baseline', { year: baseline.period, value: iatiNumber(baseline.baseline) }).up();
  }
  for (const point of points) {
    if (!/^\d{4}$/.test(point.period)) continue;
    const start = latest(period.from, `${point.period}-01-01`);
    const end = earliest(period.to, `${point.period}-12-31`);
    xml.ele('period');
    xml.ele('period-start', { 'iso-date': start }).up();
    xml.ele('period-end', { 'iso-date': end }).up();
    if (point.target !== null) xml.ele('target', { value: iatiNumber(point.target) }).up();
    if (point.value !== null) xml.ele('actual', { value: iatiNumber(point.value) }).up();
    xml.up();
  }
  xml.up().up();
}

function latest(day: string | null | undefined, other: string): string {
  return day && day > other ? day : other;
}

function earliest(day: string | null | undefined, other: string): string {
  return day && day < other ? day : other;
}
