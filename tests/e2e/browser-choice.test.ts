import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chooseChromium, launchOptionsFor } from '../support/browser.ts';

// Which Chromium `pnpm test` drives decides whether the suite runs on a machine with Node and
// pnpm only; these tests pin the order of choice and that the packaged fallback renders text.
describe('the Chromium the tests drive', () => {
  const folder = mkdtempSync(join(tmpdir(), 'udx-browser-choice-'));
  const executable = join(folder, 'chromium');
  writeFileSync(executable, '#!/bin/sh\n');
  chmodSync(executable, 0o755);
  const notExecutable = join(folder, 'readme');
  writeFileSync(notExecutable, 'not a browser');

  it('is CHROMIUM_PATH when that is set', async () => {
    const choice = await chooseChromium({ CHROMIUM_PATH: executable }, []);
    expect(choice).toMatchObject({ executablePath: executable, source: 'CHROMIUM_PATH' });
  });

  it('refuses a CHROMIUM_PATH that cannot run, naming it', async () => {
    await expect(chooseChromium({ CHROMIUM_PATH: notExecutable }, [])).rejects.toThrow(
      `CHROMIUM_PATH=${notExecutable} is not an executable file`,
    );
  });

  it('is a system Chromium that is installed and executable, skipping one that is not', async () => {
    const choice = await chooseChromium({}, [join(folder, 'missing'), notExecutable, executable]);
    expect(choice).toMatchObject({ executablePath: executable, source: 'system' });
  });

  it('is the packaged Chromium without a system one, and it renders text in a real font', async () => {
    const choice = await chooseChromium({}, []);
    expect(choice.source).toBe('@sparticuz/chromium');
    const browser = await chromium.launch(launchOptionsFor(choice));
    try {
      const page = await browser.newPage();
      await page.setContent('<p style="font: 16px sans-serif">Hamburg – Chicago</p>');
      // The font Chromium actually drew the text with, as the DevTools protocol reports it:
      // on a machine without system fonts it must be the one the package brings.
      const session = await page.context().newCDPSession(page);
      await session.send('DOM.enable');
      await session.send('CSS.enable');
      const { root } = await session.send('DOM.getDocument');
      const { nodeId } = await session.send('DOM.querySelector', {
        nodeId: root.nodeId,
        selector: 'p',
      });
      const { fonts } = await session.send('CSS.getPlatformFontsForNode', { nodeId });
      expect(fonts.length).toBeGreaterThan(0);
      expect(fonts.reduce((glyphs, font) => glyphs + font.glyphCount, 0)).toBe(
        'Hamburg – Chicago'.length,
      );
      const screenshot = await page.locator('p').screenshot();
      expect(screenshot.byteLength).toBeGreaterThan(500);
    } finally {
      await browser.close();
    }
  });
});
