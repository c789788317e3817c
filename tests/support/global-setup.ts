import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { launchBrowserServer } from './browser.ts';
import { startServer } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    browserWSEndpoint: string;
  }
}

/**
 * One udx server for all end-to-end tests, on a fresh embedded database with the demo data, and
 * one Chromium that every test file connects to. `UDX_E2E_BASE_URL` points the tests at a udx
 * already running with the demo data set instead (quicker while writing tests; the tests assert
 * relative changes where they change data).
 */
export default async function setup(project: TestProject) {
  const existing = process.env.UDX_E2E_BASE_URL;
  // Chromium starts while udx loads its data; whichever fails, the other is stopped again.
  const [started, launched] = await Promise.allSettled([
    existing ? undefined : startServer(),
    launchBrowserServer(),
  ]);
  if (started.status === 'rejected' || launched.status === 'rejected') {
    if (started.status === 'fulfilled') await started.value?.stop();
    if (launched.status === 'fulfilled') await launched.value.close();
    throw started.status === 'rejected'
      ? started.reason
      : (launched as PromiseRejectedResult).reason;
  }
  const server = started.value;
  const browser = launched.value;
  project.provide('baseUrl', existing ? existing.replace(/\/$/, '') : (server?.url ?? ''));
  project.provide('browserWSEndpoint', browser.wsEndpoint());
  return async () => {
    await browser.close();
    await server?.stop();
  };
}
