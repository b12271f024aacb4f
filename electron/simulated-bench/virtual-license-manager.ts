import { EventEmitter } from 'node:events';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ActionResult } from '../../shared/guardant/codes';
import { toUint32 } from '../../shared/guardant/numbers';
import { licenceContentOfOrder } from '../../shared/license-manager/licence-content';
import {
  lmWriteRequestSchema,
  type LmDongleWire,
  type LmLicence,
  type LmLicenceProduct,
  type LmReadBack,
  type SpoiledWrite,
  type LmErrorBody,
  type LmErrorCode,
  type LmWriteResult,
  type LmWriteUnderWay,
  type LmActivity,
} from '../../shared/license-manager/schemas';
import { BadServerResponseError, GuardantApiError, ServerUnreachableError } from '../core/api/errors';
import type { GuardantClient } from '../core/api/guardant-client';
import { licenceDigest } from '../core/verification/licence-digest';
import { spoilLicence, type VirtualKey } from './virtual-key';

/** What a key reports when its write fails on the device side. */
export type DeviceFailure = typeof ActionResult.DongleBurnFailed | typeof ActionResult.DongleNotFound;

export interface VirtualLicenseManagerOptions {
  /** Where writes are prepared and recorded, so the history and the vendor's balance are real. */
  guardant: Pick<GuardantClient, 'recordWrite' | 'getOrder'>;
  /** How long after a key is plugged the manager has read it; until then it is not listed. */
  identifyDelayMs?: number;
  /** Lists ids in signed form, as some Guardant tools print them. */
  signedIds?: boolean;
  /**
   * Where the virtual keys' memory is kept, so a restarted station host finds in each key what was
   * written into it, as with a real key (verify after write reads it back); none: memory only.
   */
  memoryFile?: string;
}

/** A key in a port. A new plug of the same key is a new object, so a write can tell it was re-plugged. */
interface Plug {
  key: VirtualKey;
  usbPath: string;
  readableAt: number;
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: LmErrorCode,
    message: string,
    readonly apiCode?: number,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * The simulated bench's license manager: a real HTTP server on loopback speaking the license-manager
 * API (docs/license-manager-api.md) for the virtual keys. A write "burns" for half the configured
 * delay, reports the outcome to the Guardant server (which decides the final result and records it),
 * then reads the key back for the other half before answering.
 */
export class VirtualLicenseManager {
  private readonly plugs = new Map<number, Plug>();
  private readonly deviceFailures = new Map<number, DeviceFailure>();
  private readonly spoiledWrites = new Map<number, SpoiledWrite>();
  /** What each key's memory holds, by key id: it outlives unplugging, as a real key's memory does. */
  private readonly licences = new Map<number, LmLicence>();
  /** Keys with a write under way: a read-back meanwhile answers DONGLE_BUSY. */
  private readonly writing = new Map<number, number>();
  /** The licence each order burns, as the server prepared it: a Submitted order's terms are fixed. */
  private readonly prepared = new Map<
    number,
    Promise<{ orderNumber: number; products: LmLicenceProduct[] }>
  >();
  /** Writes accepted and not answered yet, per key: what the activity read answers. */
  private readonly underWay = new Map<number, LmWriteUnderWay[]>();
  /** The write under way with each idempotency key: a second request with it joins this one. */
  private readonly byIdempotencyKey = new Map<
    string,
    { dongleId: number; orderId: number; result: Promise<LmWriteResult> }
  >();
  /** Writes into one key run one after another, as on a real key. */
  private readonly keyLocks = new Map<number, Promise<unknown>>();
  private readonly closing = new AbortController();
  private delayMs = 0;
  private listeningUrl = '';
  /** 'burn-started' (dongleId): a write has begun in a plugged key; tests pull keys out at this point. */
  readonly events = new EventEmitter<{ 'burn-started': [dongleId: number] }>();

  private readonly server: Server = createServer((req, res) => void this.handle(req, res));

  private constructor(private readonly options: VirtualLicenseManagerOptions) {
    if (!options.memoryFile) return;
    try {
      const saved = JSON.parse(readFileSync(options.memoryFile, 'utf8')) as Array<[number, LmLicence]>;
      for (const [dongleId, licence] of saved) this.licences.set(dongleId, licence);
    } catch {
      // No file yet (or a damaged one): the keys hold nothing, as fresh keys do.
    }
  }

