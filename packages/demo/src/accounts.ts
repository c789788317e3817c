import type { Role } from '@udx/db/schema';
import { type TwinTownCity, twinTownCities } from './twin-towns.ts';

/**
 * The password of every demo account (README, "Demo data set"); it exists only with the demo
 * data set.
 */
export const DEMO_PASSWORD = 'udx-demo-2030';

/** The e-mail domain of the demo accounts; `.udx` is no real top-level domain. */
export const DEMO_EMAIL_DOMAIN = 'demo.udx';

const spelledOut: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/**
 * A city's name as it appears in demo account e-mails: lower-case ASCII, umlauts written out
 * (ä ae, ö oe, ü ue, ß ss), other accents dropped, every other run of characters one hyphen,
 * e.g. `München` → `muenchen`, `Frankfurt am Main` → `frankfurt-am-main`, `St. Louis` → `st-louis`.
 */
export function citySlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[äöüß]/g, (c) => spelledOut[c] ?? c)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A demo account; city accounts name their city as the data set does. */
export interface DemoAccount {
  email: string;
  displayName: string;
  role: Role;
  /** The account's city (city roles only). */
  city: { name: string; countryCode: string } | null;
}

function cityAccounts(city: TwinTownCity): DemoAccount[] {
  const slug = citySlug(city.name);
  const ref = { name: city.name, countryCode: city.countryCode };
  return [
    {
      email: `editor.${slug}@${DEMO_EMAIL_DOMAIN}`,
      displayName: `Demo editor ${city.name}`,
      role: 'CITY_EDITOR',
      city: ref,
    },
    {
      email: `viewer.${slug}@${DEMO_EMAIL_DOMAIN}`,
      displayName: `Demo viewer ${city.name}`,
      role: 'CITY_VIEWER',
      city: ref,
    },
  ];
}

function buildDemoAccounts(): DemoAccount[] {
  const accounts: DemoAccount[] = [
    {
      email: `admin@${DEMO_EMAIL_DOMAIN}`,
      displayName: 'Demo administrator (SKEW)',
      role: 'SKEW_ADMIN',
      city: null,
    },
    {
      email: `evaluator@${DEMO_EMAIL_DOMAIN}`,
      displayName: 'Demo evaluator (SKEW)',
      role: 'SKEW_EVALUATOR',
      city: null,
    },
    {
      email: `monitor@${DEMO_EMAIL_DOMAIN}`,
      displayName: 'Demo monitoring (Federal Foreign Office)',
      role: 'FOREIGN_OFFICE',
      city: null,
    },
    ...twinTownCities.flatMap(cityAccounts),
  ];
  // Two cities with the same slug (say, a Cambridge in GB and one in the US) would share an
  // e-mail address: refuse such a data set rather than drop an account.
  const seen = new Set<string>();
  for (const account of accounts) {
    if (seen.has(account.email)) throw new Error(`Two demo accounts share ${account.email}`);
    seen.add(account.email);
  }
  return accounts;
}

/**
 * Every demo account, in a stable order: SKEW administration, SKEW evaluation, Foreign Office
 * monitoring, then an editor and a viewer for each city of the data set (German and partner).
 * All have the password {@link DEMO_PASSWORD}.
 */
export const demoAccounts: readonly DemoAccount[] = buildDemoAccounts();
