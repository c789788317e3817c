import { describe, expect, it } from 'vitest';
import { contrastRatio } from '../src/lib/contrast.ts';
import { presentStatus, STATUSES } from '../src/lib/status.ts';
import de from '../src/locales/de.ts';
import en from '../src/locales/en.ts';

describe('status presentation', () => {
  it('gives each status its own label, colour and icon', () => {
    const shown = STATUSES.map(presentStatus);
    expect(new Set(shown.map((s) => s.colour)).size).toBe(STATUSES.length);
    expect(new Set(shown.map((s) => s.icon)).size).toBe(STATUSES.length);
    expect(presentStatus('ON_TRACK').labelKey).toBe('status.ON_TRACK');
    expect(presentStatus('OFF_TRACK').icon).toBe('cross');
  });

  it('has readable labels in both languages, never colour alone', () => {
    for (const status of STATUSES) {
      expect(en.status[status]).toMatch(/\w/);
      expect(de.status[status]).toMatch(/\w/);
    }
    expect(en.status.AT_RISK).toBe('At risk');
    expect(de.status.OFF_TRACK).toBe('Nicht im Plan');
  });

  it('keeps badge text at 4.5:1 against its background and against white', () => {
    for (const status of STATUSES) {
      const { colour, background } = presentStatus(status);
      expect(contrastRatio(colour, background), status).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(colour, '#ffffff'), status).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('shows a percentage without values as "no data yet", in a neutral colour, not as failure', () => {
    expect(STATUSES).toContain('NO_DATA');
    const noData = presentStatus('NO_DATA');
    expect(noData.labelKey).toBe('status.NO_DATA');
    expect(en.status.NO_DATA).toBe('No data yet');
    expect(de.status.NO_DATA).toBe('Noch keine Daten');
    const failing = ['OFF_TRACK', 'AT_RISK'].map((s) => presentStatus(s));
    for (const f of failing) {
      expect(noData.colour).not.toBe(f.colour);
      expect(noData.icon).not.toBe(f.icon);
    }
    expect(noData).not.toEqual(presentStatus('NO_TARGET'));
  });

  it('treats a missing or unknown status as having no target', () => {
    expect(presentStatus(null)).toEqual(presentStatus('NO_TARGET'));
    expect(presentStatus('SOMETHING_NEW')).toEqual(presentStatus('NO_TARGET'));
  });
});
