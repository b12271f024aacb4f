import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { spawnTracked } from '../support/processes';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a suite that fails on purpose (tests/harness/fixtures): one test fails with a child running,
 * another kills its own worker, so none of its hooks run. Each child started a grandchild of its own.
 * After that run nothing it started may still run, and nothing it put in a temp folder may remain.
 */
it('a failing suite leaves no process and no temp folder behind', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'kb-proof-out-')), 'started.jsonl');
  const run = spawnTracked(
    process.execPath,
    [
      join(ROOT, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      'tests/harness/fixtures/vitest.config.ts',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KB_PROOF_OUT: out, NO_COLOR: '1' },
    },
  );
  let output = '';
  run.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  run.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => run.once('exit', (c) => resolve(c)));

  expect(code, output).not.toBe(0);
  expect(output).toMatch(/1 failed/);
  expect(existsSync(out), `the fixtures never started their children:\n${output}`).toBe(true);
  const started = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { name: string; child: number; grandchild: number; dir: string });
  expect(started.map((s) => s.name).sort()).toEqual(['dead worker', 'failed test']);
  for (const s of started) {
    expect(alive(s.child), `${s.name}: child ${s.child}`).toBe(false);
    expect(alive(s.grandchild), `${s.name}: grandchild ${s.grandchild}`).toBe(false);
    expect(existsSync(s.dir), `${s.name}: ${s.dir}`).toBe(false);
  }
  // The teardown says what it had to kill, so a leaking suite is visible in the run's output.
  expect(output).toMatch(/\[test teardown\] tests left \d+ process\(es\) running/);
}, 300_000);
