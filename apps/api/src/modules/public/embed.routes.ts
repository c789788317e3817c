import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { type Language, languageFrom } from '../../context.ts';
import type { HttpRoute } from '../../http/routes.ts';
import { decodeNodeId } from '../shared/global-id.ts';
import {
  EMBED_CSP,
  type EmbedFigure,
  embedTexts,
  HEADLINE_INDICATORS,
  renderEmbedCard,
  renderEmbedMessage,
} from './embed.page.ts';
import { answerPublic } from './open-data.routes.ts';
import {
  partnershipName,
  publicIndicatorRowsOf,
  publicIndicatorsOf,
  publicPartnershipsOf,
  publicYearsOf,
} from './public.service.ts';

/** Where the widget of a partnership lives: `/embed/partnerships/<id>` (README). */
export const EMBED_PATH = '/embed/partnerships/';

const HTML = 'text/html; charset=utf-8';

/**
 * The headers of every answer below `/embed/`: any site may frame it (the rest of udx refuses
 * frames, `http/security-headers.ts`), and its language follows `Accept-Language` unless `lang`
 * names one.
 */
function embedHeaders(response: ServerResponse): Record<string, string> {
  response.removeHeader('X-Frame-Options');
  return { 'Content-Security-Policy': EMBED_CSP, Vary: 'Accept-Language' };
}

/** A short page in the widget's frame with its status; never kept by caches. */
function sendMessage(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  page: string,
): void {
  response.writeHead(status, {
    ...embedHeaders(response),
    'Content-Type': HTML,
    'Content-Length': Buffer.byteLength(page),
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : page);
}

/** The widget's language: `?lang=de|en`, else the request's `Accept-Language`. */
function languageOf(url: URL, request: IncomingMessage): Language | null {
  const asked = url.searchParams.get('lang');
  if (asked === null || asked === '') return languageFrom(request.headers['accept-language']);
  return asked === 'de' || asked === 'en' ? asked : null;
}

/** The partnership's id in the path, or null when the rest of the path is not one. */
function partnershipIdOf(url: URL): number | null {
  let id: string;
  try {
    id = decodeURIComponent(url.pathname.slice(EMBED_PATH.length));
  } catch {
    return null;
  }
  return decodeNodeId(id, 'Partnership');
}

/**
 * The widget of a partnership for city websites: its approved headline figures, computed by the
 * same service functions as `publicPartnership` over all years, as one framable HTML page.
 */
const partnershipWidget: HttpRoute = {
  path: EMBED_PATH,
  prefix: true,
  methods: ['GET', 'HEAD'],
  audience: 'public',
  async handle(request, response, route) {
    const language = languageOf(route.url, request);
    if (language === null) {
      const fallback = languageFrom(request.headers['accept-language']);
      const t = embedTexts(fallback);
      sendMessage(
        request,
        response,
        400,
        renderEmbedMessage(fallback, t.badRequest, t.badLanguage),
      );
      return;
    }
    const t = embedTexts(language);
    const id = partnershipIdOf(route.url);
    const context = id === null ? null : await route.openContext();
    const [partnership] = context && id !== null ? await publicPartnershipsOf(context, id) : [];
    if (!context || !partnership) {
      sendMessage(request, response, 404, renderEmbedMessage(language, t.notFound, t.notFoundText));
      return;
    }
    const scope = { partnershipId: partnership.id };
    await answerPublic(request, response, context, {
      contentType: HTML,
      headers: embedHeaders(response),
      variant: language,
      body: async (context) => {
        const [indicators, catalogue] = await Promise.all([
          publicIndicatorsOf(context, scope),
          publicIndicatorRowsOf(context),
        ]);
        const figures = await Promise.all(
          HEADLINE_INDICATORS.map(async (code): Promise<EmbedFigure> => {
            const summary = indicators.find((indicator) => indicator.code === code);
            const row = catalogue.get(code);
            if (!summary || !row) throw new Error(`Indicator ${code} is missing`);
            const years = await publicYearsOf(context, scope, code);
            return {
              goal: summary.goal,
              name: language === 'de' ? row.name_de : row.name_en,
              unit: summary.unit,
              value: summary.value,
              years: years.map((point) => ({ year: Number(point.period), value: point.value })),
            };
          }),
        );
        return renderEmbedCard({
          language,
          name: partnershipName(partnership),
          href: `/public/partnerships/${encodeURIComponent(encodeGlobalID('Partnership', partnership.id))}`,
          figures,
        });
      },
    });
  },
};

/** The widgets for city websites (README, "Widget for city websites"). */
export const EMBED_ROUTES: readonly HttpRoute[] = [partnershipWidget];
