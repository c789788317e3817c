import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '@udx/config';

// `pnpm bench` at the repository's root. Without arguments: every package's benchmark through
// turbo (the API's sequential and load benchmarks, the dashboard's size and browser times).
// With arguments (`--scale tiny`, …): the API's load benchmark alone, with them, since turbo
// would hand them to every package's benchmark.

const apiDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const child =
  args.length === 0
    ? spawn('pnpm', ['exec', 'turbo', 'run', 'bench', '--concurrency=1'], {
        cwd: projectRoot,
        stdio: 'inherit',
      })
    : spawn(process.execPath, ['--import', 'tsx', 'bench/load-bench.ts', ...args], {
        cwd: apiDir,
        stdio: 'inherit',
      });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
