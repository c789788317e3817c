import { useI18n } from 'vue-i18n';
import { periodWords } from '../lib/period.ts';

/** `periodWords` in the current language, for running text: "2026", "Q3 2026", "all years" … */
export function usePeriodWords() {
  const { t, locale } = useI18n();
  return (from: string | null | undefined, to: string | null | undefined): string =>
    periodWords(from, to, locale.value, {
      allYears: t('period.allYears'),
      since: (day) => t('period.since', { from: day }),
      until: (day) => t('period.until', { to: day }),
    });
}
