import { createHash } from 'node:crypto';
import type { IndicatorUnit, ProgrammeGoal } from '@udx/db/schema';
import type { IndicatorCode } from '@udx/indicators/engine';
import type { Language } from '../../context.ts';
import { exportWords } from '../export/words.ts';

// The widget for city websites (README, "Widget for city websites"): one small HTML document
// with its style inline and a sparkline per figure as inline SVG, no script and nothing to load,
// so that it stays light on a city's homepage and shows the same in every frame.

/**
 * The headline indicator of each programme goal in the widget (README, "Widget for city
 * websites"): per goal the indicator computed from a partnership's own records, so that it has
 * a value without a survey, that says most of one partnership. U3 counts the people its
 * exchanges of either kind reached; S1 the specialist departments beyond the international
 * offices that took part, the programme's aim for Shape and design; N4 the links between the two
 * cities' departments (N1 is only 0 or 1 for one partnership).
 */
export const HEADLINE_INDICATORS: readonly IndicatorCode[] = ['U3', 'S1', 'N4'];

/** One headline figure: its goal, its indicator and its value per year. */
export interface EmbedFigure {
  goal: ProgrammeGoal;
  name: string;
  unit: IndicatorUnit;
  /** The value over all years; null for a percentage nothing approved was reported for. */
  value: number | null;
  years: readonly { year: number; value: number | null }[];
}

/** What the widget shows of a partnership. */
export interface EmbedCard {
  language: Language;
  /** "Bonn – Minneapolis". */
  name: string;
  /** The partnership's page in the public part of the dashboard. */
  href: string;
  figures: readonly EmbedFigure[];
}

const TEXTS = {
  en: {
    programme: 'Urban Diplomacy Exchange',
    perYear: 'per year',
    noValue: 'no value',
    years: (first: number, last: number) =>
      first === last ? `${first}` : `per year, ${first}–${last}`,
    approved: 'Approved figures of all years.',
    more: 'All figures of the partnership',
    newTab: '(opens in a new tab)',
    notFound: 'Partnership not found',
    notFoundText: 'udx has no partnership at this address.',
    badRequest: 'Address not understood',
    badLanguage: 'The parameter lang must be de or en.',
  },
  de: {
    programme: 'Urban Diplomacy Exchange',
    perYear: 'je Jahr',
    noValue: 'kein Wert',
    years: (first: number, last: number) =>
      first === last ? `${first}` : `je Jahr, ${first}–${last}`,
    approved: 'Freigegebene Zahlen aller Jahre.',
    more: 'Alle Zahlen der Partnerschaft',
    newTab: '(öffnet in einem neuen Tab)',
    notFound: 'Partnerschaft nicht gefunden',
    notFoundText: 'udx kennt unter dieser Adresse keine Partnerschaft.',
    badRequest: 'Adresse nicht verstanden',
    badLanguage: 'Der Parameter lang muss de oder en sein.',
  },
} as const;

/** The widget's texts in a language. */
export function embedTexts(language: Language) {
  return TEXTS[language];
}

/** The goals' colours: dark enough for text and lines on white (WCAG 1.4.3 and 1.4.11). */
const STYLE = [
  ':root{color-scheme:light;font:15px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#fff}',
  'body{margin:0}',
  'main{padding:12px 14px;border:1px solid #c9ced6;border-radius:8px;max-width:560px}',
  'p{margin:0}',
  '.programme{font-size:.8rem;color:#4a5361}',
  'h1{font-size:1.15rem;margin:.1rem 0 .6rem}',
  'ul{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:10px}',
  'li{border-top:4px solid var(--c);padding-top:6px;display:flex;flex-direction:column}',
  'li>p:first-of-type{flex:1}',
  '.understand{--c:#0b5cad}.shape{--c:#a3400b}.network{--c:#2d6e2d}',
  'h2{font-size:.8rem;margin:0;text-transform:uppercase;letter-spacing:.04em;color:#4a5361}',
  '.value{font-size:1.6rem;font-weight:700}',
  '.name{font-size:.85rem;overflow-wrap:anywhere}',
  'svg{display:block;width:100%;height:28px;margin-top:4px;stroke:var(--c);fill:none;stroke-width:2}',
  '.years{font-size:.75rem;color:#4a5361}',
  'footer{margin-top:10px;font-size:.8rem;color:#4a5361}',
  'a{color:#0b5cad}',
  '.hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}',
].join('');

