import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUN_DIR_ENV, RUN_MARK_ENV } from './test-run';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Children this process started and that have not exited yet. */
const running = new Set<ChildProcess>();

/**
 * Every process a test starts goes through here: it is remembered in this process (so a suite can
 * stop what it started even when a test failed half-way, see stopStarted) and written down in the run
 * directory the global setup made (so the global teardown kills it even when the worker itself died).
 * Its environment carries the run's mark, which its own children inherit: the teardown finds them too.
 */
export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const runDir = process.env[RUN_DIR_ENV];
  const child = spawn(command, args, {
    ...options,
    env: { ...(options.env ?? process.env), ...(runDir ? { [RUN_MARK_ENV]: runDir } : {}) },
  });
  if (child.pid === undefined) return child; // failed to spawn: its 'error' event says why
  running.add(child);
  let pidFile: string | null = null;
  if (runDir) {
    const dir = join(runDir, 'pids');
    mkdirSync(dir, { recursive: true });
    pidFile = join(dir, String(child.pid));
    writeFileSync(pidFile, `${command} ${args.join(' ')}\n`);
  }
  child.once('exit', () => {
    running.delete(child);
    if (pidFile) rmSync(pidFile, { force: true });
  });
  return child;
}

/** Starts a TypeScript entry point with tsx from the repository root; resolves once its output matches `ready`. */
export function launchTsx(
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawnTracked(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (match) resolve({ child, match });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`${args[0]} exited with ${code ?? signal} before it was ready:\n${out}`)),
    );
  });
}

/** Stops a child process (if it still runs) and resolves once it has exited. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/**
 * Kills every child this process started that still runs, and waits for them to exit. The vitest
 * setup file calls it after each test file, whatever its outcome; a suite may call it sooner.
 */
export async function stopStarted(): Promise<number> {
  const survivors = [...running];
  await Promise.all(survivors.map((child) => stopProcess(child, 'SIGKILL')));
  return survivors.length;
}
