import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserServer,
  chromium,
  type Frame,
  type LaunchOptions,
  type Page,
} from 'playwright-core';

const require = createRequire(import.meta.url);

/** Flags that keep Chromium from reaching out to the network or needing a GPU or a sandbox. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where a system Chromium is usually installed (Debian, Ubuntu, Fedora, macOS). */
const systemChromiumPaths = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export interface ChromiumChoice {
  executablePath: string;
  /** Where it came from, for the test log. */
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
  env?: Record<string, string>;
}

/**
 * The Chromium the tests drive: `CHROMIUM_PATH` when set, else a system Chromium when one is
 * installed and executable, else the one the `@sparticuz/chromium` dev dependency brings from the
 * npm registry (unpacked into the temporary folder on first use, with its own fonts), so that a
 * machine with Node and pnpm only runs the suite too. Nothing is downloaded at run time.
 */
export async function chooseChromium(
  environment: NodeJS.ProcessEnv = process.env,
  systemPaths: readonly string[] = systemChromiumPaths,
): Promise<ChromiumChoice> {
  const configured = environment.CHROMIUM_PATH;
  if (configured) {
    if (!isExecutable(configured)) {
      throw new Error(`CHROMIUM_PATH=${configured} is not an executable file`);
    }
    return { executablePath: configured, source: 'CHROMIUM_PATH' };
  }
  const system = systemPaths.find(isExecutable);
  if (system) return { executablePath: system, source: 'system' };
  const { default: packaged } = await import('@sparticuz/chromium');
  const executablePath = await packaged.executablePath();
  // The package unpacks Open Sans and a fonts.conf next to the binary; without pointing
  // fontconfig at them, a machine without system fonts would render text as empty boxes.
  const fontconfig = join(dirname(executablePath), 'fonts');
  return {
    executablePath,
    source: '@sparticuz/chromium',
    env: existsSync(fontconfig) ? { FONTCONFIG_PATH: fontconfig } : undefined,
  };
}

/** How `chromium.launch` starts the chosen Chromium. */
export function launchOptionsFor(choice: ChromiumChoice): LaunchOptions {
  return {
    executablePath: choice.executablePath,
    args: chromiumArgs,
    env: choice.env ? { ...process.env, ...choice.env } : undefined,
  };
}

/** Chromium, started so that it never reaches out to the network on its own. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch(launchOptionsFor(await chooseChromium()));
}

/** The same Chromium as a server that test files connect to, so that a run starts one browser. */
export async function launchBrowserServer(): Promise<BrowserServer> {
  return chromium.launchServer(launchOptionsFor(await chooseChromium()));
}

/** Connects to the browser of `launchBrowserServer`; `close()` only disconnects. */
export function connectBrowser(wsEndpoint: string): Promise<Browser> {
  return chromium.connect(wsEndpoint);
}

/**
 * A browser context that fails the test when the page asks for anything but the udx server
 * (and the `otherOrigins` a test serves itself, e.g. a city's page framing udx): no request may
 * leave the machine.
 */
export async function newContext(
  browser: Browser,
  baseUrl: string,
  locale = 'en-GB',
  otherOrigins: readonly string[] = [],
): Promise<{ context: BrowserContext; foreignRequests: string[] }> {
  const context = await browser.newContext({ baseURL: baseUrl, locale });
  const foreignRequests: string[] = [];
  const allowed = [baseUrl, ...otherOrigins, 'data:', 'blob:'];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed.some((start) => url.startsWith(start))) {
      return route.continue();
    }
    foreignRequests.push(url);
    return route.abort();
  });
  return { context, foreignRequests };
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, email: string, password = 'udx-demo-2030'): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel(/e-?mail/i).fill(email);
  await page.getByLabel(/password|passwort/i).fill(password);
  await page.getByRole('button', { name: /sign in|anmelden/i }).click();
  try {
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  } catch (error) {
    // Say what the page said, if anything, rather than only that it did not move on.
    const alerts = await page.getByRole('alert').allTextContents();
    throw new Error(
      `signing in as ${email} did not leave the sign-in page${alerts.length ? `: ${alerts.join(' ')}` : ''}`,
      { cause: error },
    );
  }
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** WCAG 2.1 A and AA (BITV 2.0); with best practices, also axe-core's rules such as heading order. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core in the page (or in one frame of it) and returns every violation it finds,
 * whatever its impact.
 */
export async function accessibilityViolations(
  page: Page | Frame,
  { bestPractice = false } = {},
): Promise<AxeViolation[]> {
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated rather than added as a <script>: the dashboard's Content-Security-Policy allows
  // no inline script, and the tests should run under the policy users get.
  await page.evaluate(axeSource);
  const tags = bestPractice ? [...WCAG_TAGS, 'best-practice'] : WCAG_TAGS;
  return page.evaluate(async (values) => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page above
    const axe = (window as any).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values },
      // Only violations are read; details of passing nodes cost seconds on large pages.
      resultTypes: ['violations'],
    });
    return result.violations as AxeViolation[];
  }, tags);
}

/** The WCAG 2.1 A and AA violations of serious and critical impact. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  const violations = await accessibilityViolations(page);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
