import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { GuardantClient, type GuardantClientOptions } from '../../electron/core/api/guardant-client';
import { openStationDatabase, type StationDatabase } from '../../electron/core/db/open';
import { Outbox } from '../../electron/core/outbox/outbox';
import {
  OutboxWorker,
  type OutboxWorkerOptions,
  type PerformWrite,
} from '../../electron/core/outbox/outbox-worker';
import type { KeyIdentity } from '../../shared/station/models';
import { TEST_TOKEN, type TestServer } from '../support/server-harness';

/** A station data folder with its database; `reopen()` is what the next start of the app does. */
export class StationFiles {
  readonly dir = mkdtempSync(join(tmpdir(), 'kb-station-'));
  readonly file = join(this.dir, 'station.db');
  db: StationDatabase = openStationDatabase(this.file);
  outbox = new Outbox(this.db);

  /** Closes the database as a crash would leave it (nothing settled after this) and opens it again. */
  reopen(): void {
    if (this.db.open) this.db.close();
    this.db = openStationDatabase(this.file);
    this.outbox = new Outbox(this.db);
  }

  dispose(): void {
    if (this.db.open) this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function stationClient(
  baseUrl: string,
  options: Pick<GuardantClientOptions, 'fetch' | 'onReachability'> = {},
): GuardantClient {
  return new GuardantClient({
    baseUrl,
    credentials: () => ({ token: TEST_TOKEN }),
    timeoutMs: 5_000,
    ...options,
  });
}

/** performWrite as the license manager does it: write the key, report the write (and its key) to the server. */
export function writeThroughServer(client: GuardantClient): PerformWrite {
  return async (orderId, dongleId, idempotencyKey) => {
    const write = await client.recordWrite(orderId, dongleId, 0, idempotencyKey);
    return { actionResult: write.actionresult };
  };
}

export const FAST_BACKOFF = { baseMs: 20, maxMs: 200 };

export function worker(
  outbox: Outbox,
  client: GuardantClient,
  over: Partial<OutboxWorkerOptions> = {},
): OutboxWorker {
  return new OutboxWorker({
    outbox,
    client,
    performWrite: writeThroughServer(client),
    backoff: FAST_BACKOFF,
    ...over,
  });
}

/** Sign keys (no clock, no network) with consecutive ids. */
export function keyRange(first: number, count: number, over: Partial<KeyIdentity> = {}): KeyIdentity[] {
  return Array.from({ length: count }, (_, i) => ({
    dongleId: first + i,
    model: 2,
    publicCode: 1368487351,
    typeFlags: 0,
    netResource: 0,
    ...over,
  }));
}

/** The key ids an order holds, as the server reports them. */
export async function keysInOrder(t: TestServer, orderId: number): Promise<number[]> {
  const res = await t.call('GET', `/v1.0/orders/${orderId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.order.dongles ?? []).map((d: { dongleid: number }) => d.dongleid);
}

/** How many writes the server has recorded for a key. */
export async function historyCount(t: TestServer, dongleId: number): Promise<number> {
  const res = await t.call('GET', `/v1.0/getdonglehistory/${dongleId}?limit=1000`);
  if (res.status === 404) return 0;
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.history.length;
}

/** A promise that never settles: a send that was cut off by a crash. */
export const never = <T>() => new Promise<T>(() => {});