  /** Keeps the keys' memory on disk (write then rename, so a kill leaves the old or the new file). */
  private saveMemory(): void {
    const file = this.options.memoryFile;
    if (!file) return;
    writeFileSync(`${file}.tmp`, JSON.stringify([...this.licences]));
    renameSync(`${file}.tmp`, file);
  }

  /** Listens on an ephemeral loopback port. */
  static async start(options: VirtualLicenseManagerOptions): Promise<VirtualLicenseManager> {
    const manager = new VirtualLicenseManager(options);
    await new Promise<void>((resolve, reject) => {
      manager.server.once('error', reject);
      manager.server.listen(0, '127.0.0.1', resolve);
    });
    manager.listeningUrl = `http://127.0.0.1:${(manager.server.address() as AddressInfo).port}`;
    return manager;
  }

  get url(): string {
    return this.listeningUrl;
  }

  /** The key has been plugged into the port. */
  insert(key: VirtualKey, usbPath: string): void {
    this.plugs.set(key.dongleId, {
      key,
      usbPath,
      readableAt: Date.now() + (this.options.identifyDelayMs ?? 0),
    });
  }

  /** The key has been pulled out; a write into it that is under way will answer 202. */
  remove(dongleId: number): void {
    this.plugs.delete(toUint32(dongleId));
  }

  /** The next write into the key fails on the device with this result. */
  failNextWrite(dongleId: number, result: DeviceFailure): void {
    this.deviceFailures.set(toUint32(dongleId), result);
  }

  /**
   * The next successful write into the key is spoiled: it reports success (and the server records a
   * success) but the key then holds something else, or nothing. Spent by the first write that succeeds.
   */
  spoilNextWrite(dongleId: number, how: SpoiledWrite): void {
    this.spoiledWrites.set(toUint32(dongleId), how);
  }

  /** What the key's memory holds now (null: no licence), plugged or not; for tests. */
  heldLicence(dongleId: number): LmLicence | null {
    return this.licences.get(toUint32(dongleId)) ?? null;
  }

  /**
   * Every write takes this long from now on (half burning, half reading back); 0 restores full speed.
   * Listing keys stays prompt, as on a real manager: the station gives a listing only 5 s, so a slowed
   * listing would make a training bench (--slow 6000) look empty instead of slow to write.
   */
  slow(delayMs: number): void {
    this.delayMs = delayMs;
  }

  async close(): Promise<void> {
    this.closing.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = new URL(req.url ?? '/', 'http://lm').pathname;
      const write = /^\/v1\.0\/lm\/dongles\/(-?\d{1,10})\/write$/.exec(path);
      const readBack = /^\/v1\.0\/lm\/dongles\/(-?\d{1,10})\/licence$/.exec(path);
      const activity = /^\/v1\.0\/lm\/dongles\/(-?\d{1,10})\/activity$/.exec(path);
      if (req.method === 'GET' && path === '/v1.0/lm/dongles') {
        return send(res, 200, { dongles: this.list() });
      }
      if (req.method === 'GET' && readBack) {
        return send(res, 200, this.readBack(toUint32(Number(readBack[1]))));
      }
      if (req.method === 'GET' && activity) {
        return send(res, 200, this.activity(toUint32(Number(activity[1]))));
      }
      if (req.method === 'POST' && write) {
        const body = lmWriteRequestSchema.safeParse(await readJson(req));
        if (!body.success) {
          throw new HttpFailure(
            400,
            'BAD_REQUEST',
            'body must be {"orderId": <order id>, "idempotencyKey"?: <letters, digits, . _ : - up to 128>}',
          );
        }
        const dongleId = toUint32(Number(write[1]));
        return send(res, 200, await this.accept(dongleId, body.data.orderId, body.data.idempotencyKey));
      }
      throw new HttpFailure(404, 'NOT_FOUND', `no route ${req.method} ${path}`);
    } catch (error) {
      if (this.closing.signal.aborted) return void res.destroy();
      const failure = error instanceof HttpFailure ? error : fromGuardantError(error);
      const body: LmErrorBody = {
        error: {
          code: failure.code,
          message: failure.message,
          ...(failure.apiCode !== undefined && { apiCode: failure.apiCode }),
        },
      };
      send(res, failure.status, body);
    }
  }

