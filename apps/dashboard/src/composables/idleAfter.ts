import { onScopeDispose, type Ref, ref, watch } from 'vue';

/**
 * Becomes true, once and for good, when the browser first has time to spare after `ready()` has
 * held: for a part of a page below its first screen whose drawing can wait until what is above
 * it is drawn (`requestIdleCallback`, at most `within` ms later; a browser without it waits for
 * the next task).
 */
export function useIdleAfter(ready: () => boolean, within = 500): Ref<boolean> {
  const idle = ref(false);
  let cancel: (() => void) | undefined;
  watch(
    ready,
    (isReady) => {
      if (!isReady || cancel) return;
      const done = () => {
        idle.value = true;
      };
      if (typeof requestIdleCallback === 'function') {
        const handle = requestIdleCallback(done, { timeout: within });
        cancel = () => cancelIdleCallback(handle);
      } else {
        const handle = setTimeout(done, 0);
        cancel = () => clearTimeout(handle);
      }
    },
    { immediate: true },
  );
  onScopeDispose(() => cancel?.());
  return idle;
}
