import { randomUUID } from 'node:crypto';
import {
  ActionResult,
  actionResultMeaning,
  retcodeMeaning,
  type ActionResult as ActionResultCode,
} from '../../../shared/guardant/codes';
import type { LastBurn } from '../../../shared/guardant/responses';
import type { OutboxItem, WriteProgress, WriteStage } from '../../../shared/station/models';
import type { DongleIdentity } from '../api/guardant-client';

/** What the pipeline needs from the rest of the station; the composition root supplies it. */
export interface LicenseWriterPorts {
  enqueueAddKeys(orderId: number, keys: DongleIdentity[]): OutboxItem;
  enqueueWrite(orderId: number, dongleId: number): OutboxItem;
  /** Resolves once the item is done, failed or cancelled. */
  settled(itemId: number): Promise<OutboxItem>;
  /** The key's identity while it is plugged; null once it is gone. */
  identity(dongleId: number): DongleIdentity | null;
  lastBurn(orderId: number, dongleId: number): Promise<LastBurn | null>;
  /** The key's last burn _id before the item's write was sent; null when it was never sent. */
  baselineOf(itemId: number): number | null;
  progress(event: WriteProgress): void;
  keyState(
    dongleId: number,
    state: 'in-order' | 'written' | 'failed',
    orderId: number,
    actionResult: number | null,
  ): void;
  log(entry: { action: string; orderId: number; dongleId: number; outcome: string; detail?: string }): void;
}

const ADDED = new Set(['0', '10168']);

function meaning(code: number): string {
  return actionResultMeaning[code as ActionResultCode] ?? `The key answered code ${code}.`;
}

/**
 * Writes an order's licence into a set of plugged keys: makes sure every key is in the order (through
 * the outbox), writes each one (through the outbox, which reconciles billed writes after a crash), and
 * reports every key's progress and outcome in the operator's words.
 */
export class LicenseWriter {
  constructor(private readonly ports: LicenseWriterPorts) {}

  /** Starts a job and returns its id at once; progress arrives through ports.progress. */
  start(orderId: number, dongleIds: number[]): { jobId: string; done: Promise<WriteProgress[]> } {
    const jobId = randomUUID();
    return { jobId, done: this.run(jobId, orderId, [...new Set(dongleIds)]) };
  }

  private async run(jobId: string, orderId: number, dongleIds: number[]): Promise<WriteProgress[]> {
    const total = dongleIds.length;
    const outcomes: WriteProgress[] = [];
    const report = (
      dongleId: number,
      stage: WriteStage,
      message: string,
      actionResult: number | null = null,
      lastBurn: LastBurn | null = null,
      apiCode: number | null = null,
    ) => {
      const final = stage === 'done' || stage === 'failed' || stage === 'unplugged';
      const event: WriteProgress = {
        jobId,
        orderId,
        dongleId,
        stage,
        actionResult,
        apiCode,
        message,
        lastBurn,
        done: outcomes.length + (final ? 1 : 0),
        total,
      };
      if (final) outcomes.push(event);
      this.ports.progress(event);
      return event;
    };
    const finish = (
      dongleId: number,
      stage: 'failed' | 'unplugged',
      message: string,
      code: number | null,
      burn: LastBurn | null = null,
      apiCode: number | null = null,
    ) => {
      report(dongleId, stage, message, code, burn, apiCode);
      this.ports.keyState(dongleId, 'failed', orderId, code ?? apiCode);
      this.ports.log({ action: 'write', orderId, dongleId, outcome: stage, detail: message });
    };

    // Keys that are gone before we start are reported at once rather than queued for nothing.
    const present: DongleIdentity[] = [];
    for (const dongleId of dongleIds) {
      const identity = this.ports.identity(dongleId);
      if (identity) {
        present.push(identity);
        report(dongleId, 'queued', 'Waiting to be added to the order.');
      } else {
        finish(
          dongleId,
          'unplugged',
          'The key is not plugged in. Plug it back in and retry.',
          ActionResult.DongleNotFound,
        );
      }
    }
    if (present.length === 0) return outcomes;

    for (const key of present) report(key.dongleId, 'adding', 'Adding to the order.');
    const added = await this.ports.settled(this.ports.enqueueAddKeys(orderId, present).id);
    const writable: number[] = [];
    for (const key of present) {
      const retcode = added.result?.[String(key.dongleId)];
      if (added.status === 'done' && retcode !== undefined && ADDED.has(retcode)) {
        this.ports.keyState(key.dongleId, 'in-order', orderId, null);
        writable.push(key.dongleId);
      } else {
        const why =
          retcode !== undefined && !ADDED.has(retcode)
            ? retcodeMeaning(retcode)
            : added.status === 'cancelled'
              ? 'Cancelled by the operator.'
              : `Not added to the order: ${added.lastError ?? 'no answer for this key'}`;
        finish(key.dongleId, 'failed', why, null, null, retcode !== undefined ? Number(retcode) : null);
      }
    }

    // Writes queue up in the order's lane, one key after another, so progress moves key by key.
    const items = writable.map((dongleId) => ({
      dongleId,
      item: this.ports.enqueueWrite(orderId, dongleId),
    }));
    for (const { dongleId, item } of items) {
      report(dongleId, 'writing', 'Writing the licence.');
      const settled = await this.ports.settled(item.id);
      const raw = settled.result?.[String(dongleId)];
      const code = raw === undefined ? null : Number(raw);
      if (settled.status === 'done' && code === ActionResult.Success) {
        report(dongleId, 'done', meaning(0), 0);
        this.ports.keyState(dongleId, 'written', orderId, 0);
        this.ports.log({ action: 'write', orderId, dongleId, outcome: 'written' });
        continue;
      }
      if (settled.status === 'cancelled') {
        finish(dongleId, 'failed', 'Cancelled by the operator.', null);
        continue;
      }
      // Only a record newer than the write's baseline is about this write, not yesterday's.
      const baseline = this.ports.baselineOf(item.id);
      const latest =
        baseline === null ? null : await this.ports.lastBurn(orderId, dongleId).catch(() => null);
      const burn = latest && baseline !== null && latest._id > baseline ? latest : null;
      const result = code ?? burn?.actionresult ?? null;
      const gone = result === ActionResult.DongleNotFound || this.ports.identity(dongleId) === null;
      const message =
        result !== null ? meaning(result) : `Not written: ${settled.lastError ?? 'unknown reason'}`;
      finish(dongleId, gone ? 'unplugged' : 'failed', message, result, burn);
    }
    return outcomes;
  }
}