  private list(): LmDongleWire[] {
    const now = Date.now();
    return [...this.plugs.values()]
      .filter((plug) => plug.readableAt <= now)
      .map(({ key, usbPath }) => ({
        dongleId: this.options.signedIds ? key.dongleId | 0 : key.dongleId,
        dongleModel: key.model,
        publicCode: key.publicCode,
        typeFlags: key.typeFlags,
        netResource: key.netResource,
        driverType: key.driverType,
        usbPath,
        serialNumber: key.serialNumber,
      }));
  }

  private activity(dongleId: number): LmActivity {
    return {
      dongleId: this.options.signedIds ? dongleId | 0 : dongleId,
      writes: (this.underWay.get(dongleId) ?? []).map((write) => ({ ...write })),
    };
  }

  /**
   * Queues a write into the key, listed as under way until it is answered. A request with the
   * idempotency key of a write still under way is the same write asked again (its first answer was
   * lost): it gets that write's outcome, and the key is not burnt a second time.
   */
  private accept(dongleId: number, orderId: number, idempotencyKey?: string): Promise<LmWriteResult> {
    if (idempotencyKey !== undefined) {
      const running = this.byIdempotencyKey.get(idempotencyKey);
      if (running && (running.dongleId !== dongleId || running.orderId !== orderId)) {
        throw new HttpFailure(
          400,
          'BAD_REQUEST',
          `idempotencyKey ${idempotencyKey} belongs to a write of order ${running.orderId} into key ${running.dongleId}`,
        );
      }
      if (running) return running.result;
    }
    const entry: LmWriteUnderWay = { orderId, idempotencyKey: idempotencyKey ?? null, state: 'waiting' };
    const list = this.underWay.get(dongleId) ?? [];
    list.push(entry);
    this.underWay.set(dongleId, list);
    const result = this.serialised(dongleId, () => {
      entry.state = 'burning';
      return this.write(dongleId, orderId, idempotencyKey);
    });
    if (idempotencyKey !== undefined)
      this.byIdempotencyKey.set(idempotencyKey, { dongleId, orderId, result });
    const done = () => {
      const left = (this.underWay.get(dongleId) ?? []).filter((e) => e !== entry);
      if (left.length) this.underWay.set(dongleId, left);
      else this.underWay.delete(dongleId);
      if (idempotencyKey !== undefined) this.byIdempotencyKey.delete(idempotencyKey);
    };
    result.then(done, done);
    return result;
  }

  private readBack(dongleId: number): LmReadBack {
    const plug = this.plugs.get(dongleId);
    if (!plug || plug.readableAt > Date.now()) {
      throw new HttpFailure(404, 'DONGLE_NOT_FOUND', `key ${dongleId} is not plugged, or not read yet`);
    }
    if (this.writing.has(dongleId)) {
      throw new HttpFailure(409, 'DONGLE_BUSY', `a write into key ${dongleId} is under way`);
    }
    return {
      dongleId: this.options.signedIds ? dongleId | 0 : dongleId,
      licence: this.licences.get(dongleId) ?? null,
    };
  }

  private async write(dongleId: number, orderId: number, idempotencyKey?: string): Promise<LmWriteResult> {
    const plug = this.plugs.get(dongleId);
    // Nothing was started, so there is nothing to tell the server.
    if (!plug || plug.readableAt > Date.now())
      return { actionResult: ActionResult.DongleNotFound, burnId: null };

    this.writing.set(dongleId, (this.writing.get(dongleId) ?? 0) + 1);
    try {
      return await this.burn(dongleId, orderId, plug, idempotencyKey);
    } finally {
      const left = (this.writing.get(dongleId) ?? 1) - 1;
      if (left > 0) this.writing.set(dongleId, left);
      else this.writing.delete(dongleId);
    }
  }

  /** The server prepares the order's licence: its products and features, once per order. */
  private prepare(orderId: number): Promise<{ orderNumber: number; products: LmLicenceProduct[] }> {
    let prepared = this.prepared.get(orderId);
    if (!prepared) {
      prepared = this.options.guardant.getOrder(orderId).then((order) => ({
        orderNumber: order.number,
        products: licenceContentOfOrder(order) ?? [],
      }));
      this.prepared.set(orderId, prepared);
      // A failed preparation (server down) is tried again by the next write.
      prepared.catch(() => this.prepared.delete(orderId));
    }
    return prepared;
  }

