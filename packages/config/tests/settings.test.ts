import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot, loadSettings, projectRoot, testDatabaseUrl } from '../src/settings.ts';

describe('settings from the environment', () => {
  it('defaults to port 4000 and the embedded database in .udx-data', () => {
    const settings = loadSettings({});
    expect(settings.port).toBe(4000);
    expect(settings.databaseUrl).toBeUndefined();
    expect(settings.dataDir).toBe(path.join(projectRoot, '.udx-data'));
    expect(settings.nodeEnv).toBe('development');
    expect(settings.isProduction).toBe(false);
  });

  it('reads PORT, DATABASE_URL, UDX_DATA_DIR and NODE_ENV', () => {
    const settings = loadSettings({
      PORT: '8080',
      DATABASE_URL: 'postgresql://udx@db.internal:5432/udx',
      UDX_DATA_DIR: '/var/lib/udx',
      NODE_ENV: 'production',
    });
    expect(settings).toMatchObject({
      port: 8080,
      databaseUrl: 'postgresql://udx@db.internal:5432/udx',
      dataDir: '/var/lib/udx',
      isProduction: true,
    });
  });

  it('publishes the whole schema in development, in production only with UDX_INTROSPECTION=on', () => {
    expect(loadSettings({}).introspection).toBe(true);
    expect(loadSettings({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(loadSettings({ NODE_ENV: 'production', UDX_INTROSPECTION: 'on' }).introspection).toBe(
      true,
    );
    expect(loadSettings({ UDX_INTROSPECTION: 'off' }).introspection).toBe(false);
    expect(() => loadSettings({ UDX_INTROSPECTION: 'yes' })).toThrow(/UDX_INTROSPECTION/);
  });

  it('publishes the approved figures in development, in production only with UDX_PUBLIC=on', () => {
    expect(loadSettings({}).publicFigures).toBe(true);
    expect(loadSettings({ NODE_ENV: 'production' }).publicFigures).toBe(false);
    expect(loadSettings({ NODE_ENV: 'production', UDX_PUBLIC: 'on' }).publicFigures).toBe(true);
    expect(loadSettings({ UDX_PUBLIC: 'off' }).publicFigures).toBe(false);
    expect(() => loadSettings({ UDX_PUBLIC: 'yes' })).toThrow(/UDX_PUBLIC/);
  });

  it('believes X-Forwarded-For only behind as many proxies as UDX_TRUST_PROXY says', () => {
    expect(loadSettings({}).trustedProxies).toBe(0);
    expect(loadSettings({ UDX_TRUST_PROXY: '1' }).trustedProxies).toBe(1);
    expect(() => loadSettings({ UDX_TRUST_PROXY: 'yes' })).toThrow(/UDX_TRUST_PROXY/);
  });

  it('reads DATABASE_REPLICA_URL beside DATABASE_URL, and refuses it with the embedded database', () => {
    const primary = 'postgresql://udx@db-primary:5432/udx';
    const replica = 'postgresql://udx@db-standby:5432/udx';
    expect(loadSettings({}).databaseReplicaUrl).toBeUndefined();
    expect(
      loadSettings({ DATABASE_URL: primary, DATABASE_REPLICA_URL: replica }).databaseReplicaUrl,
    ).toBe(replica);
    expect(() => loadSettings({ DATABASE_REPLICA_URL: replica })).toThrow(
      /DATABASE_REPLICA_URL needs DATABASE_URL/,
    );
    expect(() =>
      loadSettings({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'mysql://x' }),
    ).toThrow(/DATABASE_REPLICA_URL/);
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(loadSettings({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('names the variable that is wrong', () => {
    expect(() => loadSettings({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadSettings({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadSettings({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });

  it('prefers UDX_TEST_DATABASE_URL for the tests', () => {
    expect(testDatabaseUrl({ DATABASE_URL: 'postgres://a/b' })).toBe('postgres://a/b');
    expect(
      testDatabaseUrl({ DATABASE_URL: 'postgres://a/b', UDX_TEST_DATABASE_URL: 'postgres://c/d' }),
    ).toBe('postgres://c/d');
    expect(testDatabaseUrl({})).toBeUndefined();
  });
});

describe('the repository root', () => {
  it('is the folder of pnpm-workspace.yaml, found from any folder below it', () => {
    expect(existsSync(path.join(projectRoot, 'pnpm-workspace.yaml'))).toBe(true);
    expect(findProjectRoot(path.join(projectRoot, 'apps/api/dist'))).toBe(projectRoot);
    expect(findProjectRoot(path.join(projectRoot, 'packages/config/src'))).toBe(projectRoot);
  });

  it('is not found outside a checkout', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'udx-root-'));
    try {
      expect(findProjectRoot(outside)).toBeUndefined();
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
