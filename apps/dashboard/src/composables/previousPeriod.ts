import { computed } from 'vue';
import { usePeriodWords } from './periodWords.ts';

/**
 * The previous period in words ("2025"), against which the server gives every figure's change;
 * undefined while the figures load and for all years, which have no previous period.
 */
export function usePreviousPeriod(period: () => { from: string; to: string } | null | undefined) {
  const periodWords = usePeriodWords();
  return computed(() => {
    const p = period();
    return p ? periodWords(p.from, p.to) : undefined;
  });
}
