import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startServer } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/**
 * One udx server for all end-to-end tests, on a fresh embedded database with the demo data.
 * `UDX_E2E_BASE_URL` points the tests at a udx already running with the demo data instead
 * (quicker while writing tests; the tests assert relative changes where they change data).
 */
export default async function setup(project: TestProject) {
  const existing = process.env.UDX_E2E_BASE_URL;
  if (existing) {
    project.provide('baseUrl', existing.replace(/\/$/, ''));
    return;
  }
  const server = await startServer();
  project.provide('baseUrl', server.url);
  return async () => {
    await server.stop();
  };
}
