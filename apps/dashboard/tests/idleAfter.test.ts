import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { useIdleAfter } from '../src/composables/idleAfter.ts';

// The browser's idle callbacks, run by hand.
const waiting = new Map<number, () => void>();
let handles = 0;
vi.stubGlobal('requestIdleCallback', (run: () => void) => {
  handles += 1;
  waiting.set(handles, run);
  return handles;
});
vi.stubGlobal('cancelIdleCallback', (handle: number) => waiting.delete(handle));
function idle() {
  for (const [handle, run] of waiting) {
    waiting.delete(handle);
    run();
  }
}

afterEach(() => waiting.clear());

describe('a part of a page drawn when the browser is idle after the rest', () => {
  it('waits for what it follows, then for the browser to be idle, and stays drawn', async () => {
    const scope = effectScope();
    const loaded = ref(false);
    const drawn = scope.run(() => useIdleAfter(() => loaded.value));
    idle();
    expect(drawn?.value).toBe(false);

    loaded.value = true;
    await nextTick();
    expect(drawn?.value).toBe(false);
    idle();
    expect(drawn?.value).toBe(true);

    // new figures loading again do not take it away
    loaded.value = false;
    await nextTick();
    expect(drawn?.value).toBe(true);
    expect(waiting.size).toBe(0);
    scope.stop();
  });

  it('is not drawn after its page is gone', () => {
    const scope = effectScope();
    const drawn = scope.run(() => useIdleAfter(() => true));
    expect(waiting.size).toBe(1);
    scope.stop();
    expect(waiting.size).toBe(0);
    expect(drawn?.value).toBe(false);
  });
});
