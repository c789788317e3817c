import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually, sessionsOfFile } from '../support/session.ts';

// The department network and the map on a 390×844 phone: no name drawn over another, and a map
// that fills its box instead of floating in blank space; and German's long words keep the goal
// cards within the screen.

const sessions = sessionsOfFile();

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The boxes of the texts an SVG chart draws, those hidden (opacity 0, display none) left out. */
async function drawnTexts(canvas: Locator): Promise<(Box & { text: string })[]> {
  return canvas.locator('svg text').evaluateAll((texts) =>
    texts.flatMap((node) => {
      const text = node as SVGTextElement;
      const style = getComputedStyle(text);
      const hidden =
        style.display === 'none' ||
        style.visibility === 'hidden' ||
        Number(style.opacity) === 0 ||
        Number(text.getAttribute('opacity') ?? 1) === 0 ||
        Number(text.getAttribute('fill-opacity') ?? 1) === 0;
      const box = text.getBoundingClientRect();
      if (hidden || box.width === 0 || (text.textContent ?? '').trim() === '') return [];
      return [
        {
          x: box.x,
          y: box.y,
          width: box.width,
          height: box.height,
          text: text.textContent ?? '',
        },
      ];
    }),
  );
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The partnership with the most department links, by the API. */
async function busiestPartnership(page: Page): Promise<string> {
  const response = await page.request.post('/graphql', {
    data: {
      query:
        '{ partnerships(first: 100) { edges { node { id germanCity { departments { id } } partnerCity { departments { id } } } } } }',
    },
  });
  const body = (await response.json()) as {
    data: {
      partnerships: {
        edges: {
          node: {
            id: string;
            germanCity: { departments: unknown[] };
            partnerCity: { departments: unknown[] };
          };
        }[];
      };
    };
  };
  const size = (n: (typeof body.data.partnerships.edges)[number]['node']) =>
    n.germanCity.departments.length + n.partnerCity.departments.length;
  const [first] = body.data.partnerships.edges.map((e) => e.node).sort((a, b) => size(b) - size(a));
  if (!first) throw new Error('no partnership');
  return first.id;
}

describe('charts on a phone', () => {
  it('draws the department network without a name over another', async () => {
    const { page } = await sessions.open({ email: 'evaluator@demo.udx', via: 'api' });
    await page.setViewportSize({ width: 390, height: 844 });
    const id = await busiestPartnership(page);
    await page.goto(`/partnerships/${encodeURIComponent(id)}?from=2022-01-01&to=2026-12-31`);
    const panel = page.getByRole('region', { name: 'Departments that worked together' });
    const canvas = panel.getByRole('img', { name: 'Departments that worked together' }).first();
    await canvas.locator('svg').waitFor();
    // The force layout settles over a few hundred milliseconds; judge the picture it settles on.
    let previous = '';
    await eventually(async () => {
      const now = JSON.stringify(await drawnTexts(canvas));
      const settled = now === previous;
      previous = now;
      await page.waitForTimeout(300);
      return settled;
    }).toBe(true);
    const texts = await drawnTexts(canvas);
    expect(texts.length).toBeGreaterThan(2);
    const clashes: string[] = [];
    for (const [i, a] of texts.entries()) {
      for (const b of texts.slice(i + 1)) {
        // a pixel or two of anti-aliasing is not a clash
        if (overlap(a, b) > 4) clashes.push(`${a.text} / ${b.text}`);
      }
    }
    expect(clashes).toEqual([]);
    // every text lies within the chart
    const box = await canvas.boundingBox();
    for (const text of texts) {
      expect(text.x, text.text).toBeGreaterThanOrEqual((box?.x ?? 0) - 1);
      expect(text.x + text.width, text.text).toBeLessThanOrEqual(
        (box?.x ?? 0) + (box?.width ?? 0) + 1,
      );
    }
  });

  it('fills the map box with the map', async () => {
    const { page } = await sessions.open({ email: 'monitor@demo.udx', via: 'api' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/');
    const canvas = page.getByRole('img', { name: 'Partnerships on the map' }).first();
    await canvas.locator('svg path').first().waitFor();
    const box = await canvas.boundingBox();
    // the land drawn: the union of the map's shapes
    const land = await canvas.locator('svg path').evaluateAll((paths) => {
      let top = Number.POSITIVE_INFINITY;
      let bottom = Number.NEGATIVE_INFINITY;
      for (const path of paths) {
        const r = path.getBoundingClientRect();
        if (r.height === 0) continue;
        top = Math.min(top, r.top);
        bottom = Math.max(bottom, r.bottom);
      }
      return { top, bottom };
    });
    expect(box).not.toBeNull();
    const height = box?.height ?? 0;
    const drawn = Math.min(land.bottom, (box?.y ?? 0) + height) - Math.max(land.top, box?.y ?? 0);
    expect(drawn / height).toBeGreaterThan(0.85);
  });

  it('keeps the German goal cards, with their long words, within the screen', async () => {
    const { page } = await sessions.open({ email: 'monitor@demo.udx', via: 'api', locale: 'de' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/goals/network');
    const card = page.getByRole('article', { name: 'Vernetzen' });
    await card.getByRole('link', { name: /Partnerschaftsvereinbarungen/ }).waitFor();
    const cardBox = await card.boundingBox();
    const tableBox = await card.getByRole('table').boundingBox();
    expect(tableBox?.width ?? 0).toBeLessThanOrEqual(cardBox?.width ?? 0);
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBeLessThanOrEqual(0);
  });
});