/**
 * The widget's Content-Security-Policy: nothing loads, nothing runs, only its own inline style
 * (by hash); and any site may frame it, unlike every other answer of udx.
 */
export const EMBED_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  'frame-ancestors *',
].join('; ');

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML: its markup characters as entities (also used by the first screen's title). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function formatValue(value: number | null, unit: IndicatorUnit, language: Language): string {
  if (value === null) return '–';
  const number = new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-GB', {
    maximumFractionDigits: unit === 'PERCENT' ? 1 : 0,
  }).format(value);
  return unit === 'PERCENT' ? `${number} %` : number;
}

/** The sparkline's width and height in SVG units; the SVG stretches to its box. */
const SPARK_WIDTH = 100;
const SPARK_HEIGHT = 28;

/**
 * The polyline of a yearly series, scaled from 0 to its largest value; years without a value
 * are left out of the line.
 */
export function sparklinePoints(years: EmbedFigure['years']): string {
  const max = Math.max(0, ...years.map((point) => point.value ?? 0));
  const step = years.length > 1 ? SPARK_WIDTH / (years.length - 1) : 0;
  return years
    .flatMap((point, index) => {
      if (point.value === null) return [];
      const x = index * step;
      // a line of zeros lies on the bottom; 2 units of margin keep the stroke inside
      const y = SPARK_HEIGHT - 2 - (max > 0 ? (point.value / max) * (SPARK_HEIGHT - 4) : 0);
      return [`${Math.round(x * 10) / 10},${Math.round(y * 10) / 10}`];
    })
    .join(' ');
}

function figureItem(figure: EmbedFigure, language: Language): string {
  const t = TEXTS[language];
  const goal = exportWords(language).goal[figure.goal];
  const first = figure.years[0]?.year;
  const last = figure.years.at(-1)?.year;
  // the sparkline's numbers, for those who do not see it
  const label = `${figure.name} ${t.perYear}: ${figure.years
    .map(
      (point) =>
        `${point.year}: ${point.value === null ? t.noValue : formatValue(point.value, figure.unit, language)}`,
    )
    .join(', ')}`;
  const spark =
    figure.years.length > 1
      ? `<svg viewBox="0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}" preserveAspectRatio="none" role="img" aria-label="${escapeHtml(label)}"><polyline points="${sparklinePoints(figure.years)}" vector-effect="non-scaling-stroke"/></svg>`
      : '';
  const years =
    first !== undefined && last !== undefined
      ? `<p class="years">${escapeHtml(t.years(first, last))}</p>`
      : '';
  return `<li class="${figure.goal.toLowerCase()}"><h2>${escapeHtml(goal)}</h2><p><span class="value">${formatValue(figure.value, figure.unit, language)}</span><br><span class="name">${escapeHtml(figure.name)}</span></p>${spark}${years}</li>`;
}

function page(language: Language, title: string, content: string): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${content}</main></body></html>
`;
}

/** The widget of a partnership: its name, the three headline figures, a link to its page. */
export function renderEmbedCard(card: EmbedCard): string {
  const t = TEXTS[card.language];
  const items = card.figures.map((figure) => figureItem(figure, card.language)).join('');
  return page(
    card.language,
    `${card.name} · ${t.programme}`,
    `<p class="programme">${t.programme}</p><h1>${escapeHtml(card.name)}</h1><ul>${items}</ul>` +
      `<footer><p>${t.approved} <a href="${escapeHtml(card.href)}" target="_blank" rel="noopener">${t.more}<span class="hidden"> ${t.newTab}</span></a></p></footer>`,
  );
}

/** A short page in the widget's frame, e.g. for an address naming no partnership. */
export function renderEmbedMessage(language: Language, title: string, text: string): string {
  return page(
    language,
    `${title} · ${TEXTS[language].programme}`,
    `<p class="programme">${TEXTS[language].programme}</p><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`,
  );
}
