import { describe, expect, it } from 'vitest';
import { EMBED_SIZE, embedSnippet, embedUrl } from '../src/lib/embed.ts';

describe('the widget snippet', () => {
  it('frames the partnership’s widget in the page’s language, its id written for a URL', () => {
    expect(embedUrl('https://udx.example.org', 'UGFydG5lcnNoaXA6MQ==', 'de')).toBe(
      'https://udx.example.org/embed/partnerships/UGFydG5lcnNoaXA6MQ%3D%3D?lang=de',
    );
  });

  it('gives the frame a title, its size and lazy loading, with quotes in the title escaped', () => {
    const snippet = embedSnippet(
      'https://udx.example.org/embed/partnerships/x?lang=en&a=1',
      'The "Bonn" card',
    );
    expect(snippet).toBe(
      '<iframe src="https://udx.example.org/embed/partnerships/x?lang=en&amp;a=1" ' +
        'title="The &quot;Bonn&quot; card" ' +
        `width="${EMBED_SIZE.width}" height="${EMBED_SIZE.height}" loading="lazy" style="border:0"></iframe>`,
    );
  });
});
