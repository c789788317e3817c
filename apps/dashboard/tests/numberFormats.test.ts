import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../src/i18n.ts';

const src = new URL('../src/', import.meta.url);

/** Every `n(…)` call of the components and pages, with its file. */
function numberCalls(): { file: string; call: string }[] {
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.vue'),
  );
  return files.flatMap((file) =>
    [...readFileSync(new URL(file, src), 'utf8').matchAll(/(?<![\w.])n\(([^()]*)\)/g)].map(
      (match) => ({ file, call: match[0] }),
    ),
  );
}

describe('figures in the dashboard', () => {
  it("are formatted with the named format 'count', whose formatter is made once per language", () => {
    // vue-i18n makes a new Intl.NumberFormat on every `n(value)` without a named format
    const calls = numberCalls();
    expect(calls.length).toBeGreaterThan(20);
    expect(calls.filter(({ call }) => !call.endsWith(", 'count')"))).toEqual([]);
  });

  it('group their digits in the way of the language', () => {
    expect(createAppI18n('en').global.n(12345, 'count')).toBe('12,345');
    expect(createAppI18n('de').global.n(12345, 'count')).toBe('12.345');
  });
});
