/** An SDG target as the picker lists it, with the short title of its goal. */
export interface PickableTarget {
  code: string;
  title: string;
  goal: string;
}

/** Lower case without accents, so that "okologisch" finds "ökologisch". */
function plain(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/**
 * The targets a search finds, in catalogue order: by number when the search is one ("11",
 * "11.5", "6.a" – the targets whose code starts with it), else those whose title or goal holds
 * every word of it, in the language the API answered in.
 */
export function findTargets(
  targets: readonly PickableTarget[],
  search: string,
  limit = 12,
): PickableTarget[] {
  const query = plain(search.trim());
  if (query === '') return [];
  const byNumber = /^\d+(\.\w*)?$/.test(query);
  const words = query.split(/\s+/);
  const found = targets.filter((target) => {
    if (byNumber) {
      const code = target.code.toLocaleLowerCase();
      return query.includes('.') ? code.startsWith(query) : code.split('.')[0] === query;
    }
    const text = plain(`${target.title} ${target.goal}`);
    return words.every((word) => text.includes(word));
  });
  return found.slice(0, limit);
}
