import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A port nobody listens on now, for a child process to listen on. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A child process the benchmark started, with its output and memory at hand. */
export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** Every line the process wrote to standard output so far. */
  lines: string[];
  stop(): Promise<void>;
}

/**
 * Starts `command` with `args` and waits until `url` + `readyPath` answers at all (each server
 * listens once it is ready to serve); its output is collected line by line. Fails with the
 * output when it exits or does not answer in time. A `detached` command (npx, which starts the
 * server as a grandchild) runs in a process group of its own, and is stopped as a group.
 */
export async function startChildServer(options: {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  url: string;
  readyPath: string;
  timeoutMs?: number;
  detached?: boolean;
}): Promise<ChildServer> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const group = options.detached ?? false;
  const lines: string[] = [];
  const errors: string[] = [];
  collectLines(child.stdout, lines);
  collectLines(child.stderr, errors);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (exited !== undefined || Date.now() > deadline) {
      signal(child, 'SIGKILL', group);
      const output = [...lines, ...errors].slice(-20).join('\n');
      throw new Error(
        `${options.command} ${options.args.join(' ')} did not start (${exited === undefined ? 'no answer in time' : `exit code ${exited}`}):\n${output}`,
      );
    }
    if (await answers(options.url + options.readyPath)) break;
    await sleep(200);
  }
  return {
    url: options.url,
    process: child,
    lines,
    stop: () => stopChild(child, group),
  };
}

function collectLines(stream: NodeJS.ReadableStream | null, into: string[]): void {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    into.push(...parts);
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** Sends `name` to the child, or to its whole process group (by the child's own id). */
function signal(child: ChildProcess, name: NodeJS.Signals, group: boolean): void {
  if (child.pid === undefined) return;
  try {
    if (group) process.kill(-child.pid, name);
    else child.kill(name);
  } catch {
    // it has exited already
  }
}

async function stopChild(child: ChildProcess, group: boolean): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    if (group) signal(child, 'SIGTERM', group);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signal(child, 'SIGTERM', group);
  const forced = setTimeout(() => signal(child, 'SIGKILL', group), 10_000);
  await exited;
  clearTimeout(forced);
}

/**
 * Peak resident memory of a process (Linux): `VmHWM` in /proc. `resetPeak` starts a new peak
 * (writing 5 to clear_refs), so that each scenario reports its own; where either is not
 * possible the figure is undefined or covers the process's life so far.
 */
export const peakMemory = {
  resetPeak(pid: number | undefined): void {
    if (pid === undefined) return;
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      // not Linux, or not allowed: the peak then covers the process's life so far
    }
  },
  megabytes(pid: number | undefined): number | undefined {
    if (pid === undefined) return undefined;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kilobytes = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
      return kilobytes ? Number(kilobytes) / 1024 : undefined;
    } catch {
      return undefined;
    }
  },
};
