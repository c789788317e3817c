import { onBeforeUnmount, ref } from 'vue';

/** Below this width the header folds its navigation behind a menu (styles.css) and charts draw compact. */
const NARROW_SCREEN = '(max-width: 699.98px)';

/** Whether the window is as narrow as a phone's, kept up to date as it turns or resizes. */
export function useNarrowScreen() {
  const query = typeof window === 'undefined' ? undefined : window.matchMedia(NARROW_SCREEN);
  const narrow = ref(query?.matches ?? false);
  const update = (event: MediaQueryListEvent) => {
    narrow.value = event.matches;
  };
  query?.addEventListener('change', update);
  onBeforeUnmount(() => query?.removeEventListener('change', update));
  return narrow;
}
