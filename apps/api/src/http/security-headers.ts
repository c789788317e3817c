import type { ServerResponse } from 'node:http';
import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * The dashboard's Content-Security-Policy: scripts, styles, fonts and data only from udx itself,
 * no inline script, never inside a frame. Inline styles stay allowed: Vue's style bindings and
 * ECharts' SVG output set `style` attributes, and a style cannot run code.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Answers that are data, not pages (JSON, errors): nothing may load from them or frame them. */
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";

/** HTTPS only for a year, subdomains included; sent in production, where udx runs behind TLS. */
const HSTS = 'max-age=31536000; includeSubDomains';

export interface SecurityOptions {
  /** Production: HSTS on every answer (development runs on plain http://localhost). */
  production: boolean;
}

/**
 * Headers every answer carries; pages (the dashboard, GraphiQL) replace the data CSP with
 * their own. Only the widget for city websites (`modules/public/embed.routes.ts`) lifts the
 * refusal of frames.
 */
export function setSecurityHeaders(response: ServerResponse, options: SecurityOptions): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'same-origin');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Content-Security-Policy', DATA_CSP);
  if (options.production) response.setHeader('Strict-Transport-Security', HSTS);
}

/**
 * A validation rule refusing `__schema`: the whole schema is not published in production
 * unless `UDX_INTROSPECTION=on`. `__typename` and `__type` keep working: clients (and the
 * GraphQL-over-HTTP audit) ask for them, and they reveal only what a client names.
 */
export const noSchemaIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema') {
      context.reportError(
        new GraphQLError(
          'Introspection of the whole schema is off on this server; schema.graphql in the ' +
            'repository describes the API.',
          { nodes: [node] },
        ),
      );
    }
  },
});
