import { spawnTracked } from '../support/processes';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseFileError, openServerDatabase, SchemaTooNewError } from '../../server/db/open';
import { DATABASE_FILE } from '../../server/start';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kb-datafile-'));
  dirs.push(dir);
  return dir;
}

/**
 * Runs the server command line to its end (or until it says it listens, which these tests count as
 * a failure: it should have refused). Root may write any file, so a read-only file is only read-only
 * to the server when it runs as someone else: as root the child runs as nobody.
 */
function startCli(
  data: string,
  asNobody = false,
): Promise<{ code: number | null; stderr: string[]; listened: boolean }> {
  const child = spawnTracked(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--port', '0', '--data', data],
    {
      cwd: ROOT,
      // As nobody, tsx keeps its cache in the data folder: the run's temporary folder is root's.
      env: { ...process.env, KEYBENCH_LOG_LEVEL: 'info', ...(asNobody && { TMPDIR: data }) },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asNobody && process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}),
    },
  );
  let out = '';
  let err = '';
  let listened = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (!listened && /reference server on http/.test(out)) {
      listened = true;
      child.kill('SIGKILL');
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, stderr: err.split('\n').filter((l) => l.trim()), listened })),
  );
}

describe('data files the server refuses', () => {
  it('reads the schema version of a newer database before touching it: the file stays byte for byte the same', async () => {
    const dir = dataDir();
    const file = join(dir, DATABASE_FILE);
    const newer = new Database(file);
    newer.exec('CREATE TABLE from_the_future (x INTEGER)');
    newer.pragma('user_version = 99'); // rollback-journal mode, as a newer server might leave it
    newer.close();
    const before = readFileSync(file);

    let error: unknown;
    try {
      openServerDatabase(file).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect((error as Error).message).toContain(file);

    const run = await startCli(dir);
    expect(run.listened).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr).toEqual([expect.stringContaining(file)]);
    expect(run.stderr[0]).toMatch(/schema version 99/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a database file it may not write at start, with one line naming the file', async () => {
    const dir = dataDir();
    const file = join(dir, DATABASE_FILE);
    openServerDatabase(file).close(); // a good database from an earlier run
    const before = readFileSync(file);
    chmodSync(file, 0o444);
    chmodSync(dir, 0o777); // the folder stays writable (WAL files); only the database file is read-only

    const run = await startCli(dir, true);
    expect(run.listened).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr).toEqual([expect.stringContaining(file)]);
    expect(run.stderr[0]).toMatch(/cannot write/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('names the file when it is not a database at all', async () => {
    const dir = dataDir();
    const file = join(dir, DATABASE_FILE);
    writeFileSync(file, 'this is a shopping list, not a database '.repeat(50));
    const before = readFileSync(file);
    expect(() => openServerDatabase(file)).toThrow(DatabaseFileError);
    expect(() => openServerDatabase(file)).toThrow(file);

    const run = await startCli(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toEqual([
      expect.stringMatching(new RegExp(`${file.replace(/[.]/g, '\\.')}: .*not a database`)),
    ]);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('names the folder when the database cannot be created there', async () => {
    const dir = dataDir();
    const blocked = join(dir, 'data');
    mkdirSync(join(blocked, DATABASE_FILE), { recursive: true }); // a folder where the file should be
    const run = await startCli(blocked);
    expect(run.code).toBe(1);
    expect(run.stderr).toEqual([expect.stringContaining(join(blocked, DATABASE_FILE))]);
  });
});