  private async burn(
    dongleId: number,
    orderId: number,
    plug: Plug,
    idempotencyKey?: string,
  ): Promise<LmWriteResult> {
    const licence = await this.prepare(orderId);
    this.events.emit('burn-started', dongleId);
    await this.pause(this.delayMs / 2); // the burn itself
    const stillPlugged = this.plugs.get(dongleId) === plug;
    const scripted = this.deviceFailures.get(dongleId);
    const dongleResult = !stillPlugged ? ActionResult.DongleNotFound : (scripted ?? ActionResult.Success);
    // A real burn changes the key before the manager reports it: the key's memory is saved first, so a
    // process killed between the server's record and the answer never leaves a recorded success with an
    // empty key (which verify-after-write would rightly call a failed write).
    const before = this.licences.get(dongleId) ?? null;
    const spoiled = dongleResult === ActionResult.Success ? this.spoiledWrites.get(dongleId) : undefined;
    const burn = (burnId: number | null, writtenAt: number): LmLicence | null => {
      const burnt: LmLicence = {
        orderId,
        orderNumber: licence.orderNumber,
        burnId,
        writtenAt,
        products: licence.products,
        digest: licenceDigest(licence.products),
      };
      return spoiled ? spoilLicence(spoiled, burnt, before) : burnt;
    };
    if (dongleResult === ActionResult.Success) this.hold(dongleId, burn(null, Math.floor(Date.now() / 1000)));
    let record: Awaited<ReturnType<GuardantClient['recordWrite']>>;
    try {
      record = await this.options.guardant.recordWrite(orderId, dongleId, dongleResult, idempotencyKey);
    } catch (error) {
      // The server refused to prepare or record it: the key keeps what it held.
      if (dongleResult === ActionResult.Success) this.hold(dongleId, before);
      throw error;
    }
    // The scripted failure is spent only once the server has recorded the attempt.
    if (stillPlugged && scripted !== undefined) this.deviceFailures.delete(dongleId);
    if (record.actionresult === ActionResult.Success) {
      this.spoiledWrites.delete(dongleId);
      this.hold(dongleId, burn(record._id, record.actiondate));
    } else if (dongleResult === ActionResult.Success) {
      // The server's decision (balance, subscription…) stopped the burn: the key keeps what it held.
      this.hold(dongleId, before);
    }
    // A real manager reads the key back before it answers: the server has the record before the station
    // has the answer, which is the window the station's outbox must reconcile after a crash.
    await this.pause(this.delayMs / 2);
    return { actionResult: record.actionresult, burnId: record._id };
  }

  /** What the key holds now, saved at once (the key's memory survives the process). */
  private hold(dongleId: number, licence: LmLicence | null): void {
    if (licence) this.licences.set(dongleId, licence);
    else this.licences.delete(dongleId);
    this.saveMemory();
  }

  private serialised<T>(dongleId: number, task: () => Promise<T>): Promise<T> {
    const previous = this.keyLocks.get(dongleId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(task);
    const tail = run.catch(() => undefined);
    this.keyLocks.set(dongleId, tail);
    void tail.then(() => {
      if (this.keyLocks.get(dongleId) === tail) this.keyLocks.delete(dongleId);
    });
    return run;
  }

  private async pause(ms: number): Promise<void> {
    if (ms > 0) await sleep(ms, undefined, { signal: this.closing.signal });
  }
}

/** How the manager tells the station what went wrong between it and the Guardant server. */
function fromGuardantError(error: unknown): HttpFailure {
  if (error instanceof ServerUnreachableError) {
    // The station's outbox keeps the write and tries again later.
    return new HttpFailure(503, 'SERVER_UNREACHABLE', `Guardant server unreachable: ${error.message}`);
  }
  if (error instanceof GuardantApiError) {
    return new HttpFailure(409, 'SERVER_REJECTED', error.message, error.apiCode);
  }
  if (error instanceof BadServerResponseError) {
    return new HttpFailure(502, 'SERVER_BAD_RESPONSE', error.message);
  }
  return new HttpFailure(500, 'INTERNAL', error instanceof Error ? error.message : String(error));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpFailure(413, 'BAD_REQUEST', 'body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpFailure(400, 'BAD_REQUEST', 'body is not JSON');
  }
}
