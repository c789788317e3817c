/**
 * Progress of long work on stderr, so that stdout keeps only the result: a bar redrawn in place
 * on a terminal, a plain line at most every few seconds otherwise (a log, a pipe, CI).
 */
export interface Progress {
  /** The work's state: the share done (0–1) when known, and what has been done in words. */
  update(share: number | null, text: string): void;
  /** The last state, left on its own line. */
  done(): void;
}

const BAR_WIDTH = 24;
const TERMINAL_INTERVAL_MS = 100;
const LINE_INTERVAL_MS = 1_000;

export function progressOnStderr(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  const terminal = stream.isTTY === true;
  let last = 0;
  let pending: string | null = null;
  const render = (share: number | null, text: string) => {
    const percent = share === null ? '' : ` ${String(Math.floor(share * 100)).padStart(3)}%`;
    if (!terminal) return `${label}:${percent} ${text}`;
    const filled = share === null ? 0 : Math.round(Math.min(1, share) * BAR_WIDTH);
    const bar = share === null ? '' : ` [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
    return `${label}${bar}${percent} ${text}`;
  };
  const show = (line: string) => {
    // \x1b[K clears what a longer line before left on the terminal
    stream.write(terminal ? `\r${line}\x1b[K` : `${line}\n`);
    pending = null;
    last = performance.now();
  };
  return {
    update(share, text) {
      const line = render(share, text);
      if (performance.now() - last >= (terminal ? TERMINAL_INTERVAL_MS : LINE_INTERVAL_MS)) {
        show(line);
      } else pending = line;
    },
    done() {
      if (pending !== null) show(pending);
      if (terminal && last > 0) stream.write('\n');
    },
  };
}

/** 100000 → "100,000": counts as people read them. */
export function count(value: number): string {
  return value.toLocaleString('en');
}
