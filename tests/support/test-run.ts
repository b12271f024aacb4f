import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One directory per test run (vitest or Playwright) holds everything the run leaves on disk: the
 * temporary folders of every test (TMPDIR points into it, so mkdtemp(tmpdir()) lands there) and a
 * file per process a test started (tests/support/processes.ts). The global teardown kills whatever
 * is still running and removes the directory; another run on the same machine is never touched.
 */
export const RUN_DIR_ENV = 'KEYBENCH_TEST_RUN_DIR';
/** Set in the environment of every process a test starts (and so of their children): the run dir. */
export const RUN_MARK_ENV = 'KEYBENCH_TEST_RUN_CHILD';
const PREFIX = 'kb-test-run-';
const TMP_VARS = ['TMPDIR', 'TMP', 'TEMP'] as const;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux: the processes whose environment carries this run's mark (children and their children). */
function markedProcesses(runDir: string): number[] {
  if (!existsSync('/proc/self/environ')) return [];
  const mark = `${RUN_MARK_ENV}=${runDir}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(mark))
        found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** The pids the run's tests wrote down; on Linux only those that still carry the mark (no reused pid). */
function registeredProcesses(runDir: string): number[] {
  const dir = join(runDir, 'pids');
  if (!existsSync(dir)) return [];
  const pids = readdirSync(dir)
    .filter((f) => /^\d+$/.test(f))
    .map(Number);
  if (!existsSync('/proc/self/environ')) return pids.filter(alive);
  const marked = new Set(markedProcesses(runDir));
  return pids.filter((pid) => marked.has(pid));
}

/** Kills every process the run started that still runs, waits until they are gone, removes the run dir. */
export async function reapRun(runDir: string): Promise<string[]> {
  const pids = [...new Set([...registeredProcesses(runDir), ...markedProcesses(runDir)])].filter(
    (pid) => pid !== process.pid,
  );
  const killed: string[] = [];
  for (const pid of pids) {
    let what = String(pid);
    try {
      what += ` ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim()}`;
    } catch {
      // not Linux, or already gone
    }
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(what);
    } catch {
      // exited meanwhile
    }
  }
  // A killed process is not our child here, so there is no exit event to wait for: look until it is gone.
  const until = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  rmSync(runDir, { recursive: true, force: true });
  return killed;
}

/** Runs whose owner (a test runner process) is gone: killed, crashed, interrupted. */
async function reapAbandonedRuns(parent: string): Promise<void> {
  let entries: string[];
  try {
    entries = readdirSync(parent).filter((e) => e.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const entry of entries) {
    const dir = join(parent, entry);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, 'owner'), 'utf8'));
    } catch {
      continue; // being set up right now, or not one of ours
    }
    if (!Number.isInteger(owner) || owner <= 0 || alive(owner)) continue;
    const killed = await reapRun(dir);
    if (killed.length) report(`an earlier run (${dir}) had left`, killed);
  }
}

function report(what: string, killed: string[]): void {
  console.warn(
    `[test teardown] ${what} ${killed.length} process(es) running; killed:\n  ${killed.join('\n  ')}`,
  );
}

/**
 * Global setup for vitest and Playwright: makes the run directory and points TMPDIR into it (the
 * workers inherit both), first cleaning up after earlier runs that died. Returns the teardown.
 */
export async function setupRun(): Promise<() => Promise<void>> {
  const parent = tmpdir();
  await reapAbandonedRuns(parent);
  const runDir = mkdtempSync(join(parent, PREFIX));
  const tmp = join(runDir, 'tmp');
  mkdirSync(tmp);
  // Traversable (not listable or writable) by others: a test that runs a child as another user (the
  // server as nobody, to meet a read-only file as an operator would) must reach its folder in here.
  chmodSync(runDir, 0o711);
  chmodSync(tmp, 0o711);
  writeFileSync(join(runDir, 'owner'), String(process.pid));
  const saved = Object.fromEntries([RUN_DIR_ENV, ...TMP_VARS].map((k) => [k, process.env[k]]));
  process.env[RUN_DIR_ENV] = runDir;
  for (const k of TMP_VARS) process.env[k] = tmp;
  return async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    const killed = await reapRun(runDir);
    if (killed.length) report('tests left', killed);
  };
}
